/**
 * The SlotManager's view of every registered slot (Flink's `DefaultSlotTracker`,
 * `DeclarativeTaskManagerSlot` and `SlotStatusStateReconciler`), 1.15–1.17: FREE, PENDING(job) or
 * ALLOCATED(job) per SlotID, and the free slots in the order they became free. No AllocationID is
 * kept per slot: the DeclarativeSlotManager identifies a slot's use by (SlotID, JobID).
 *
 * Every state change is reported to a listener, which keeps the resource tracker and the
 * TaskExecutor counters in step, as Flink's `SlotStatusUpdateListener` does.
 */
import { hasMutant, type Mutant } from '../../mutants.js';
import type { InstanceID, JobID, SlotID } from '../../../protocol/ids.js';
import type { ResourceProfile, SlotStatus } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';

/** `SlotState`: FREE here is a real state (the slot is registered and unused). */
export type SlotState = 'FREE' | 'PENDING' | 'ALLOCATED';

export interface TrackedSlot {
  readonly slotId: SlotID;
  readonly resourceProfile: ResourceProfile;
  readonly instanceId: InstanceID;
  state: SlotState;
  jobId: JobID | null;
}

export interface SlotTracker {
  /** Keyed by `slotKey(slotId)`. */
  slots: Record<string, TrackedSlot>;
  /** Keys of the FREE slots, oldest free first (`freeSlots`, a LinkedHashMap in Flink). */
  freeSlots: string[];
}

/** A slot changed state; `jobId` is the job it had (to FREE) or gets (to PENDING/ALLOCATED). */
export interface SlotStatusChange {
  readonly slot: TrackedSlot;
  readonly previous: SlotState;
  readonly current: SlotState;
  readonly jobId: JobID;
}

export type SlotStatusListener = (change: SlotStatusChange) => void;

export function slotKey(slotId: SlotID): string {
  return `${slotId.resourceId}#${slotId.slotNumber}`;
}

export function createSlotTracker(): SlotTracker {
  return { slots: {}, freeSlots: [] };
}

function slotOf(tracker: SlotTracker, slotId: SlotID, where: string): TrackedSlot {
  const slot = tracker.slots[slotKey(slotId)];
  checkState(slot !== undefined, where, `slot ${slotKey(slotId)} is tracked`);
  return slot;
}

/** `addSlot`: a registered slot starts FREE, then takes the state its report gives. */
export function addSlot(
  tracker: SlotTracker,
  slotId: SlotID,
  resourceProfile: ResourceProfile,
  instanceId: InstanceID,
  assignedJob: JobID | null,
  listener: SlotStatusListener,
  mutants: readonly Mutant[] = [],
): void {
  const key = slotKey(slotId);
  if (tracker.slots[key] !== undefined) removeSlot(tracker, slotId, listener);
  const slot: TrackedSlot = { slotId, resourceProfile, instanceId, state: 'FREE', jobId: null };
  tracker.slots[key] = slot;
  tracker.freeSlots.push(key);
  reconcile(tracker, slot, assignedJob, listener, mutants);
}

/** `removeSlot`: a slot in use is freed first (its job loses the resource). */
export function removeSlot(
  tracker: SlotTracker,
  slotId: SlotID,
  listener: SlotStatusListener,
): void {
  const key = slotKey(slotId);
  const slot = tracker.slots[key];
  if (slot === undefined) return;
  if (slot.state !== 'FREE') toFree(tracker, slot, listener);
  delete tracker.slots[key];
  tracker.freeSlots = tracker.freeSlots.filter((k) => k !== key);
}

/** `notifyFree` (from `notifySlotAvailable` or a failed request): the slot must not be FREE already. */
export function notifyFree(
  tracker: SlotTracker,
  slotId: SlotID,
  listener: SlotStatusListener,
): void {
  toFree(tracker, slotOf(tracker, slotId, 'DefaultSlotTracker#notifyFree'), listener);
}

/** `notifyAllocationStart`: FREE → PENDING(job). */
export function notifyAllocationStart(
  tracker: SlotTracker,
  slotId: SlotID,
  jobId: JobID,
  listener: SlotStatusListener,
): void {
  toPending(
    tracker,
    slotOf(tracker, slotId, 'DefaultSlotTracker#notifyAllocationStart'),
    jobId,
    listener,
  );
}

/** `notifyAllocationComplete`: PENDING(job) → ALLOCATED(job). */
export function notifyAllocationComplete(
  tracker: SlotTracker,
  slotId: SlotID,
  jobId: JobID,
  listener: SlotStatusListener,
): void {
  toAllocated(
    slotOf(tracker, slotId, 'DefaultSlotTracker#notifyAllocationComplete'),
    jobId,
    listener,
  );
}

/**
 * `notifySlotStatus`: the TaskExecutor's report is the truth, reconciled slot by slot. Returns
 * whether anything changed.
 */
export function notifySlotStatus(
  tracker: SlotTracker,
  statuses: readonly SlotStatus[],
  listener: SlotStatusListener,
  mutants: readonly Mutant[] = [],
): boolean {
  let changed = false;
  for (const status of statuses) {
    changed =
      reconcile(
        tracker,
        slotOf(tracker, status.slotId, 'DefaultSlotTracker#notifySlotStatus'),
        status.jobId,
        listener,
        mutants,
      ) || changed;
  }
  return changed;
}

/**
 * `SlotStatusStateReconciler#executeStateTransition`: reaches the reported state through legal
 * transitions. A slot reported FREE while PENDING is left alone: the allocation is expected to
 * arrive (or fail) soon.
 */
function reconcile(
  tracker: SlotTracker,
  slot: TrackedSlot,
  reportedJob: JobID | null,
  listener: SlotStatusListener,
  mutants: readonly Mutant[],
): boolean {
  if (reportedJob === null) {
    if (slot.state !== 'ALLOCATED') return false;
    toFree(tracker, slot, listener);
    return true;
  }
  switch (slot.state) {
    case 'FREE':
      toPending(tracker, slot, reportedJob, listener);
      toAllocated(slot, reportedJob, listener);
      // FLINK-8505 (bug zoo): before 1.5.0 the reported slot was left in the free index.
      if (hasMutant(mutants, 'FLINK-8505:reportedSlotStaysFree'))
        tracker.freeSlots.push(slotKey(slot.slotId));
      return true;
    case 'PENDING':
      if (slot.jobId !== reportedJob) {
        toFree(tracker, slot, listener);
        toPending(tracker, slot, reportedJob, listener);
      }
      toAllocated(slot, reportedJob, listener);
      return true;
    case 'ALLOCATED':
      if (slot.jobId === reportedJob) return false;
      toFree(tracker, slot, listener);
      toPending(tracker, slot, reportedJob, listener);
      toAllocated(slot, reportedJob, listener);
      return true;
  }
}

function toFree(tracker: SlotTracker, slot: TrackedSlot, listener: SlotStatusListener): void {
  checkState(
    slot.state !== 'FREE',
    'DefaultSlotTracker#transitionSlotToFree',
    `slot ${slotKey(slot.slotId)} is not FREE`,
  );
  const previous = slot.state;
  const jobId = slot.jobId;
  checkState(jobId !== null, 'DeclarativeTaskManagerSlot', 'a slot in use has a job');
  slot.state = 'FREE';
  slot.jobId = null;
  tracker.freeSlots.push(slotKey(slot.slotId));
  listener({ slot, previous, current: 'FREE', jobId });
}

function toPending(
  tracker: SlotTracker,
  slot: TrackedSlot,
  jobId: JobID,
  listener: SlotStatusListener,
): void {
  checkState(
    slot.state === 'FREE',
    'DefaultSlotTracker#transitionSlotToPending',
    `slot ${slotKey(slot.slotId)} is FREE`,
  );
  slot.state = 'PENDING';
  slot.jobId = jobId;
  const key = slotKey(slot.slotId);
  tracker.freeSlots = tracker.freeSlots.filter((k) => k !== key);
  listener({ slot, previous: 'FREE', current: 'PENDING', jobId });
}

function toAllocated(slot: TrackedSlot, jobId: JobID, listener: SlotStatusListener): void {
  checkState(
    slot.jobId === jobId,
    'DefaultSlotTracker#transitionSlotToAllocated',
    `the slot's job ${slot.jobId ?? 'null'} is ${jobId}`,
  );
  checkState(
    slot.state === 'PENDING',
    'DefaultSlotTracker#transitionSlotToAllocated',
    `slot ${slotKey(slot.slotId)} is PENDING`,
  );
  slot.state = 'ALLOCATED';
  listener({ slot, previous: 'PENDING', current: 'ALLOCATED', jobId });
}

/** `getFreeSlots`, oldest free first. */
export function freeSlots(tracker: SlotTracker): TrackedSlot[] {
  return tracker.freeSlots
    .map((k) => tracker.slots[k])
    .filter((s): s is TrackedSlot => s !== undefined);
}

/** `getTaskExecutorsWithAllocatedSlotsForJob`: the instances holding PENDING or ALLOCATED slots of the job. */
export function instancesWithSlotsOfJob(tracker: SlotTracker, jobId: JobID): InstanceID[] {
  const instances: InstanceID[] = [];
  for (const slot of Object.values(tracker.slots)) {
    if (slot.jobId === jobId && !instances.includes(slot.instanceId))
      instances.push(slot.instanceId);
  }
  return instances;
}
