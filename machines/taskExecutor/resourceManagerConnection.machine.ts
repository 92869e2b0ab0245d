/**
 * The TaskExecutor's connection to the ResourceManager leader (Flink's `TaskExecutor` RM fields,
 * `TaskExecutorToResourceManagerConnection`, `RetryingRegistration`), flink-protocol.md §2.1.2,
 * §2.4, §2.6. The state names are ours (Flink has only fields): NO_RM, REGISTERING, CONNECTED,
 * and the process's end on a fatal error. The context holds what the guards need: the leader
 * announced last, the ask id of the registration attempt in flight, and the established RM.
 */
import { assign, setup } from 'xstate';
import type { ResourceManagerConnectionEvent } from './events.js';

export interface ResourceManagerConnectionContext {
  /** The leader session id HA announced last (the fencing token to register with). */
  readonly leaderId: string | null;
  /** The registration ask in flight; answers to other asks are outdated. */
  readonly registrationAskId: number | null;
  /** While CONNECTED: the RM leader registered at, and its ResourceID (the heartbeat target). */
  readonly connectedLeaderId: string | null;
  readonly resourceManagerResourceId: string | null;
  /** Consecutive heartbeat answers that failed as unreachable. */
  readonly unreachableCount: number;
  readonly rpcFailureThreshold: number;
}

/** `reconnectToResourceManager`: REGISTERING when a leader is known, NO_RM otherwise. */
function reconnect(why: string) {
  return [
    {
      guard: 'leaderKnown' as const,
      target: '#rmConnection.registering',
      actions: 'disconnect' as const,
      description: `${why} Register at the leader again.`,
    },
    {
      target: '#rmConnection.noResourceManager',
      actions: 'disconnect' as const,
      description: `${why} No leader to register at.`,
    },
  ];
}

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
    /** The attempt is fenced with the leader's token. */
    toLeader: ({ context, event }) =>
      event.type === 'out.registerTaskExecutor' && event.fencingToken === context.leaderId,
    /** The timed-out monitor is the established RM's. */
    establishedTarget: ({ context, event }) =>
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
    /** Closing the connection forgets the attempt and the established RM. */
    disconnect: assign({
      registrationAskId: null,
      connectedLeaderId: null,
      resourceManagerResourceId: null,
      unreachableCount: 0,
    }),
    recordAttempt: assign(({ event }) =>
      event.type === 'out.registerTaskExecutor' ? { registrationAskId: event.askId } : {},
    ),
    establish: assign(({ context, event }) =>
      event.type === 'registerTaskExecutor.succeeded'
        ? {
            connectedLeaderId: context.leaderId,
            resourceManagerResourceId: event.resourceManagerResourceId,
            registrationAskId: null,
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
    registrationAskId: null,
    connectedLeaderId: null,
    resourceManagerResourceId: null,
    unreachableCount: 0,
    rpcFailureThreshold: input.rpcFailureThreshold,
  }),
  initial: 'noResourceManager',
  on: {
    notifyLeaderAddress: [
      {
        guard: 'announcesLeader',
        target: '.registering',
        actions: ['setLeader', 'disconnect'],
        description: 'A new leader: close, re-arm the registration timeout, register.',
      },
      {
        target: '.noResourceManager',
        actions: ['setLeader', 'disconnect'],
        description: 'No leader: close and wait.',
      },
    ],
    disconnectResourceManager: reconnect('The RM closed the connection.'),
    'sendSlotReport.failed': reconnect(
      'The initial slot report failed: reconnect (whatever connection it was sent on).',
    ),
    'sendSlotReport.timedOut': reconnect('The initial slot report timed out.'),
    'sendSlotReport.acked': { description: 'The slot report was taken.' },
    'registerTaskExecutor.succeeded': { description: 'An outdated attempt: ignored.' },
    'registerTaskExecutor.rejected': { description: 'An outdated attempt: ignored.' },
    'registerTaskExecutor.declined': { description: 'An outdated attempt: ignored.' },
    'registerTaskExecutor.failed': { description: 'An outdated attempt: ignored.' },
    'registerTaskExecutor.timedOut': { description: 'An outdated attempt: ignored.' },
    'heartbeat.timedOut': { description: 'Not the established RM: ignored.' },
    'heartbeat.delivered': {
      actions: 'resetUnreachable',
      description: 'A heartbeat answer went through.',
    },
    'heartbeat.unreachable': {
      actions: 'countUnreachable',
      description: 'Below the threshold, or not connected.',
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
          guard: 'toLeader',
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
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskExecutor.rejected': [
          {
            guard: 'currentAttempt',
            target: 'terminated',
            description: 'TaskExecutorRegistrationRejection: fatal error.',
          },
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskExecutor.declined': {
          description: 'Retry after the refused-registration delay (or outdated).',
        },
        'registerTaskExecutor.failed': {
          description: 'Retry after the error delay (or outdated).',
        },
        'registerTaskExecutor.timedOut': {
          description: 'Retry at once with a doubled timeout (or outdated).',
        },
        'registration.retry': {
          description: 'The retry delay elapsed: the next attempt goes out.',
        },
        registrationTimeout: {
          target: 'terminated',
          description: 'Not registered in time: fatal error.',
        },
      },
    },
    connected: {
      description: 'CONNECTED (ours): registered, with an InstanceID; heartbeats with the RM.',
      on: {
        'heartbeat.timedOut': [
          {
            guard: 'establishedTarget',
            target: 'registering',
            actions: 'disconnect',
            description:
              'The RM heartbeat timed out: reconnect (a connected TE always knows a leader).',
          },
          { description: 'Not the established RM: ignored.' },
        ],
        'heartbeat.unreachable': [
          {
            guard: 'unreachable',
            target: 'registering',
            actions: 'disconnect',
            description: 'The RM became unreachable: reconnect.',
          },
          { actions: 'countUnreachable', description: 'Below the threshold.' },
        ],
      },
    },
    terminated: {
      description: 'The process exited on a fatal error (registration timeout or rejection).',
      type: 'final',
    },
  },
});
