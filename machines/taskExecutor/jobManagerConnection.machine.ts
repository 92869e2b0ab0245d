/**
 * A TaskExecutor's state for one job (Flink's `DefaultJobTable` entry and `DefaultJobLeaderService`
 * listener and registration connection), flink-protocol.md §2.1.3 and §2.1.6. The state names are
 * ours: NO_JOB, JOB (in the table, not connected), CONNECTED. The context holds what the guards
 * need: the leader announced last, the registration loop (running, its attempt in flight, waiting
 * to retry), the connected leader and its ResourceID, and the newest slot offer.
 */
import { assign, setup } from 'xstate';
import type { JobManagerConnectionEvent } from './events.js';

export interface JobManagerConnectionContext {
  readonly leaderId: string | null;
  /** A registration loop runs (started by a leader announcement or a reconnect, ended by its success). */
  readonly registrationOpen: boolean;
  readonly registrationAskId: number | null;
  readonly waitingToRetry: boolean;
  readonly connectedLeaderId: string | null;
  readonly jobMasterResourceId: string | null;
  /** The newest offer (`currentSlotOfferPerJob`); answers to older offers are discarded. */
  readonly offerAskId: number | null;
  readonly unreachableCount: number;
  readonly rpcFailureThreshold: number;
}

const cleared = {
  leaderId: null,
  registrationOpen: false,
  registrationAskId: null,
  waitingToRetry: false,
  connectedLeaderId: null,
  jobMasterResourceId: null,
  offerAskId: null,
  unreachableCount: 0,
};

const outdated = { description: 'An answer to an outdated registration attempt: ignored.' };

/** Transitions of the registration loop, the same whether or not the job is connected. */
const registrationLoop = {
  'out.registerTaskManager': {
    guard: 'attemptToLeader' as const,
    actions: 'recordAttempt' as const,
    description: 'A registration attempt at the announced leader.',
  },
  'registerTaskManager.rejected': [
    {
      guard: 'currentAttempt' as const,
      target: '#jobConnection.released',
      description: 'JMTMRegistrationRejection: releaseJobResources.',
    },
    outdated,
  ],
  'registerTaskManager.declined': [
    {
      guard: 'currentAttempt' as const,
      actions: 'waitToRetry' as const,
      description: 'RegistrationResponse.Failure: retry after the refused-registration delay.',
    },
    outdated,
  ],
  'registerTaskManager.failed': [
    {
      guard: 'currentAttempt' as const,
      actions: 'waitToRetry' as const,
      description: 'An error: retry after the error delay.',
    },
    outdated,
  ],
  'registerTaskManager.timedOut': [
    {
      guard: 'currentAttempt' as const,
      actions: 'attemptEnded' as const,
      description: 'Timed out: retry at once with a doubled timeout.',
    },
    outdated,
  ],
  'registration.retry': {
    guard: 'waitingToRetry' as const,
    actions: 'retry' as const,
    description: 'The retry delay elapsed: the next attempt goes out.',
  },
  'out.stopLeaderRetrieval': {
    target: '#jobConnection.noJob',
    actions: 'forget' as const,
    description: 'The last slot of the job was freed: the job is released.',
  },
};

/** Releasing the job closed its registration loop: answers still under way change nothing. */
const lateAnswersOfReleasedJob = Object.fromEntries(
  (['succeeded', 'rejected', 'declined', 'failed', 'timedOut'] as const).map((answer) => [
    `registerTaskManager.${answer}`,
    { description: `An answer (${answer}) to a registration of the released job: ignored.` },
  ]),
) as Record<
  `registerTaskManager.${'succeeded' | 'rejected' | 'declined' | 'failed' | 'timedOut'}`,
  { description: string }
>;

export const jobManagerConnectionMachine = setup({
  types: {
    context: {} as JobManagerConnectionContext,
    events: {} as JobManagerConnectionEvent,
    input: {} as { rpcFailureThreshold: number },
  },
  guards: {
    announcesLeader: ({ event }) =>
      event.type === 'notifyLeaderAddress' && event.leaderSessionId !== null,
    /** The leader the registration loop already targets: a duplicate notification. */
    sameLeader: ({ context, event }) =>
      event.type === 'notifyLeaderAddress' &&
      event.leaderSessionId === context.leaderId &&
      context.leaderId !== null,
    currentAttempt: ({ context, event }) =>
      'askId' in event && event.askId === context.registrationAskId,
    /** The success is at the leader the job is connected to already. */
    currentAttemptAtConnectedLeader: ({ context, event }) =>
      'askId' in event &&
      event.askId === context.registrationAskId &&
      context.leaderId === context.connectedLeaderId,
    attemptToLeader: ({ context, event }) =>
      event.type === 'out.registerTaskManager' &&
      event.fencingToken === context.leaderId &&
      context.registrationOpen &&
      !context.waitingToRetry,
    waitingToRetry: ({ context }) => context.waitingToRetry,
    toConnectedLeader: ({ context, event }) =>
      event.type === 'out.offerSlots' && event.fencingToken === context.connectedLeaderId,
    unreachable: ({ context }) =>
      context.rpcFailureThreshold > 0 &&
      context.unreachableCount + 1 >= context.rpcFailureThreshold,
  },
  actions: {
    /** A new leader (or none): the old registration loop is closed and one to the new leader opened. */
    setLeader: assign(({ event }) =>
      event.type === 'notifyLeaderAddress'
        ? {
            leaderId: event.leaderSessionId,
            registrationOpen: event.leaderSessionId !== null,
            registrationAskId: null,
            waitingToRetry: false,
          }
        : {},
    ),
    recordAttempt: assign(({ event }) =>
      event.type === 'out.registerTaskManager' ? { registrationAskId: event.askId } : {},
    ),
    /** The attempt ended; the loop waits out a delay before the next one. */
    waitToRetry: assign({ waitingToRetry: true, registrationAskId: null }),
    /** The attempt timed out; the next one goes out at once. */
    attemptEnded: assign({ registrationAskId: null }),
    retry: assign({ waitingToRetry: false }),
    /** The registration loop ended with its success. */
    registered: assign({ registrationOpen: false, registrationAskId: null }),
    connect: assign(({ context, event }) =>
      event.type === 'registerTaskManager.succeeded'
        ? {
            connectedLeaderId: context.leaderId,
            jobMasterResourceId: event.jobMasterResourceId,
            registrationOpen: false,
            registrationAskId: null,
            unreachableCount: 0,
          }
        : {},
    ),
    /** `disconnectJobManagerConnection`: the connection goes. */
    disconnect: assign({ connectedLeaderId: null, jobMasterResourceId: null, unreachableCount: 0 }),
    /** `jobLeaderService.reconnect`: a new registration loop at the same leader. */
    reconnect: assign(({ context }) =>
      // A registration at a new leader that has not succeeded goes on (tryReconnect's check fails).
      context.registrationOpen
        ? {}
        : { registrationOpen: true, registrationAskId: null, waitingToRetry: false },
    ),
    recordOffer: assign(({ event }) =>
      event.type === 'out.offerSlots' ? { offerAskId: event.askId } : {},
    ),
    forget: assign(cleared),
    countUnreachable: assign(({ context }) => ({ unreachableCount: context.unreachableCount + 1 })),
    resetUnreachable: assign({ unreachableCount: 0 }),
  },
}).createMachine({
  id: 'jobConnection',
  description:
    "A TaskExecutor's JobTable entry for one job and its connection to the job's JobMaster leader.",
  context: ({ input }) => ({ ...cleared, rpcFailureThreshold: input.rpcFailureThreshold }),
  initial: 'noJob',
  states: {
    noJob: {
      description: 'NO_JOB (ours): the job is not in the JobTable.',
      on: {
        'out.startLeaderRetrieval': {
          target: 'job',
          description: 'A slot was allocated for a new job: it joins the JobTable.',
        },
        notifyLeaderAddress: {
          description: 'A notification that was under way when the job was released: ignored.',
        },
        disconnectJobManager: {
          description:
            'TaskExecutor#disconnectJobManager for a job not in the JobTable (its last slot went first): nothing to do.',
        },
        ...lateAnswersOfReleasedJob,
      },
    },
    job: {
      description:
        'JOB (ours): in the JobTable, not connected; registering at the leader if one is known.',
      on: {
        ...registrationLoop,
        notifyLeaderAddress: [
          {
            guard: 'sameLeader',
            description: 'An ongoing attempt to this leader: a duplicate, ignored.',
          },
          {
            actions: 'setLeader',
            description:
              'A new leader (or none): close the old registration, open one to the new leader.',
          },
        ],
        'registerTaskManager.succeeded': [
          {
            guard: 'currentAttempt',
            target: 'connected',
            actions: 'connect',
            description:
              'establishJobManagerConnection: monitor the JM and offer the ALLOCATED slots.',
          },
          outdated,
        ],
        disconnectJobManager: { description: 'Not connected: nothing to disconnect.' },
      },
    },
    connected: {
      description:
        'CONNECTED (ours): registered at the job leader; slots are offered to it and its heartbeat is monitored.',
      on: {
        ...registrationLoop,
        notifyLeaderAddress: [
          {
            guard: 'sameLeader',
            description: 'The leader already targeted: a duplicate, ignored.',
          },
          {
            guard: 'announcesLeader',
            actions: 'setLeader',
            description:
              'Another leader: register at it; the connection stays until that succeeds.',
          },
          {
            target: 'job',
            actions: ['setLeader', 'disconnect'],
            description: 'jobManagerLostLeadership: disconnect, no new registration.',
          },
        ],
        'registerTaskManager.succeeded': [
          {
            guard: 'currentAttemptAtConnectedLeader',
            actions: 'registered',
            description:
              'establishJobManagerConnection: already connected to this leader, nothing changes.',
          },
          {
            guard: 'currentAttempt',
            target: 'connected',
            reenter: true,
            actions: ['disconnect', 'connect'],
            description:
              'The new leader took the registration: the old connection is disconnected first.',
          },
          outdated,
        ],
        'out.offerSlots': {
          guard: 'toConnectedLeader',
          actions: 'recordOffer',
          description: 'A new offer round to the connected leader.',
        },
        disconnectJobManager: {
          target: 'job',
          actions: ['disconnect', 'reconnect'],
          description: 'The JobMaster dropped the TE: disconnect and register again.',
        },
        'heartbeat.timedOut': {
          target: 'job',
          actions: ['disconnect', 'reconnect'],
          description: 'The JM heartbeat timed out: disconnect and register again.',
        },
        'heartbeat.delivered': {
          actions: 'resetUnreachable',
          description: 'A heartbeat answer went through.',
        },
        'heartbeat.unreachable': [
          {
            guard: 'unreachable',
            target: 'job',
            actions: ['disconnect', 'reconnect'],
            description: 'The JM became unreachable: disconnect and register again.',
          },
          { actions: 'countUnreachable', description: 'Unreachable, below the threshold.' },
        ],
      },
    },
    released: {
      description:
        'Ours, within one step: the JobMaster rejected the TE, so the job is being released.',
      on: {
        'out.stopLeaderRetrieval': {
          target: 'noJob',
          actions: 'forget',
          description: 'releaseJobResources stops leader retrieval.',
        },
      },
    },
  },
});
