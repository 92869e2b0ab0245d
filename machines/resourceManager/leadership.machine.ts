/**
 * The ResourceManager process's leadership (`ResourceManagerServiceImpl`): no leadership, or one
 * session with its ResourceManagerId. Every grant starts a new `ResourceManager` with empty state,
 * even for the process that led before.
 */
import { assign, setup } from 'xstate';
import type { LeadershipEvent } from './events.js';

export interface LeadershipContext {
  readonly resourceManagerId: string | null;
}

export const leadershipMachine = setup({
  types: { context: {} as LeadershipContext, events: {} as LeadershipEvent },
  actions: {
    lead: assign(({ event }) =>
      event.type === 'grantLeadership' ? { resourceManagerId: event.leaderSessionId } : {},
    ),
    stepDown: assign({ resourceManagerId: null }),
  },
}).createMachine({
  id: 'rmLeadership',
  description: 'Whether the ResourceManager process leads, and under which ResourceManagerId.',
  context: { resourceManagerId: null },
  initial: 'notLeader',
  states: {
    notLeader: {
      description: 'No leadership: every fenced call is refused.',
      on: {
        grantLeadership: {
          target: 'leading',
          actions: 'lead',
          description: 'A new ResourceManager starts with empty state.',
        },
        revokeLeadership: { description: 'Nothing to revoke.' },
      },
    },
    leading: {
      description: 'Leads under a ResourceManagerId; only calls fenced with it are served.',
      on: {
        grantLeadership: {
          target: 'leading',
          reenter: true,
          actions: 'lead',
          description: 'Another session: the old ResourceManager stops, a new one starts.',
        },
        revokeLeadership: {
          target: 'notLeader',
          actions: 'stepDown',
          description: 'The ResourceManager stops; its registrations are dropped.',
        },
      },
    },
  },
});
