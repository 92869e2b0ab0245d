/**
 * One slot request of the scheduler at a JobMaster leadership's `DeclarativeSlotPoolBridge`
 * (flink-protocol.md §2.5.7, §2.5.4): PENDING in `pendingRequests` until a free slot is reserved
 * for it, then FULFILLED in `fulfilledRequests` until the scheduler releases it. Flink names no
 * states; ours add the request before it reaches the Bridge, a fulfilled request whose slot left
 * the pool under it (its payload released, the request still in `fulfilledRequests`), and the two
 * ends: failed (a pending request's future completed exceptionally) and released (a request that
 * held a slot is gone).
 *
 * Requests travel in no message: the monitor reads `pendingRequests` and `fulfilledRequests`
 * after each step and feeds what changed, with the slot the pool reserved for a request in the step
 * that fulfilled it, and with the cause the step shows for a request that left (the RM's
 * `notifyNotEnoughResourcesAvailable`, the JobMaster stopping, or the scheduler's `releaseSlot`
 * when the step shows it cancelling its round: a rescale, the end of the job, a failover).
 * What the machine checks is the request's own lifecycle: a request is fulfilled once, with one
 * slot, and never comes back; only a pending request fails; its slot leaves the pool under it
 * only while fulfilled; and when the pool closes, no request still holds a slot of the pool.
 */
import { assign, setup } from 'xstate';
import type { SlotRequestEvent } from './events.js';

export interface SlotRequestContext {
  /** The slot reserved for the request, once fulfilled. */
  readonly allocationId: string | null;
}

export const slotRequestMachine = setup({
  types: { context: {} as SlotRequestContext, events: {} as SlotRequestEvent },
  guards: {
    /** The slot that left the pool is the one reserved for this request. */
    itsSlot: ({ context, event }) =>
      event.type === 'out.freeSlot' && event.allocationId === context.allocationId,
  },
  actions: {
    reserve: assign(({ event }) =>
      event.type === 'allocateAvailableSlot' || event.type === 'newSlotsAreAvailable'
        ? { allocationId: event.allocationId }
        : {},
    ),
  },
}).createMachine({
  id: 'slotRequest',
  description: "One slot request of the scheduler at a JobMaster's DeclarativeSlotPoolBridge.",
  context: { allocationId: null },
  initial: 'notRequested',
  states: {
    notRequested: {
      description: 'Ours: the scheduler has not asked the Bridge for this request yet.',
      on: {
        requestNewAllocatedSlot: {
          target: 'pending',
          description:
            'DeclarativeSlotPoolBridge#requestNewAllocatedSlot: a PendingRequest, and increaseResourceRequirementsBy(profile, 1).',
        },
        allocateAvailableSlot: {
          target: 'fulfilled',
          actions: 'reserve',
          description:
            'DeclarativeSlotPoolBridge#allocateAvailableSlot (PhysicalSlotProviderImpl found a free slot): increaseResourceRequirementsBy, then reserveFreeSlot.',
        },
      },
    },
    pending: {
      description:
        'PENDING: in pendingRequests; its slot is one of the requirements declared to the RM.',
      on: {
        newSlotsAreAvailable: {
          target: 'fulfilled',
          actions: 'reserve',
          description:
            'DeclarativeSlotPoolBridge#newSlotsAreAvailable (an accepted offer or a freed slot): matched, reserveFreeSlot, the future completes.',
        },
        releaseSlot: {
          target: 'failed',
          description:
            'DeclarativeSlotPoolBridge#releaseSlot of a pending request (the scheduler cancels: failover, bulk timeout, rescale, job end): decreaseResourceRequirementsBy, the future fails.',
        },
        notifyNotEnoughResourcesAvailable: {
          target: 'failed',
          description:
            'DeclarativeSlotPoolBridge#notifyNotEnoughResourcesAvailable → failPendingRequests: NoResourceAvailableException, the requirements drop.',
        },
        close: {
          target: 'failed',
          description:
            'DeclarativeSlotPoolService#close → DeclarativeSlotPoolBridge#onClose: every pending request fails.',
        },
      },
    },
    fulfilled: {
      description:
        'FULFILLED: in fulfilledRequests; the slot reserved for it (RESERVED in the pool) holds its payload.',
      on: {
        releaseSlot: {
          target: 'released',
          description:
            'DeclarativeSlotPoolBridge#releaseSlot of a fulfilled request: freeReservedSlot (the slot is FREE again), decreaseResourceRequirementsBy what it fulfilled.',
        },
        'out.freeSlot': {
          guard: 'itsSlot',
          target: 'payloadReleased',
          description:
            'DefaultDeclarativeSlotPool#releaseSlot/releaseSlots (failSlot, TaskExecutor lost or disconnected): the slot leaves under the request, its payload is released (the task fails).',
        },
      },
    },
    payloadReleased: {
      description:
        'Ours: still in fulfilledRequests, but its slot left the pool and its payload was released.',
      on: {
        releaseSlot: {
          target: 'released',
          description:
            'DeclarativeSlotPoolBridge#releaseSlot (the scheduler fails the task over): removed from fulfilledRequests; freeReservedSlot finds no slot.',
        },
        close: {
          target: 'released',
          description:
            'DeclarativeSlotPoolService#close (the JobMaster stops): the request goes with the Bridge; its slot is gone already.',
        },
      },
    },
    failed: {
      description: "Ours: a pending request's future completed exceptionally; the request is gone.",
    },
    released: {
      description: 'Ours: a request that held a slot is gone from the Bridge.',
    },
  },
});
