/**
 * The TaskExecutor's slot table (Flink's `taskexecutor/slot/TaskSlotTableImpl.java`, with the
 * per-allocation timeouts of `DefaultTimerService`), as plain data and functions over it.
 *
 * Simplifications (docs/simplifications.md):
 * - The resource budget counts default slots: the TaskExecutor has `numberSlots` of them and every
 *   slot, whatever its (opaque) profile, takes one. Flink's `ResourceBudgetManager` subtracts CPU
 *   and memory; with whole-slot profiles the two agree.
 * - `slotsPerJob` and `allocatedSlots` are derived from the slots instead of kept beside them, so
 *   they cannot disagree (Flink asserts they do not).
 * - The table is RUNNING for the whole life of the process: the model has no orderly TaskExecutor
 *   shutdown, only crashes, so CREATED/CLOSING/CLOSED and `closeAsync` are left out.
 * - Timer tickets are counters rather than UUIDs.
 */
import type {
  AllocationID,
  ExecutionAttemptID,
  JobID,
  ResourceID,
  SlotID,
} from '../../protocol/ids.js';
import type { ResourceProfile, SlotReport } from '../../protocol/values.js';
import { isAllocatedTo, markActive, markInactive, type TaskSlot } from './taskSlot.js';

export interface TaskSlotTable {
  readonly numberSlots: number;
  readonly defaultSlotResourceProfile: ResourceProfile;
  /** `taskSlots`: the allocated slots, sorted by index. A missing index is a free slot. */
  slots: TaskSlot[];
  /** Next index for a dynamic slot; starts at `numberSlots` and only grows. */
  dynamicSlotIndex: number;
  /** `DefaultTimerService`: the current ticket of each allocation's registered timeout. */
  timeoutTickets: Record<string, number>;
  nextTicket: number;
}

/** Where the table arms and cancels its slot timeouts (the TaskExecutor's `Out`). */
export interface TimerOut {
  armTimer(name: string, delayMs: number, data: { ticket: number }): void;
  cancelTimer(name: string): void;
}

export const SLOT_TIMEOUT_PREFIX = 'slotTimeout/';

/** The timer name of an allocation's slot timeout. */
export function slotTimeoutTimer(allocationId: AllocationID): string {
  return `${SLOT_TIMEOUT_PREFIX}${allocationId}`;
}

export function createTaskSlotTable(
  numberSlots: number,
  defaultSlotResourceProfile: ResourceProfile,
): TaskSlotTable {
  return {
    numberSlots,
    defaultSlotResourceProfile,
    slots: [],
    dynamicSlotIndex: numberSlots,
    timeoutTickets: {},
    nextTicket: 1,
  };
}

export function slotAt(table: TaskSlotTable, index: number): TaskSlot | undefined {
  return table.slots.find((s) => s.index === index);
}

/** `getTaskSlot(allocationId)`. */
export function slotOf(table: TaskSlotTable, allocationId: AllocationID): TaskSlot | undefined {
  return table.slots.find((s) => s.allocationId === allocationId);
}

/** `isSlotFree(index)`. A dynamic index (negative) always counts as free. */
export function isSlotFree(table: TaskSlotTable, index: number): boolean {
  return slotAt(table, index) === undefined;
}

/** `isAllocated(index, jobId, allocationId)`. */
export function isAllocatedAt(
  table: TaskSlotTable,
  index: number,
  jobId: JobID,
  allocationId: AllocationID,
): boolean {
  const slot = slotAt(table, index);
  return slot !== undefined && isAllocatedTo(slot, jobId, allocationId);
}

/** The slots of a job, in index order (`getAllocationIdsPerJob` / `slotsPerJob`). */
export function slotsOfJob(table: TaskSlotTable, jobId: JobID): TaskSlot[] {
  return table.slots.filter((s) => s.jobId === jobId);
}

/** `getAllocatedSlots(jobId)`: only the job's ALLOCATED slots, the ones offered to its JobMaster. */
export function allocatedSlotsOfJob(table: TaskSlotTable, jobId: JobID): TaskSlot[] {
  return table.slots.filter((s) => s.jobId === jobId && s.state === 'ALLOCATED');
}

function registerTimeout(
  table: TaskSlotTable,
  allocationId: AllocationID,
  timeoutMs: number,
  out: TimerOut,
): void {
  const ticket = table.nextTicket++;
  table.timeoutTickets[allocationId] = ticket;
  out.armTimer(slotTimeoutTimer(allocationId), timeoutMs, { ticket });
}

function unregisterTimeout(table: TaskSlotTable, allocationId: AllocationID, out: TimerOut): void {
  if (table.timeoutTickets[allocationId] === undefined) return;
  delete table.timeoutTickets[allocationId];
  out.cancelTimer(slotTimeoutTimer(allocationId));
}

/**
 * `TaskSlotTableImpl#allocateSlot`. A negative index asks for a dynamic slot. Returns false when
 * the allocation id exists with another job, profile or index, when the index is taken by another
 * allocation, or when the budget is spent. Repeating an existing allocation returns true without
 * re-arming its timeout.
 */
export function allocateSlot(
  table: TaskSlotTable,
  requestedIndex: number,
  jobId: JobID,
  allocationId: AllocationID,
  resourceProfile: ResourceProfile,
  slotTimeoutMs: number,
  out: TimerOut,
): boolean {
  if (requestedIndex >= table.numberSlots) {
    throw new Error(
      `TaskSlotTableImpl#allocateSlot: checkArgument(index ${requestedIndex} < ${table.numberSlots})`,
    );
  }
  // The dynamic counter moves even if the allocation then fails, as in Flink.
  const index = requestedIndex < 0 ? table.dynamicSlotIndex++ : requestedIndex;
  const profile =
    resourceProfile === 'UNKNOWN' ? table.defaultSlotResourceProfile : resourceProfile;
  const existing = slotOf(table, allocationId);
  if (existing !== undefined) {
    // isDuplicatedSlot: same job, same effective profile, and a dynamic or the same static index.
    return (
      existing.jobId === jobId &&
      existing.resourceProfile === profile &&
      (index >= table.numberSlots || existing.index === index)
    );
  }
  if (!isSlotFree(table, index)) return false;
  if (table.slots.length >= table.numberSlots) return false; // budgetManager.reserve failed
  table.slots.push({
    index,
    allocationId,
    jobId,
    resourceProfile: profile,
    state: 'ALLOCATED',
    tasks: [],
  });
  table.slots.sort((a, b) => a.index - b.index);
  registerTimeout(table, allocationId, slotTimeoutMs, out);
  return true;
}

/** The result of an operation on an allocation id the table may not know (`SlotNotFoundException`). */
export type Found<T> = { readonly found: true; readonly value: T } | { readonly found: false };

/** `markSlotActive` (through `markExistingSlotActive`): true if now ACTIVE, timeout unregistered. */
export function markSlotActive(
  table: TaskSlotTable,
  allocationId: AllocationID,
  out: TimerOut,
): Found<boolean> {
  const slot = slotOf(table, allocationId);
  if (slot === undefined) return { found: false };
  return { found: true, value: markExistingSlotActive(table, slot, out) };
}

/** `tryMarkSlotActive(jobId, allocationId)`: only a slot allocated to exactly that job and id. */
export function tryMarkSlotActive(
  table: TaskSlotTable,
  jobId: JobID,
  allocationId: AllocationID,
  out: TimerOut,
  keepTimeout = false,
): boolean {
  const slot = slotOf(table, allocationId);
  if (slot === undefined || !isAllocatedTo(slot, jobId, allocationId)) return false;
  // `keepTimeout` is FLINK-18012 of the bug zoo: before 1.10.2/1.11.0 this path left it armed.
  return keepTimeout ? markActive(slot) : markExistingSlotActive(table, slot, out);
}

function markExistingSlotActive(table: TaskSlotTable, slot: TaskSlot, out: TimerOut): boolean {
  if (!markActive(slot)) return false;
  unregisterTimeout(table, slot.allocationId, out);
  return true;
}

/** `markSlotInactive`: ACTIVE/ALLOCATED becomes ALLOCATED and its timeout is armed again. */
export function markSlotInactive(
  table: TaskSlotTable,
  allocationId: AllocationID,
  slotTimeoutMs: number,
  out: TimerOut,
): Found<boolean> {
  const slot = slotOf(table, allocationId);
  if (slot === undefined) return { found: false };
  if (!markInactive(slot)) return { found: true, value: false };
  registerTimeout(table, allocationId, slotTimeoutMs, out);
  return { found: true, value: true };
}

/**
 * `TaskSlotTableImpl#freeSlot`. An empty slot is removed and its index returned; a slot with tasks
 * becomes RELEASING and -1 is returned (its tasks are to be failed; the slot is freed when the
 * last one is removed).
 */
export function freeSlot(
  table: TaskSlotTable,
  allocationId: AllocationID,
  out: TimerOut,
): Found<number> {
  const slot = slotOf(table, allocationId);
  if (slot === undefined) return { found: false };
  if (slot.tasks.length > 0) {
    slot.state = 'RELEASING';
    return { found: true, value: -1 };
  }
  table.slots = table.slots.filter((s) => s !== slot);
  unregisterTimeout(table, allocationId, out);
  return { found: true, value: slot.index };
}

/** `isValidTimeout(allocationId, ticket)`: the firing is the current registration's, not a stale one. */
export function isValidTimeout(
  table: TaskSlotTable,
  allocationId: AllocationID,
  ticket: number,
): boolean {
  return table.timeoutTickets[allocationId] === ticket;
}

/** `addTask`: a task may only join an ACTIVE slot of its own job and allocation. */
export function addTask(
  table: TaskSlotTable,
  task: {
    readonly executionAttemptId: ExecutionAttemptID;
    readonly jobId: JobID;
    readonly allocationId: AllocationID;
  },
): 'added' | 'duplicate' | 'SlotNotFoundException' | 'SlotNotActiveException' {
  const slot = slotOf(table, task.allocationId);
  if (slot === undefined) return 'SlotNotFoundException';
  if (slot.state !== 'ACTIVE' || slot.jobId !== task.jobId) return 'SlotNotActiveException';
  if (slot.tasks.includes(task.executionAttemptId)) return 'duplicate';
  slot.tasks.push(task.executionAttemptId);
  return 'added';
}

/**
 * `removeTask`: the task leaves its slot. Returns the allocation to free when the slot was
 * RELEASING and is now empty (`slotActions.freeSlot`).
 */
export function removeTask(
  table: TaskSlotTable,
  executionAttemptId: ExecutionAttemptID,
): { readonly freeAllocation: AllocationID | null } {
  const slot = table.slots.find((s) => s.tasks.includes(executionAttemptId));
  if (slot === undefined) return { freeAllocation: null };
  slot.tasks = slot.tasks.filter((t) => t !== executionAttemptId);
  return {
    freeAllocation:
      slot.state === 'RELEASING' && slot.tasks.length === 0 ? slot.allocationId : null,
  };
}

/**
 * `createSlotReport`: one entry per static index (free ones without job and allocation, with the
 * default profile), then one per allocated dynamic slot. RELEASING slots count as allocated.
 */
export function createSlotReport(table: TaskSlotTable, resourceId: ResourceID): SlotReport {
  const slotId = (slotNumber: number) => ({ resourceId, slotNumber }) as SlotID;
  const report: SlotReport = [];
  for (let index = 0; index < table.numberSlots; index++) {
    const slot = slotAt(table, index);
    report.push(
      slot === undefined
        ? {
            slotId: slotId(index),
            resourceProfile: table.defaultSlotResourceProfile,
            jobId: null,
            allocationId: null,
          }
        : {
            slotId: slotId(index),
            resourceProfile: slot.resourceProfile,
            jobId: slot.jobId,
            allocationId: slot.allocationId,
          },
    );
  }
  for (const slot of table.slots) {
    if (slot.index >= table.numberSlots) {
      report.push({
        slotId: slotId(slot.index),
        resourceProfile: slot.resourceProfile,
        jobId: slot.jobId,
        allocationId: slot.allocationId,
      });
    }
  }
  return report;
}
