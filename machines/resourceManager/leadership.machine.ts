/**
 * The ResourceManager process's leadership (`ResourceManagerServiceImpl`): no leadership, or one
 * session with its ResourceManagerId. Every grant starts a new `ResourceManager` with empty state,
 * even for the process that led before. An active one (`ActiveResourceManager`) first initializes
 * its driver, which recovers the workers of earlier attempts, and serves only after that.
 */
import { assign, setup } from 'xstate';
import type { LeadershipEvent } from './events.js';

export interface LeadershipInput {
  /** Whether workers come from a resource provider (`ActiveResourceManager`). */
  readonly active: boolean;
}

export interface LeadershipContext {
  readonly active: boolean;
  readonly resourceManagerId: string | null;
  /** Active: the granted session whose driver is initializing. */
  readonly startingSession: string | null;
  /** Grants so far; the driver's answers name the grant they belong to. */
  readonly grants: number;
}

export const leadershipMachine = setup({
  types: {
    context: {} as LeadershipContext,
    events: {} as LeadershipEvent,
    input: {} as LeadershipInput,
  },
  guards: {
    active: ({ context }) => context.active,
    thisGrant: ({ context, event }) =>
      (event.type === 'initialize.recovered' || event.type === 'initialize.failed') &&
      event.grant === context.grants,
  },
  actions: {
    lead: assign(({ context, event }) =>
      event.type === 'grantLeadership'
        ? {
            resourceManagerId: event.leaderSessionId,
            startingSession: null,
            grants: context.grants + 1,
          }
        : {},
    ),
    startDriver: assign(({ context, event }) =>
      event.type === 'grantLeadership'
        ? {
            resourceManagerId: null,
            startingSession: event.leaderSessionId,
            grants: context.grants + 1,
          }
        : {},
    ),
    leadAfterDriver: assign(({ context }) => ({
      resourceManagerId: context.startingSession,
      startingSession: null,
    })),
    stepDown: assign({ resourceManagerId: null, startingSession: null }),
  },
}).createMachine({
  id: 'rmLeadership',
  description: 'Whether the ResourceManager process leads, and under which ResourceManagerId.',
  context: ({ input }) => ({
    active: input?.active ?? false,
    resourceManagerId: null,
    startingSession: null,
    grants: 0,
  }),
  initial: 'notLeader',
  states: {
    notLeader: {
      description: 'No leadership: every fenced call is refused.',
      on: {
        grantLeadership: [
          {
            guard: 'active',
            target: 'starting',
            actions: 'startDriver',
            description: 'Active: a new ResourceManager initializes its driver first.',
          },
          {
            target: 'leading',
            actions: 'lead',
            description: 'A new ResourceManager starts with empty state.',
          },
        ],
        revokeLeadership: { description: 'Nothing to revoke.' },
        'initialize.recovered': { description: 'An answer to an ended leadership: dropped.' },
        'initialize.failed': { description: 'A failure for an ended leadership: dropped.' },
      },
    },
    starting: {
      description:
        'Active: granted, the driver recovers the workers of earlier attempts; calls are still refused.',
      on: {
        'initialize.recovered': [
          {
            guard: 'thisGrant',
            target: 'leading',
            actions: 'leadAfterDriver',
            description: 'The driver recovered its workers: the ResourceManager serves.',
          },
          { description: 'An answer to an earlier grant: dropped.' },
        ],
        'initialize.failed': [
          {
            guard: 'thisGrant',
            description: 'The driver did not answer: it is asked again.',
          },
          { description: 'A failure for an earlier grant: dropped.' },
        ],
        grantLeadership: {
          target: 'starting',
          reenter: true,
          actions: 'startDriver',
          description: 'Another session: the starting ResourceManager stops, a new one starts.',
        },
        revokeLeadership: {
          target: 'notLeader',
          actions: 'stepDown',
          description: 'Revoked before it served: the ResourceManager stops.',
        },
      },
    },
    leading: {
      description: 'Leads under a ResourceManagerId; only calls fenced with it are served.',
      on: {
        grantLeadership: [
          {
            guard: 'active',
            target: 'starting',
            actions: 'startDriver',
            description:
              'Another session: the old ResourceManager stops, a new one initializes its driver.',
          },
          {
            target: 'leading',
            reenter: true,
            actions: 'lead',
            description: 'Another session: the old ResourceManager stops, a new one starts.',
          },
        ],
        revokeLeadership: {
          target: 'notLeader',
          actions: 'stepDown',
          description: 'The ResourceManager stops; its registrations are dropped.',
        },
        'initialize.recovered': {
          description: 'An answer to an earlier grant: dropped.',
        },
        'initialize.failed': {
          description: 'A failure for an earlier grant: dropped.',
        },
      },
    },
  },
});
