/**
 * One slot (SlotID) at the DeclarativeSlotManager (`DefaultSlotTracker`, `DeclarativeTaskManagerSlot`,
 * `SlotStatusStateReconciler`, and the answer handling of `DeclarativeSlotManager#allocateSlot`),
 * flink-protocol.md §2.3.2. The context holds the job using the slot and, while PENDING, the
 * AllocationID of the request in flight (`pendingSlotAllocations`).
 *
 * `untracked` is ours: the slot's TaskExecutor is not registered at the slot manager.
 */
import { assign, setup } from 'xstate';
import type { SlotManagerSlotEvent } from './events.js';

export interface SlotManagerSlotContext {
  readonly jobId: string | null;
  readonly allocationId: string | null;
}

const ignored = {
  description: 'An answer to a request that is no longer the one in flight: ignored.',
};

export const slotManagerSlotMachine = setup({
  types: { context: {} as SlotManagerSlotContext, events: {} as SlotManagerSlotEvent },
  guards: {
    /** The report gives the slot a job. */
    reportedInUse: ({ event }) =>
      (event.type === 'reported' || event.type === 'registered') && event.jobId !== null,
    /** The report gives the slot the job it already has. */
    reportedSameJob: ({ context, event }) =>
      event.type === 'reported' && event.jobId === context.jobId,
    /** The answer is to the request in flight for this slot. */
    currentRequest: ({ context, event }) =>
      'allocationId' in event &&
      event.type.startsWith('requestSlot.') &&
      event.allocationId === context.allocationId,
  },
  actions: {
    startAllocation: assign(({ event }) =>
      event.type === 'out.requestSlot'
        ? { jobId: event.jobId, allocationId: event.allocationId }
        : {},
    ),
    completeAllocation: assign({ allocationId: null }),
    /** The reported (or SlotOccupiedException's) job takes the slot. */
    allocateToReported: assign(({ event }) =>
      (event.type === 'reported' ||
        event.type === 'registered' ||
        event.type === 'requestSlot.occupied') &&
      event.jobId !== null
        ? { jobId: event.jobId, allocationId: null }
        : {},
    ),
    free: assign({ jobId: null, allocationId: null }),
  },
}).createMachine({
  id: 'slotManagerSlot',
  description: 'One slot at the DeclarativeSlotManager.',
  context: { jobId: null, allocationId: null },
  initial: 'untracked',
  on: {
    removed: {
      target: '.untracked',
      actions: 'free',
      description:
        'The TaskExecutor left the slot manager: a slot in use is freed first (its job loses it).',
    },
  },
  states: {
    untracked: {
      description:
        'Ours: the slot is not registered (its TaskExecutor is not, or has not reported yet).',
      on: {
        registered: [
          {
            guard: 'reportedInUse',
            target: 'allocated',
            actions: 'allocateToReported',
            description: 'Reported in use: FREE → PENDING → ALLOCATED for the reported job.',
          },
          { target: 'free', description: 'Reported free.' },
        ],
        'requestSlot.acked': ignored,
        'requestSlot.occupied': ignored,
        'requestSlot.failed': ignored,
      },
    },
    free: {
      description: 'SlotState.FREE: registered and unused; in the free list.',
      on: {
        'out.requestSlot': {
          target: 'pending',
          actions: 'startAllocation',
          description: 'allocateSlot: FREE → PENDING under a new AllocationID.',
        },
        reported: [
          {
            guard: 'reportedInUse',
            target: 'allocated',
            actions: 'allocateToReported',
            description: 'The TaskExecutor holds it for a job: → PENDING → ALLOCATED.',
          },
          { description: 'Reported free: matching.' },
        ],
        notifySlotAvailable: {
          description: "Already FREE: Flink's checkState(state != FREE) fails, nothing changes.",
        },
        'requestSlot.acked': ignored,
        'requestSlot.occupied': ignored,
        'requestSlot.failed': ignored,
      },
    },
    pending: {
      description: 'SlotState.PENDING: requested for a job; the request is in flight.',
      on: {
        'requestSlot.acked': [
          {
            guard: 'currentRequest',
            target: 'allocated',
            actions: 'completeAllocation',
            description: 'The TaskExecutor allocated it: ALLOCATED.',
          },
          ignored,
        ],
        'requestSlot.occupied': [
          {
            guard: 'currentRequest',
            target: 'allocated',
            actions: 'allocateToReported',
            description: 'SlotOccupiedException: ALLOCATED to the job the TaskExecutor named.',
          },
          ignored,
        ],
        'requestSlot.failed': [
          {
            guard: 'currentRequest',
            target: 'free',
            actions: 'free',
            description: 'The request failed (or timed out): FREE, and a new attempt follows.',
          },
          ignored,
        ],
        reported: [
          {
            guard: 'reportedSameJob',
            target: 'allocated',
            actions: 'completeAllocation',
            description: 'The report completes the allocation first.',
          },
          {
            guard: 'reportedInUse',
            target: 'allocated',
            actions: 'allocateToReported',
            description: 'Reported for another job: → FREE → PENDING → ALLOCATED for it.',
          },
          {
            description:
              'Reported free while PENDING: the allocation is expected soon; nothing changes.',
          },
        ],
        notifySlotAvailable: {
          target: 'free',
          actions: 'free',
          description: 'A free notification: FREE (the AllocationID is not checked).',
        },
      },
    },
    allocated: {
      description: 'SlotState.ALLOCATED: in use by a job.',
      on: {
        reported: [
          { guard: 'reportedSameJob', description: 'Matching.' },
          {
            guard: 'reportedInUse',
            target: 'allocated',
            reenter: true,
            actions: 'allocateToReported',
            description: 'Reported for another job: → FREE → PENDING → ALLOCATED for it.',
          },
          {
            target: 'free',
            actions: 'free',
            description: 'Reported free: FREE (the TaskExecutor is the truth).',
          },
        ],
        notifySlotAvailable: {
          target: 'free',
          actions: 'free',
          description: 'notifySlotAvailable: FREE.',
        },
        'requestSlot.acked': ignored,
        'requestSlot.occupied': ignored,
        'requestSlot.failed': ignored,
      },
    },
  },
});
