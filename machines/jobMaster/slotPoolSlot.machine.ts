/**
 * One AllocationID in a JobMaster leadership's slot pool (`DefaultDeclarativeSlotPool` with its
 * `DefaultAllocatedSlotPool`, as the `DeclarativeSlotPoolBridge` drives it), flink-protocol.md
 * §2.5.5, §2.5.7, §4.2, §4.7, §4.11: FREE or RESERVED while in the pool. `notInPool` and `released`
 * are ours (Flink's pool simply does not hold the slot): offered but never accepted, or gone after
 * the TaskExecutor was told `freeSlot`. A released slot comes back only if its TaskExecutor offers
 * it again before freeing it, and the pool accepts it as a new slot.
 *
 * Which offers are accepted depends on the job's requirements (and on whether it restarts), which
 * this machine does not hold: the accept/reject answer is the pool's output. What it checks is the
 * slot's own lifecycle: a slot already in the pool is always accepted again, only a free slot is
 * reserved, only a reserved one is freed back or gets a task, and a slot leaves the pool only with
 * a `freeSlot` to its TaskExecutor.
 */
import { setup } from 'xstate';
import type { SlotPoolSlotEvent } from './events.js';

const again = {
  description:
    'DefaultDeclarativeSlotPool#offerSlots: an AllocationID already in the pool is accepted again (idempotent).',
};

export const slotPoolSlotMachine = setup({
  types: { events: {} as SlotPoolSlotEvent },
}).createMachine({
  id: 'slotPoolSlot',
  description: "One AllocationID in a JobMaster's slot pool.",
  initial: 'notInPool',
  states: {
    notInPool: {
      description: 'Ours: offered to the pool, never accepted.',
      on: {
        'out.offerSlots.accepted': {
          target: 'free',
          description:
            'offerSlots matched it with an outstanding requirement (or registerSlots while RESTARTING): FREE.',
        },
        'out.offerSlots.rejected': {
          description:
            'No outstanding requirement matches it: rejected (the TaskExecutor frees it).',
        },
      },
    },
    free: {
      description: 'FREE (freeSince): in the pool, no request holds it; idle ones are returned.',
      on: {
        'out.offerSlots.accepted': again,
        reserveFreeSlot: {
          target: 'reserved',
          description:
            'DeclarativeSlotPoolBridge#newSlotsAreAvailable / allocateAvailableSlot → reserveFreeSlot: a request takes it.',
        },
        'out.freeSlot': {
          target: 'released',
          description:
            'releaseIdleSlots (excess and idle), failAllocation or releaseTaskManager: gone, freeSlot to the TaskExecutor.',
        },
      },
    },
    reserved: {
      description: "RESERVED: a slot request's payload (a task of the scheduler) holds it.",
      on: {
        'out.offerSlots.accepted': again,
        freeReservedSlot: {
          target: 'free',
          description:
            'DeclarativeSlotPoolBridge#releaseSlot → freeReservedSlot: the request gave it back (the job restarts): FREE.',
        },
        'out.freeSlot': {
          target: 'released',
          description:
            'failAllocation or releaseTaskManager: gone under its payload (the task fails), freeSlot to the TaskExecutor.',
        },
        'out.submitTask': {
          description: 'Execution#deploy: a task is deployed only into a reserved slot.',
        },
      },
    },
    released: {
      description: 'Ours: left the pool; its TaskExecutor was told freeSlot.',
      on: {
        'out.offerSlots.accepted': {
          target: 'free',
          description:
            'Offered again before the TaskExecutor freed it, and accepted as a new slot: FREE.',
        },
        'out.offerSlots.rejected': {
          description: 'Offered again, and no outstanding requirement matches it: rejected.',
        },
      },
    },
  },
});
