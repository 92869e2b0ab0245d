/**
 * One job's JobMaster registration at the ResourceManager leader (`jobManagerRegistrations`,
 * `DefaultJobLeaderIdService`, `registerJobMaster`, `closeJobManagerConnection`), flink-protocol.md
 * §2.2.3–2.2.4. The context holds the leader HA names for the job and the registered JobMasterId:
 * the RM may register only HA's leader, and must decline any other.
 */
import { assign, not, setup } from 'xstate';
import type { JobMasterRegistrationEvent } from './events.js';

export interface JobMasterRegistrationContext {
  readonly leaderId: string | null;
  readonly jobMasterId: string | null;
}

export const jobMasterRegistrationMachine = setup({
  types: { context: {} as JobMasterRegistrationContext, events: {} as JobMasterRegistrationEvent },
  guards: {
    isHaLeader: ({ context, event }) =>
      'jobMasterId' in event && event.jobMasterId === context.leaderId,
    isRegistered: ({ context, event }) =>
      'jobMasterId' in event && event.jobMasterId === context.jobMasterId,
    /** HA now names another leader (or none) than the registered one. */
    registeredLostLeadership: ({ context, event }) =>
      event.type === 'notifyLeaderAddress' &&
      context.jobMasterId !== null &&
      event.leaderSessionId !== context.jobMasterId,
  },
  actions: {
    setLeader: assign(({ event }) =>
      event.type === 'notifyLeaderAddress' ? { leaderId: event.leaderSessionId } : {},
    ),
    register: assign(({ event }) =>
      event.type === 'out.registerJobMaster.succeeded' ? { jobMasterId: event.jobMasterId } : {},
    ),
    unregister: assign({ jobMasterId: null }),
  },
}).createMachine({
  id: 'rmJobMaster',
  description: "A job's JobMaster registration at the ResourceManager leader.",
  context: { leaderId: null, jobMasterId: null },
  initial: 'unregistered',
  on: {
    'out.registerJobMaster.declined': {
      guard: not('isHaLeader'),
      description: 'A JobMasterId HA does not name as the leader: declined, the JobMaster retries.',
    },
  },
  states: {
    unregistered: {
      description:
        'No JobMaster registered for the job (ours: absent from `jobManagerRegistrations`).',
      on: {
        notifyLeaderAddress: {
          actions: 'setLeader',
          description: 'HA named the job leader (or none).',
        },
        'out.registerJobMaster.succeeded': {
          guard: 'isHaLeader',
          target: 'registered',
          actions: 'register',
          description: "HA's leader registered.",
        },
      },
    },
    registered: {
      description:
        "HA's leader is registered; its heartbeats are monitored and its requirements served.",
      on: {
        notifyLeaderAddress: [
          {
            guard: 'registeredLostLeadership',
            actions: 'setLeader',
            description:
              'jobLeaderLostLeadership follows: the registration is about to be closed (RETAIN).',
          },
          { actions: 'setLeader', description: 'The registered leader again.' },
        ],
        'out.registerJobMaster.succeeded': [
          { guard: 'isRegistered', description: 'The same JobMasterId again: idempotent.' },
        ],
        'out.disconnectResourceManager': {
          guard: 'isRegistered',
          target: 'unregistered',
          actions: 'unregister',
          description: 'closeJobManagerConnection: RETAIN or CLEAR.',
        },
      },
    },
  },
});
