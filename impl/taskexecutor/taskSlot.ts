/**
 * One allocated slot of a TaskExecutor (Flink's `taskexecutor/slot/TaskSlot.java`) and its state
 * (`TaskSlotState`). A free slot has no TaskSlot at all in Flink's table: "FREE" is not a Flink
 * state, and this model names it only in the machines, where it says so.
 *
 * Left out: the slot's memory manager and class loader lease (they do not affect allocation).
 */
import type { AllocationID, ExecutionAttemptID, JobID } from '../../protocol/ids.js';
import type { ResourceProfile, SlotOffer } from '../../protocol/values.js';

/**
 * `TaskSlotState`: ALLOCATED (allocated to a job, not yet confirmed by its JobMaster), ACTIVE (in
 * use by the job's JobMaster), RELEASING (being freed while tasks still run).
 */
export type TaskSlotState = 'ALLOCATED' | 'ACTIVE' | 'RELEASING';

export interface TaskSlot {
  readonly index: number;
  readonly allocationId: AllocationID;
  readonly jobId: JobID;
  readonly resourceProfile: ResourceProfile;
  state: TaskSlotState;
  /** The tasks running in the slot, in the order they were added. */
  tasks: ExecutionAttemptID[];
}

/** `TaskSlot#isAllocated`: the slot is this (job, allocation) and not being released. */
export function isAllocatedTo(slot: TaskSlot, jobId: JobID, allocationId: AllocationID): boolean {
  return (
    slot.jobId === jobId &&
    slot.allocationId === allocationId &&
    (slot.state === 'ACTIVE' || slot.state === 'ALLOCATED')
  );
}

/** `TaskSlot#markActive`: ALLOCATED or ACTIVE becomes ACTIVE; RELEASING refuses. */
export function markActive(slot: TaskSlot): boolean {
  if (slot.state !== 'ALLOCATED' && slot.state !== 'ACTIVE') return false;
  slot.state = 'ACTIVE';
  return true;
}

/** `TaskSlot#markInactive`: ACTIVE or ALLOCATED becomes ALLOCATED; RELEASING refuses. */
export function markInactive(slot: TaskSlot): boolean {
  if (slot.state !== 'ALLOCATED' && slot.state !== 'ACTIVE') return false;
  slot.state = 'ALLOCATED';
  return true;
}

/** `TaskSlot#generateSlotOffer`: only an ALLOCATED or ACTIVE slot can be offered. */
export function generateSlotOffer(slot: TaskSlot): SlotOffer {
  if (slot.state !== 'ALLOCATED' && slot.state !== 'ACTIVE') {
    throw new Error(`TaskSlot#generateSlotOffer: slot ${slot.allocationId} is ${slot.state}`);
  }
  return {
    allocationId: slot.allocationId,
    slotIndex: slot.index,
    resourceProfile: slot.resourceProfile,
  };
}
