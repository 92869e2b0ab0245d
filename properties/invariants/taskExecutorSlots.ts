/**
 * Always-invariants of the TaskExecutors' slot tables (flink-protocol.md §5.1): what
 * `TaskSlotTableImpl` guarantees for one TaskExecutor, and what the protocol guarantees across them.
 */
import { duplicateAllocations } from '../clusterViews.js';
import { stepInvariant, type StateInvariant, type StepInvariant } from '../invariant.js';

export const slotIndexHoldsOneAllocation: StateInvariant = {
  name: 'slotIndexHoldsOneAllocation',
  scope: 'taskExecutors',
  kind: 'always',
  guarantee:
    'TaskSlotTableImpl keeps one TaskSlot per slot index and one index per AllocationID, within the configured slots',
  check: (state) => {
    const problems: string[] = [];
    for (const [te, process] of Object.entries(state.taskExecutors)) {
      if (process === null) continue;
      const table = process.taskSlotTable;
      const indexes = new Set<number>();
      const allocations = new Set<string>();
      for (const slot of table.slots) {
        if (indexes.has(slot.index)) problems.push(`${te}#${slot.index} holds two TaskSlots`);
        if (allocations.has(slot.allocationId))
          problems.push(`${te} holds ${slot.allocationId} in two slots`);
        if (slot.index < 0 || slot.index >= table.numberSlots)
          problems.push(`${te}#${slot.index} is beyond its ${table.numberSlots} slots`);
        indexes.add(slot.index);
        allocations.add(slot.allocationId);
      }
    }
    return problems;
  },
};

export const allocationAtOneTaskExecutor: StateInvariant = {
  name: 'allocationAtOneTaskExecutor',
  scope: 'taskExecutors',
  kind: 'always',
  guarantee:
    'an AllocationID names one slot of one TaskExecutor (the SlotManager mints it for one SlotID)',
  check: (state) => duplicateAllocations(state),
};

/** Each running TaskExecutor's session and the AllocationID at each of its slot indexes. */
type SlotDigest = Record<string, { session: string; slots: Record<number, string> }>;

export const slotFreedBeforeReallocated: StepInvariant = stepInvariant<SlotDigest>({
  name: 'slotFreedBeforeReallocated',
  scope: 'taskExecutors',
  kind: 'always',
  guarantee:
    'TaskExecutor#requestSlot refuses a slot index allocated to another AllocationID (SlotOccupiedException): a slot is freed before it is allocated again',
  before: (state) => {
    const digest: SlotDigest = {};
    for (const [te, process] of Object.entries(state.taskExecutors)) {
      if (process === null) continue;
      digest[te] = {
        session: process.sessionId,
        slots: Object.fromEntries(
          process.taskSlotTable.slots.map((s) => [s.index, s.allocationId]),
        ),
      };
    }
    return digest;
  },
  check: (before, _record, after) => {
    const problems: string[] = [];
    for (const [te, was] of Object.entries(before)) {
      const process = after.taskExecutors[te] ?? null;
      if (process === null || process.sessionId !== was.session) continue;
      for (const slot of process.taskSlotTable.slots) {
        const previous = was.slots[slot.index];
        if (previous !== undefined && previous !== slot.allocationId)
          problems.push(
            `${te}#${slot.index} went from ${previous} to ${slot.allocationId} of ${slot.jobId} without being freed: the slot is allocated twice`,
          );
      }
    }
    return problems;
  },
});

export const jobsOnlyWithSlots: StateInvariant = {
  name: 'jobsOnlyWithSlots',
  scope: 'taskExecutors',
  kind: 'always',
  guarantee:
    'a TaskExecutor keeps a job (its JobTable entry, leader retrieval and JobMaster connection) only while it holds a slot of it: freeing the last slot releases the job (closeJobManagerConnectionIfNoAllocatedResources)',
  check: (state) => {
    const problems: string[] = [];
    for (const [te, process] of Object.entries(state.taskExecutors)) {
      if (process === null) continue;
      for (const job of process.jobs)
        if (!process.taskSlotTable.slots.some((s) => s.jobId === job.jobId))
          problems.push(
            `${te} keeps ${job.jobId} (${job.connection === null ? 'not connected' : 'connected to its JobMaster'}) without a slot of it: the job's resources leak`,
          );
    }
    return problems;
  },
};
