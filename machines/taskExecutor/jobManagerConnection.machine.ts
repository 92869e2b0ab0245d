/**
 * A TaskExecutor's state for one job (Flink's `DefaultJobTable` entry and `DefaultJobLeaderService`
 * listener and registration connection), flink-protocol.md §2.1.3 and §2.1.6. The state names are
 * ours: NO_JOB, JOB (in the table, not connected), CONNECTED. The context holds what the guards
 * need: the leader announced last, the registration attempt in flight, the connected leader and
 * its ResourceID, and the newest slot offer.
 */
import { assign, setup } from 'xstate';
import type { JobManagerConnectionEvent } from './events.js';

export interface JobManagerConnectionContext {
  readonly leaderId: string | null;
  readonly registrationAskId: number | null;
  /** A registration loop runs (started by a new leader or a reconnect, ended by its success). */
  readonly registrationOpen: boolean;
  readonly connectedLeaderId: string | null;
  readonly jobMasterResourceId: string | null;
  /** The newest offer (`currentSlotOfferPerJob`); answers to older offers are discarded. */
  readonly offerAskId: number | null;
  readonly unreachableCount: number;
  readonly rpcFailureThreshold: number;
}

const cleared = {
  leaderId: null,
  registrationAskId: null,
  registrationOpen: false,
  connectedLeaderId: null,
  jobMasterResourceId: null,
  offerAskId: null,
  unreachableCount: 0,
};

export const jobManagerConnectionMachine = setup({
  types: {
    context: {} as JobManagerConnectionContext,
    events: {} as JobManagerConnectionEvent,
    input: {} as { rpcFailureThreshold: number },
  },
  guards: {
    announcesLeader: ({ event }) =>
      event.type === 'notifyLeaderAddress' && event.leaderSessionId !== null,
    /** The same leader again while connecting or connected to it: a duplicate, ignored. */
    sameLeader: ({ context, event }) =>
      event.type === 'notifyLeaderAddress' && event.leaderSessionId === context.leaderId,
    currentAttempt: ({ context, event }) =>
      'askId' in event && event.askId === context.registrationAskId,
    toLeader: ({ context, event }) =>
      event.type === 'out.registerTaskManager' && event.fencingToken === context.leaderId,
    /** While connected, a registration goes out only while a registration loop runs. */
    toLeaderWhileRegistering: ({ context, event }) =>
      event.type === 'out.registerTaskManager' &&
      event.fencingToken === context.leaderId &&
      context.registrationOpen,
    /** The registration that succeeded is at the leader the job is connected to already. */
    currentAttemptAtConnectedLeader: ({ context, event }) =>
      'askId' in event &&
      event.askId === context.registrationAskId &&
      context.leaderId === context.connectedLeaderId,
    toConnectedLeader: ({ context, event }) =>
      event.type === 'out.offerSlots' && event.fencingToken === context.connectedLeaderId,
    connectedTarget: ({ context, event }) =>
      event.type === 'heartbeat.timedOut' && event.target === context.jobMasterResourceId,
    unreachable: ({ context }) =>
      context.rpcFailureThreshold > 0 &&
      context.unreachableCount + 1 >= context.rpcFailureThreshold,
  },
  actions: {
    setLeader: assign(({ event }) =>
      event.type === 'notifyLeaderAddress'
        ? {
            leaderId: event.leaderSessionId,
            registrationAskId: null,
            registrationOpen: event.leaderSessionId !== null,
          }
        : {},
    ),
    /** The registration loop ended with its success. */
    registered: assign({ registrationAskId: null, registrationOpen: false }),
    recordAttempt: assign(({ event }) =>
      event.type === 'out.registerTaskManager' ? { registrationAskId: event.askId } : {},
    ),
    connect: assign(({ context, event }) =>
      event.type === 'registerTaskManager.succeeded'
        ? {
            connectedLeaderId: context.leaderId,
            jobMasterResourceId: event.jobMasterResourceId,
            registrationAskId: null,
            registrationOpen: false,
            unreachableCount: 0,
          }
        : {},
    ),
    /** `disconnectJobManagerConnection`: the connection goes. */
    disconnect: assign({ connectedLeaderId: null, jobMasterResourceId: null, unreachableCount: 0 }),
    /** `jobLeaderService.reconnect`: a new registration loop at the same leader. */
    reconnect: assign({ registrationOpen: true }),
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
        notifyLeaderAddress: { description: 'A notification for a released job: ignored.' },
      },
    },
    job: {
      description:
        'JOB (ours): in the JobTable, not connected; registering at the leader if one is known.',
      on: {
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
        'out.registerTaskManager': {
          guard: 'toLeader',
          actions: 'recordAttempt',
          description: 'A registration attempt at the leader.',
        },
        'registerTaskManager.succeeded': [
          {
            guard: 'currentAttempt',
            target: 'connected',
            actions: 'connect',
            description:
              'establishJobManagerConnection: monitor the JM and offer the ALLOCATED slots.',
          },
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskManager.rejected': [
          {
            guard: 'currentAttempt',
            target: 'released',
            description: 'JMTMRegistrationRejection: releaseJobResources.',
          },
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskManager.declined': {
          description: 'Retry after the refused-registration delay (or outdated).',
        },
        'registerTaskManager.failed': { description: 'Retry after the error delay (or outdated).' },
        'registerTaskManager.timedOut': {
          description: 'Retry at once with a doubled timeout (or outdated).',
        },
        'registration.retry': { description: 'The retry delay elapsed.' },
        'out.stopLeaderRetrieval': {
          target: 'noJob',
          actions: 'forget',
          description: 'The last slot of the job was freed: the job is released.',
        },
        disconnectJobManager: { description: 'Not connected: nothing to disconnect.' },
        'heartbeat.timedOut': { description: 'Not connected to that JobMaster: ignored.' },
        'heartbeat.delivered': { description: 'A late heartbeat answer.' },
        'heartbeat.unreachable': { description: 'A late heartbeat answer.' },
      },
    },
    connected: {
      description:
        'CONNECTED (ours): registered at the job leader; slots are offered to it and its heartbeat is monitored.',
      on: {
        notifyLeaderAddress: [
          { guard: 'sameLeader', description: 'The same leader: a duplicate, ignored.' },
          {
            guard: 'announcesLeader',
            actions: 'setLeader',
            description:
              'A new leader: register at it; the old connection stays until that succeeds.',
          },
          {
            target: 'job',
            actions: ['setLeader', 'disconnect'],
            description: 'jobManagerLostLeadership: disconnect, no new registration.',
          },
        ],
        'out.registerTaskManager': {
          guard: 'toLeaderWhileRegistering',
          actions: 'recordAttempt',
          description:
            'A registration at the announced leader; the connection stays until it succeeds.',
        },
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
              'The new leader took the registration: the old connection is disconnected.',
          },
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskManager.rejected': [
          {
            guard: 'currentAttempt',
            target: 'released',
            description: 'JMTMRegistrationRejection: releaseJobResources.',
          },
          { description: 'An outdated attempt: ignored.' },
        ],
        'registerTaskManager.declined': { description: 'Retry (or outdated).' },
        'registerTaskManager.failed': { description: 'Retry (or outdated).' },
        'registerTaskManager.timedOut': { description: 'Retry (or outdated).' },
        'registration.retry': { description: 'The retry delay elapsed.' },
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
        'heartbeat.timedOut': [
          {
            guard: 'connectedTarget',
            target: 'job',
            actions: ['disconnect', 'reconnect'],
            description: 'The JM heartbeat timed out: disconnect and register again.',
          },
          { description: 'Another JobMaster: ignored.' },
        ],
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
          { actions: 'countUnreachable', description: 'Below the threshold.' },
        ],
        'out.stopLeaderRetrieval': {
          target: 'noJob',
          actions: 'forget',
          description: 'The last slot of the job was freed: the job is released.',
        },
      },
    },
    released: {
      description:
        'Ours, until the release is sent: the JobMaster rejected the TE, so the job is being released.',
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
