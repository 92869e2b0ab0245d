/**
 * The lifecycle of one slot of a TaskExecutor (Flink's `TaskSlot` / `TaskSlotState`, driven by
 * `TaskSlotTableImpl` and `TaskExecutor`), flink-protocol.md §2.1.4–2.1.6. One machine per slot
 * index. Its context holds only what its guards need: the allocation and job occupying the slot
 * and the tasks running in it.
 *
 * `free` is ours: Flink has no TaskSlot object at a free index.
 */
import { assign, setup } from 'xstate';
import type { TaskSlotEvent } from './events.js';

export interface TaskSlotContext {
  readonly index: number;
  readonly allocationId: string | null;
  readonly jobId: string | null;
  readonly tasks: readonly string[];
}

/** Where freeing leads (`freeSlotInternal`): FREE when empty, RELEASING while tasks still run. */
function freeing(why: string) {
  return [
    {
      guard: 'hasTasks' as const,
      target: '#taskSlot.releasing',
      description: `${why} Tasks still run: RELEASING.`,
    },
    { target: '#taskSlot.free', actions: 'clear' as const, description: `${why} Freed.` },
  ];
}

export const taskSlotMachine = setup({
  types: {
    context: {} as TaskSlotContext,
    events: {} as TaskSlotEvent,
    input: {} as { index: number },
  },
  guards: {
    /** `isConnectedToResourceManager(rmId)`: the request comes from the RM leader the TE is registered at. */
    fromConnectedResourceManager: ({ event }) =>
      event.type === 'requestSlot' &&
      event.rmLeaderId !== null &&
      event.rmLeaderId === event.resourceManagerId,
    hasTasks: ({ context }) => context.tasks.length > 0,
    /** The JobMaster accepted this slot in the newest offer of the job. */
    accepted: ({ event }) => event.type === 'offerSlots.accepted' && event.accepted,
    /** `submitTask` for this slot's job and allocation, from the leader the job is connected to. */
    taskForThisSlot: ({ context, event }) =>
      event.type === 'submitTask' &&
      event.fromConnectedLeader &&
      event.allocationId === context.allocationId &&
      event.jobId === context.jobId,
    reported: ({ event }) => event.type === 'heartbeatFromJobManager' && event.reported,
    /** The terminating task is the last one in the slot. */
    lastTask: ({ context, event }) =>
      event.type === 'taskTerminated' &&
      context.tasks.length === 1 &&
      context.tasks[0] === event.attempt,
  },
  actions: {
    occupy: assign(({ event }) =>
      event.type === 'requestSlot'
        ? { allocationId: event.allocationId, jobId: event.jobId, tasks: [] }
        : {},
    ),
    clear: assign({ allocationId: null, jobId: null, tasks: [] }),
    addTask: assign(({ context, event }) =>
      event.type === 'submitTask' && !context.tasks.includes(event.attempt)
        ? { tasks: [...context.tasks, event.attempt] }
        : {},
    ),
    removeTask: assign(({ context, event }) =>
      event.type === 'taskTerminated'
        ? { tasks: context.tasks.filter((t) => t !== event.attempt) }
        : {},
    ),
  },
}).createMachine({
  id: 'taskSlot',
  description: 'One slot index of a TaskExecutor (TaskSlot, TaskSlotState).',
  context: ({ input }) => ({ index: input.index, allocationId: null, jobId: null, tasks: [] }),
  initial: 'free',
  states: {
    free: {
      description: 'Ours: no TaskSlot at this index; the slot can be allocated.',
      on: {
        requestSlot: [
          {
            guard: 'fromConnectedResourceManager',
            target: 'allocated',
            actions: 'occupy',
            description: 'TaskSlotTableImpl#allocateSlot: the slot timeout is armed.',
          },
          {
            description:
              'Refused: the TE is not registered at the RM leader that sent it (TaskManagerException).',
          },
        ],
      },
    },
    allocated: {
      description:
        'TaskSlotState.ALLOCATED: allocated to a job, not confirmed by its JobMaster; the slot timeout runs.',
      on: {
        requestSlot: {
          description:
            'The same allocation again (idempotent), another one (SlotOccupiedException), or refused.',
        },
        freeSlot: freeing('TaskExecutor#freeSlot from the JobMaster.'),
        freeInactiveSlots: freeing('The RM cleared the job: ALLOCATED slots are freed.'),
        slotTimeout: freeing('TaskExecutor#timeoutSlot: not confirmed in time.'),
        'offerSlots.accepted': [
          {
            guard: 'accepted',
            target: 'active',
            description: 'markSlotActive: the JobMaster took the slot.',
          },
          ...freeing('Rejected by the JobMaster.'),
        ],
        'offerSlots.failed': freeing('The offer failed: every offered slot is freed.'),
        submitTask: [
          {
            guard: 'taskForThisSlot',
            target: 'active',
            actions: 'addTask',
            description: 'tryMarkSlotActive: a task beat the offer answer.',
          },
          { description: 'Refused (TaskSubmissionException).' },
        ],
        heartbeatFromJobManager: {
          description: 'The JM sync leaves ALLOCATED slots to their timeout.',
        },
        jobDisconnected: { description: 'An inactive slot stays ALLOCATED; its timeout runs.' },
        jobReleased: freeing('releaseJobResources frees every slot of the job.'),
        taskTerminated: {
          actions: 'removeTask',
          description: 'A task failed by a disconnect ended.',
        },
      },
    },
    active: {
      description: "TaskSlotState.ACTIVE: in use by the job's JobMaster; no timeout.",
      on: {
        requestSlot: {
          description:
            'The same allocation again (idempotent), another one (SlotOccupiedException), or refused.',
        },
        freeSlot: freeing('TaskExecutor#freeSlot from the JobMaster.'),
        freeInactiveSlots: { description: 'ACTIVE slots are kept when the RM clears the job.' },
        'offerSlots.accepted': [
          { guard: 'accepted', description: 'Accepted again: stays ACTIVE.' },
          ...freeing('A task activated it, but the JobMaster rejected it: freed.'),
        ],
        'offerSlots.failed': freeing('The offer failed: every offered slot is freed.'),
        submitTask: [
          {
            guard: 'taskForThisSlot',
            actions: 'addTask',
            description: 'TaskSlotTableImpl#addTask.',
          },
          { description: 'Refused (TaskSubmissionException).' },
        ],
        heartbeatFromJobManager: [
          { guard: 'reported', description: 'The JobMaster still holds the slot.' },
          ...freeing('freeNoLongerUsedSlots: the JobMaster no longer lists it.'),
        ],
        jobDisconnected: {
          target: 'allocated',
          description: 'markSlotInactive: back to ALLOCATED, timeout re-armed, tasks failed.',
        },
        jobReleased: freeing('releaseJobResources frees every slot of the job.'),
        taskTerminated: { actions: 'removeTask', description: 'A task ended.' },
      },
    },
    releasing: {
      description:
        'TaskSlotState.RELEASING: freed while tasks still run; freed when the last one ends.',
      on: {
        requestSlot: { description: 'SlotOccupiedException, or refused.' },
        freeSlot: { description: 'Already releasing.' },
        freeInactiveSlots: {
          description: 'Only ALLOCATED slots are freed when the RM clears the job.',
        },
        slotTimeout: {
          description: 'A timeout armed before the release: freeing again keeps it RELEASING.',
        },
        'offerSlots.accepted': {
          description: 'markSlotActive fails (failSlot to the JobMaster), or it stays releasing.',
        },
        'offerSlots.failed': { description: 'Already releasing.' },
        submitTask: { description: 'Refused: a releasing slot takes no task.' },
        heartbeatFromJobManager: { description: 'Already releasing.' },
        jobDisconnected: {
          description: 'markSlotInactive fails; freeing again keeps it RELEASING.',
        },
        jobReleased: { description: 'Already releasing.' },
        taskTerminated: [
          {
            guard: 'lastTask',
            target: 'free',
            actions: 'clear',
            description: 'removeTask → slotActions.freeSlot: the slot is freed.',
          },
          { actions: 'removeTask', description: 'Another task ended; tasks remain.' },
        ],
      },
    },
  },
});
