/**
 * The TaskExecutor's connection to the ResourceManager leader (Flink's `TaskExecutor` RM fields,
 * `TaskExecutorToResourceManagerConnection`, `RetryingRegistration`), flink-protocol.md §2.1.2,
 * §2.4, §2.6. The state names are ours (Flink has only fields): NO_RM, REGISTERING, CONNECTED,
 * and the process's end on a fatal error. The context holds what the guards need: the leader
 * announced last, the registration attempt in flight and whether its loop waits to retry, the
 * established RM, and the count of unreachable heartbeat answers.
 */
import { assign, setup } from 'xstate';
import type { ResourceManagerConnectionEvent } from './events.js';

export interface ResourceManagerConnectionContext {
  /** The leader session id HA announced last (the fencing token to register with). */
  readonly leaderId: string | null;
  /** The registration ask in flight; answers to other asks are outdated. */
  readonly registrationAskId: number | null;
  /** The registration loop waits out a delay before its next attempt. */
  readonly waitingToRetry: boolean;
  /** While CONNECTED: the RM's ResourceID (the heartbeat target). */
  readonly resourceManagerResourceId: string | null;
  /** Consecutive heartbeat answers to the established RM that failed as unreachable. */
  readonly unreachableCount: number;
  readonly rpcFailureThreshold: number;
}

const closed = {
  registrationAskId: null,
  waitingToRetry: false,
  resourceManagerResourceId: null,
  unreachableCount: 0,
};

/** `reconnectToResourceManager`: REGISTERING when a leader is known, NO_RM otherwise. */
function reconnect(why: string) {
  return [
    {
      guard: 'leaderKnown' as const,
      target: '#rmConnection.registering',
      actions: 'close' as const,
      description: `${why} Reconnect: register at the leader again.`,
    },
    {
      target: '#rmConnection.noResourceManager',
      actions: 'close' as const,
      description: `${why} Reconnect: no leader to register at.`,
    },
  ];
}

/** An answer to a registration attempt that is not the one in flight: ignored. */
const outdated = { description: 'An answer to an outdated registration attempt: ignored.' };

export const resourceManagerConnectionMachine = setup({
  types: {
    context: {} as ResourceManagerConnectionContext,
    events: {} as ResourceManagerConnectionEvent,
    input: {} as { rpcFailureThreshold: number },
  },
  guards: {
    leaderKnown: ({ context }) => context.leaderId !== null,
    announcesLeader: ({ event }) =>
      event.type === 'notifyLeaderAddress' && event.leaderSessionId !== null,
    /** The answer is to the registration attempt in flight. */
    currentAttempt: ({ context, event }) =>
      'askId' in event && event.askId === context.registrationAskId,
    /** An attempt goes out, fenced with the leader's token, when none is in flight or waiting. */
    attemptToLeader: ({ context, event }) =>
      event.type === 'out.registerTaskExecutor' &&
      event.fencingToken === context.leaderId &&
      !context.waitingToRetry,
    waitingToRetry: ({ context }) => context.waitingToRetry,
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
    close: assign(closed),
    recordAttempt: assign(({ event }) =>
      event.type === 'out.registerTaskExecutor' ? { registrationAskId: event.askId } : {},
    ),
    /** The attempt ended; the loop waits out a delay before the next one. */
    waitToRetry: assign({ waitingToRetry: true, registrationAskId: null }),
    /** The attempt timed out; the next one goes out at once. */
    attemptEnded: assign({ registrationAskId: null }),
    retry: assign({ waitingToRetry: false }),
    establish: assign(({ event }) =>
      event.type === 'registerTaskExecutor.succeeded'
        ? {
            resourceManagerResourceId: event.resourceManagerResourceId,
            registrationAskId: null,
            unreachableCount: 0,
          }
        : {},
    ),
    countUnreachable: assign(({ context }) => ({ unreachableCount: context.unreachableCount + 1 })),
    resetUnreachable: assign({ unreachableCount: 0 }),
  },
}).createMachine({
  id: 'rmConnection',
  description: "A TaskExecutor's connection to the ResourceManager leader.",
  context: ({ input }) => ({
    leaderId: null,
    ...closed,
    rpcFailureThreshold: input.rpcFailureThreshold,
  }),
  initial: 'noResourceManager',
  on: {
    notifyLeaderAddress: [
      {
        guard: 'announcesLeader',
        target: '.registering',
        actions: ['setLeader', 'close'],
        description: 'A leader (new or again): close, re-arm the registration timeout, register.',
      },
      {
        target: '.noResourceManager',
        actions: ['setLeader', 'close'],
        description: 'No leader: close and wait.',
      },
    ],
    disconnectResourceManager: reconnect('The RM closed the connection.'),
    'sendSlotReport.failed': reconnect(
      'The initial slot report failed (whichever connection it was sent on).',
    ),
    'sendSlotReport.timedOut': reconnect('The initial slot report timed out.'),
    'sendSlotReport.acked': { description: 'The slot report was taken.' },
    'registerTaskExecutor.succeeded': outdated,
    'registerTaskExecutor.rejected': outdated,
    'registerTaskExecutor.declined': outdated,
    'registerTaskExecutor.failed': outdated,
    'registerTaskExecutor.timedOut': outdated,
    'heartbeat.delivered': {
      description: 'A heartbeat answer to an RM no longer monitored: ignored.',
    },
    'heartbeat.unreachable': {
      description: 'A heartbeat answer to an RM no longer monitored: ignored.',
    },
  },
  states: {
    noResourceManager: {
      description: 'NO_RM (ours): no leader known; the registration timeout runs.',
      on: {
        registrationTimeout: {
          target: 'terminated',
          description: 'Not registered in time: fatal error.',
        },
      },
    },
    registering: {
      description:
        'REGISTERING (ours): a connection to the leader exists and RetryingRegistration runs.',
      on: {
        'out.registerTaskExecutor': {
          guard: 'attemptToLeader',
          actions: 'recordAttempt',
          description: 'A registration attempt, fenced with the leader id.',
        },
        'registerTaskExecutor.succeeded': [
          {
            guard: 'currentAttempt',
            target: 'connected',
            actions: 'establish',
            description:
              'Registered: send the slot report, monitor the RM, stop the registration timeout.',
          },
          outdated,
        ],
        'registerTaskExecutor.rejected': [
          {
            guard: 'currentAttempt',
            target: 'terminated',
            description: 'TaskExecutorRegistrationRejection: fatal error.',
          },
          outdated,
        ],
        'registerTaskExecutor.declined': [
          {
            guard: 'currentAttempt',
            actions: 'waitToRetry',
            description:
              'RegistrationResponse.Failure: retry after the refused-registration delay.',
          },
          outdated,
        ],
        'registerTaskExecutor.failed': [
          {
            guard: 'currentAttempt',
            actions: 'waitToRetry',
            description: 'An error: retry after the error delay.',
          },
          outdated,
        ],
        'registerTaskExecutor.timedOut': [
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
          description: 'The retry delay elapsed: the next attempt goes out.',
        },
        registrationTimeout: {
          target: 'terminated',
          description: 'Not registered in time: fatal error.',
        },
      },
    },
    connected: {
      description:
        'CONNECTED (ours): registered, with an InstanceID; the RM heartbeat is monitored.',
      on: {
        'heartbeat.timedOut': {
          target: 'registering',
          actions: 'close',
          description:
            'The RM heartbeat timed out: reconnect (a connected TE always knows a leader).',
        },
        'heartbeat.delivered': {
          actions: 'resetUnreachable',
          description: 'A heartbeat answer went through.',
        },
        'heartbeat.unreachable': [
          {
            guard: 'unreachable',
            target: 'registering',
            actions: 'close',
            description: 'The RM became unreachable: reconnect.',
          },
          { actions: 'countUnreachable', description: 'Unreachable, below the threshold.' },
        ],
      },
    },
    terminated: {
      description: 'The process exited on a fatal error (registration timeout or rejection).',
      type: 'final',
    },
  },
});
