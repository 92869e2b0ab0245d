/**
 * One JobMaster leadership's connection to the ResourceManager leader (`JobMaster`'s
 * `resourceManagerAddress`, `resourceManagerConnection` and `establishedResourceManagerConnection`,
 * with `RetryingRegistration`), flink-protocol.md §2.5.2, §2.4, §2.6. Flink names no states; ours
 * are NO_RM, REGISTERING, CONNECTED and, when the JobMaster stops, closed (a connected JobMaster
 * first tells the RM, stopping, then stops its RM leader retrieval in the same step). A new
 * leadership is a new `JobMaster` and starts a new connection.
 *
 * The context holds what the guards need: the leader announced last, the registration attempt in
 * flight and whether its loop waits to retry, the established RM, the count of unreachable
 * heartbeat answers, and the RM an established connection owes `disconnectJobManager` to after it
 * was dissolved in this step (`dissolveResourceManagerConnection` tells the RM before it
 * reconnects). Left out: the RM never rejects a JobMaster (Flink would fail the JobMaster), and
 * `establishResourceManagerConnection` ignoring a success that names another RM leader than the
 * connection's target (an RM answers only under its own fencing token, so it never happens; if it
 * did, the monitor would report this machine CONNECTED and the implementation REGISTERING).
 */
import { assign, setup } from 'xstate';
import type { ResourceManagerConnectionEvent } from './events.js';

export interface ResourceManagerConnectionContext {
  /** The RM leader's session id as leader retrieval announced it last (`resourceManagerAddress`). */
  readonly leaderId: string | null;
  /** The registration ask in flight; answers to other asks are outdated. */
  readonly registrationAskId: number | null;
  /** The registration loop waits out a delay before its next attempt. */
  readonly waitingToRetry: boolean;
  /** While CONNECTED: the established RM's ResourceManagerId and ResourceID. */
  readonly connectedId: string | null;
  readonly resourceManagerResourceId: string | null;
  /** Consecutive heartbeat answers to the established RM that failed as unreachable. */
  readonly unreachableCount: number;
  readonly rpcFailureThreshold: number;
  /** A dissolved connection's RM that must hear `disconnectJobManager` in the same step. */
  readonly owedDisconnect: string | null;
}

/** `reconnectToResourceManager` after losing the established RM: close, then register again. */
const reconnect = (why: string) => ({
  target: '#jmRmConnection.registering' as const,
  reenter: true,
  actions: 'close' as const,
  description: `${why} reconnectToResourceManager: the RM is told disconnectJobManager, then a new registration starts.`,
});

const outdated = { description: 'An answer to an outdated registration attempt: ignored.' };

const ignoredDisconnect = {
  description: 'JobMaster#disconnectResourceManager for another RM: ignored.',
};

/**
 * What every open state takes (the JobMaster runs, RM leader retrieval is on); `closed` takes none
 * of it.
 */
const whileOpen = {
  notifyLeaderAddress: [
    {
      guard: 'announcesLeader' as const,
      target: '#jmRmConnection.registering' as const,
      reenter: true,
      actions: ['setLeader' as const, 'close' as const],
      description:
        'JobMaster#notifyOfNewResourceManagerLeader → reconnectToResourceManager: close, register at the leader.',
    },
    {
      target: '#jmRmConnection.noResourceManager' as const,
      actions: ['setLeader' as const, 'close' as const],
      description: 'No RM leader: close the connection and wait for one.',
    },
  ],
  disconnectResourceManager: [
    {
      guard: 'namesLeader' as const,
      ...reconnect('JobMaster#disconnectResourceManager for the known leader:'),
    },
    ignoredDisconnect,
  ],
  'registerJobMaster.succeeded': outdated,
  'registerJobMaster.declined': outdated,
  'registerJobMaster.failed': outdated,
  'registerJobMaster.timedOut': outdated,
};

/** What the open states without an established RM take besides. */
const whileNotConnected = {
  'out.disconnectJobManager': {
    guard: 'owed' as const,
    actions: 'paid' as const,
    description:
      'dissolveResourceManagerConnection: the RM of the dissolved connection hears disconnectJobManager.',
  },
  'heartbeat.delivered': {
    description: 'A heartbeat answer to an RM that is no longer monitored: ignored.',
  },
  'heartbeat.unreachable': {
    description: 'A heartbeat answer to an RM that is no longer monitored: ignored.',
  },
};

export const resourceManagerConnectionMachine = setup({
  types: {
    context: {} as ResourceManagerConnectionContext,
    events: {} as ResourceManagerConnectionEvent,
    input: {} as { rpcFailureThreshold: number },
  },
  guards: {
    announcesLeader: ({ event }) =>
      event.type === 'notifyLeaderAddress' && event.leaderSessionId !== null,
    /** `disconnectResourceManager` names the RM leader the JobMaster knows. */
    namesLeader: ({ context, event }) =>
      event.type === 'disconnectResourceManager' && event.resourceManagerId === context.leaderId,
    /** The answer is to the registration attempt in flight. */
    currentAttempt: ({ context, event }) =>
      'askId' in event && event.askId === context.registrationAskId,
    /** An attempt goes out, fenced with the leader's token, when none is in flight or waiting. */
    attemptToLeader: ({ context, event }) =>
      event.type === 'out.registerJobMaster' &&
      event.fencingToken === context.leaderId &&
      context.registrationAskId === null &&
      !context.waitingToRetry,
    waitingToRetry: ({ context }) => context.waitingToRetry,
    /** Fenced with the established RM's id. */
    toConnected: ({ context, event }) =>
      'fencingToken' in event && event.fencingToken === context.connectedId,
    /** `disconnectJobManager` to the RM a dissolved connection owes it to. */
    owed: ({ context, event }) =>
      event.type === 'out.disconnectJobManager' &&
      context.owedDisconnect !== null &&
      event.fencingToken === context.owedDisconnect,
    ofEstablished: ({ context, event }) =>
      event.type === 'heartbeat.timedOut' && event.target === context.resourceManagerResourceId,
    /** This unreachable answer reaches `heartbeat.rpc-failure-threshold`. */
    unreachable: ({ context }) =>
      context.rpcFailureThreshold > 0 &&
      context.unreachableCount + 1 >= context.rpcFailureThreshold,
  },
  actions: {
    setLeader: assign(({ event }) =>
      event.type === 'notifyLeaderAddress' ? { leaderId: event.leaderSessionId } : {},
    ),
    /** `closeResourceManagerConnection`: the attempt and the established RM are forgotten. */
    close: assign(({ context }) => ({
      registrationAskId: null,
      waitingToRetry: false,
      connectedId: null,
      resourceManagerResourceId: null,
      unreachableCount: 0,
      // dissolveResourceManagerConnection: an established RM is told disconnectJobManager.
      owedDisconnect: context.connectedId ?? context.owedDisconnect,
    })),
    recordAttempt: assign(({ event }) =>
      event.type === 'out.registerJobMaster' ? { registrationAskId: event.askId } : {},
    ),
    /** The attempt ended; the loop waits out a delay before the next one. */
    waitToRetry: assign({ waitingToRetry: true, registrationAskId: null }),
    /** The attempt timed out; the next one goes out at once. */
    attemptEnded: assign({ registrationAskId: null }),
    retry: assign({ waitingToRetry: false }),
    establish: assign(({ event }) =>
      event.type === 'registerJobMaster.succeeded'
        ? {
            connectedId: event.resourceManagerId,
            resourceManagerResourceId: event.resourceManagerResourceId,
            registrationAskId: null,
            unreachableCount: 0,
          }
        : {},
    ),
    paid: assign({ owedDisconnect: null }),
    countUnreachable: assign(({ context }) => ({ unreachableCount: context.unreachableCount + 1 })),
    resetUnreachable: assign({ unreachableCount: 0 }),
    shutDown: assign({
      registrationAskId: null,
      waitingToRetry: false,
      connectedId: null,
      resourceManagerResourceId: null,
    }),
  },
}).createMachine({
  id: 'jmRmConnection',
  description: "A JobMaster leadership's connection to the ResourceManager leader.",
  context: ({ input }) => ({
    leaderId: null,
    registrationAskId: null,
    waitingToRetry: false,
    connectedId: null,
    resourceManagerResourceId: null,
    unreachableCount: 0,
    rpcFailureThreshold: input.rpcFailureThreshold,
    owedDisconnect: null,
  }),
  initial: 'noResourceManager',
  states: {
    noResourceManager: {
      description: 'NO_RM (ours): no RM leader known; requirements are not sent anywhere.',
      on: {
        ...whileOpen,
        ...whileNotConnected,
        // No leader is known, so a disconnect never names it.
        disconnectResourceManager: ignoredDisconnect,
        'out.stopLeaderRetrieval': {
          target: 'closed',
          actions: 'shutDown',
          description: 'JobMaster#stopJobMasterServices: RM leader retrieval stops.',
        },
      },
    },
    registering: {
      description:
        'REGISTERING (ours): a ResourceManagerConnection to the leader runs RetryingRegistration.',
      on: {
        ...whileOpen,
        ...whileNotConnected,
        'out.registerJobMaster': {
          guard: 'attemptToLeader',
          actions: 'recordAttempt',
          description: 'A registration attempt (registerJobMaster), fenced with the leader id.',
        },
        'registerJobMaster.succeeded': [
          {
            guard: 'currentAttempt',
            target: 'connected',
            actions: 'establish',
            description:
              'establishResourceManagerConnection: monitor the RM, connect the pool, declare the full requirements.',
          },
          outdated,
        ],
        'registerJobMaster.declined': [
          {
            guard: 'currentAttempt',
            actions: 'waitToRetry',
            description:
              'RegistrationResponse.Failure: retry after the refused-registration delay.',
          },
          outdated,
        ],
        'registerJobMaster.failed': [
          {
            guard: 'currentAttempt',
            actions: 'waitToRetry',
            description: 'An exception (fencing, unreachable RM): retry after the error delay.',
          },
          outdated,
        ],
        'registerJobMaster.timedOut': [
          {
            guard: 'currentAttempt',
            actions: 'attemptEnded',
            description: 'Timed out: retry at once with a doubled timeout.',
          },
          outdated,
        ],
        'registration.retry': {
          guard: 'waitingToRetry',
          actions: 'retry',
          description: 'RetryingRegistration#registerLater: the delay elapsed, the next attempt.',
        },
        'out.stopLeaderRetrieval': {
          target: 'closed',
          actions: 'shutDown',
          description:
            'JobMaster#stopJobExecution: the registration is cancelled, RM leader retrieval stops.',
        },
      },
    },
    connected: {
      description:
        'CONNECTED (ours): registered; the RM is monitored and the pool declares its requirements.',
      on: {
        ...whileOpen,
        'out.declareRequiredResources': {
          guard: 'toConnected',
          description:
            'DeclareResourceRequirementServiceConnectionManager: connected, so the requirements are sent.',
        },
        'heartbeat.timedOut': {
          guard: 'ofEstablished',
          ...reconnect('ResourceManagerHeartbeatListener#notifyHeartbeatTimeout:'),
        },
        'heartbeat.delivered': {
          actions: 'resetUnreachable',
          description: 'A heartbeat answer went through.',
        },
        'heartbeat.unreachable': [
          {
            guard: 'unreachable',
            ...reconnect('ResourceManagerHeartbeatListener#notifyTargetUnreachable:'),
          },
          { actions: 'countUnreachable', description: 'Unreachable, below the threshold.' },
        ],
        'out.disconnectJobManager': {
          guard: 'toConnected',
          target: 'stopping',
          actions: 'shutDown',
          description:
            'JobMaster#stopJobExecution → closeResourceManagerConnection: the RM hears the job status (SUSPENDED keeps the requirements, FINISHED/CANCELED clears them).',
        },
      },
    },
    stopping: {
      description:
        'Ours: the stopping JobMaster closed its established connection (the RM told); its RM leader retrieval stops next.',
      on: {
        'out.stopLeaderRetrieval': {
          target: 'closed',
          description:
            'JobMaster#stopJobMasterServices: RM leader retrieval stops after the established connection was closed.',
        },
      },
    },
    closed: {
      description:
        'Ours: the JobMaster stopped (stopJobExecution); its connection is gone for good.',
    },
  },
});
