/**
 * One TaskExecutor (ResourceID) at the ResourceManager leader (`taskExecutors`,
 * `registerTaskExecutorInternal`, `sendSlotReport`, `closeTaskManagerConnection`), flink-protocol.md
 * §2.2.3–2.2.4. The context holds the InstanceID of the current registration and whether its slots
 * are registered at the slot manager (the first slot report did it).
 */
import { assign, setup } from 'xstate';
import type { TaskExecutorRegistrationEvent } from './events.js';

export interface TaskExecutorRegistrationContext {
  readonly instanceId: string | null;
  readonly slotsRegistered: boolean;
}

export const taskExecutorRegistrationMachine = setup({
  types: {
    context: {} as TaskExecutorRegistrationContext,
    events: {} as TaskExecutorRegistrationEvent,
  },
  guards: {
    currentInstance: ({ context, event }) =>
      event.type === 'sendSlotReport' && event.instanceId === context.instanceId,
  },
  actions: {
    register: assign(({ event }) =>
      event.type === 'out.registerTaskExecutor.succeeded'
        ? { instanceId: event.instanceId, slotsRegistered: false }
        : {},
    ),
    registerSlots: assign({ slotsRegistered: true }),
    forget: assign({ instanceId: null, slotsRegistered: false }),
  },
}).createMachine({
  id: 'rmTaskExecutor',
  description: 'A TaskExecutor at the ResourceManager leader.',
  context: { instanceId: null, slotsRegistered: false },
  initial: 'unregistered',
  states: {
    unregistered: {
      description: 'Not registered (ours: absent from `taskExecutors`).',
      on: {
        'out.registerTaskExecutor.succeeded': {
          target: 'registered',
          actions: 'register',
          description: 'Registered under a new InstanceID.',
        },
        sendSlotReport: {
          description:
            'Unknown TaskExecutor: the report fails (Flink has no null check, the RPC fails).',
        },
        'out.registerTaskExecutor.rejected': {
          description:
            'Active: a worker the driver did not start is refused for good (it terminates).',
        },
      },
    },
    registered: {
      description: 'Registered under an InstanceID; monitored by heartbeats.',
      on: {
        'out.registerTaskExecutor.succeeded': {
          target: 'registered',
          reenter: true,
          actions: 'register',
          description:
            'Registered again: the old registration and its slots are dropped, JobMasters are not told.',
        },
        sendSlotReport: [
          {
            guard: 'currentInstance',
            actions: 'registerSlots',
            description:
              'The first (or a repeated) report of this registration: the slot manager registers or updates it.',
          },
          { description: 'Another InstanceID: refused ("Unknown TaskManager registration id").' },
        ],
        'out.registerTaskExecutor.rejected': {
          target: 'unregistered',
          actions: 'forget',
          description:
            'Active: a registered worker whose driver stopped it (registration timeout before its slot report) registers again: the old registration is dropped, the new one refused.',
        },
        'out.disconnectResourceManager': {
          target: 'unregistered',
          actions: 'forget',
          description:
            'closeTaskManagerConnection: its slots leave the slot manager, JobMasters are told.',
        },
      },
    },
  },
});
