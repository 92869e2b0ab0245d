// Ports of Flink's TaskSlotTableImplTest and TaskSlotTest (flink-protocol.md §6.2) onto the model's
// slot table, one test per Flink test that concerns slots, named after it.
import { describe, expect, it } from 'vitest';
import type { AllocationID, ExecutionAttemptID, JobID, ResourceID } from '../../protocol/ids.js';
import {
  addTask,
  allocateSlot,
  createSlotReport,
  createTaskSlotTable,
  freeSlot,
  isValidTimeout,
  markSlotActive,
  markSlotInactive,
  removeTask,
  slotOf,
  slotsOfJob,
  tryMarkSlotActive,
  type TimerOut,
} from './taskSlotTable.js';

const job1 = 'job-1' as JobID;
const job2 = 'job-2' as JobID;
const aid1 = 'alloc-1' as AllocationID;
const aid2 = 'alloc-2' as AllocationID;
const task1 = 'attempt-1' as ExecutionAttemptID;
const TIMEOUT = 10_000;

/** Records the timer effects the table asks for. */
class Timers implements TimerOut {
  readonly log: string[] = [];
  armTimer(name: string, delayMs: number, data: { ticket: number }): void {
    this.log.push(`arm ${name} ${delayMs} ticket ${data.ticket}`);
  }
  cancelTimer(name: string): void {
    this.log.push(`cancel ${name}`);
  }
}

function table(numberSlots = 2) {
  return { table: createTaskSlotTable(numberSlots, 'default'), timers: new Timers() };
}

describe('TaskSlotTableImplTest', () => {
  it('testInconsistentStaticSlotAllocation: an allocation id lives at one index; an index holds one allocation', () => {
    const { table: t, timers } = table();
    expect(allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(allocateSlot(t, 1, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(false);
    expect(allocateSlot(t, 0, job1, aid2, 'UNKNOWN', TIMEOUT, timers)).toBe(false);
    expect(t.slots.map((s) => [s.index, s.allocationId])).toEqual([[0, aid1]]);
  });

  it('testInconsistentDynamicSlotAllocation: the same allocation id for another job is refused', () => {
    const { table: t, timers } = table();
    expect(allocateSlot(t, -1, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(allocateSlot(t, -1, job2, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(false);
    expect(slotOf(t, aid1)?.jobId).toBe(job1);
    expect(slotsOfJob(t, job2)).toEqual([]);
  });

  it('testDuplicateStaticSlotAllocation: repeating a request is idempotent and keeps one timer', () => {
    const { table: t, timers } = table();
    expect(allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(t.slots).toHaveLength(1);
    expect(timers.log).toEqual(['arm slotTimeout/alloc-1 10000 ticket 1']);
  });

  it('testDuplicateDynamicSlotAllocation: repeating a dynamic request is idempotent', () => {
    const { table: t, timers } = table();
    expect(allocateSlot(t, -1, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    const index = slotOf(t, aid1)?.index;
    expect(allocateSlot(t, -1, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(t.slots).toHaveLength(1);
    expect(slotOf(t, aid1)?.index).toBe(index);
  });

  it('testSlotAllocationWithResourceProfileFailure: a spent budget refuses and allocates nothing', () => {
    const { table: t, timers } = table(1);
    expect(allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toBe(true);
    expect(allocateSlot(t, -1, job1, aid2, 'UNKNOWN', TIMEOUT, timers)).toBe(false);
    expect(t.slots.map((s) => s.allocationId)).toEqual([aid1]);
  });

  it('testFreeSlotInterruptsSubmittedTask: freeing a busy slot returns -1 and leaves it RELEASING', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    markSlotActive(t, aid1, timers);
    expect(addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 })).toBe(
      'added',
    );
    expect(freeSlot(t, aid1, timers)).toEqual({ found: true, value: -1 });
    expect(slotOf(t, aid1)?.state).toBe('RELEASING');
  });

  it('testRemoveTaskCallsFreeSlotAction: the last task leaving a RELEASING slot frees it', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    markSlotActive(t, aid1, timers);
    addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 });
    freeSlot(t, aid1, timers);
    expect(removeTask(t, task1)).toEqual({ freeAllocation: aid1 });
    expect(freeSlot(t, aid1, timers)).toEqual({ found: true, value: 0 });
    expect(t.slots).toEqual([]);
  });

  it('a task leaving a slot that is not being released frees nothing', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    markSlotActive(t, aid1, timers);
    addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 });
    expect(removeTask(t, task1)).toEqual({ freeAllocation: null });
    expect(slotOf(t, aid1)?.state).toBe('ACTIVE');
  });

  it('testAllocatedSlotTimeout: an ALLOCATED slot has a timeout armed under its allocation id', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    expect(timers.log).toEqual(['arm slotTimeout/alloc-1 10000 ticket 1']);
    expect(isValidTimeout(t, aid1, 1)).toBe(true);
  });

  it('testMarkSlotActiveDeactivatesSlotTimeout', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    expect(markSlotActive(t, aid1, timers)).toEqual({ found: true, value: true });
    expect(timers.log.at(-1)).toBe('cancel slotTimeout/alloc-1');
    expect(isValidTimeout(t, aid1, 1)).toBe(false);
    expect(markSlotActive(t, aid2, timers)).toEqual({ found: false });
  });

  it('testTryMarkSlotActiveDeactivatesSlotTimeout', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    expect(tryMarkSlotActive(t, job1, aid1, timers)).toBe(true);
    expect(timers.log.at(-1)).toBe('cancel slotTimeout/alloc-1');
  });

  it('testTryMarkSlotActive: only the slot of that job and allocation can be activated', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    allocateSlot(t, 1, job2, aid2, 'UNKNOWN', TIMEOUT, timers);
    expect(tryMarkSlotActive(t, job2, aid1, timers)).toBe(false);
    expect(tryMarkSlotActive(t, job1, aid2, timers)).toBe(false);
    expect(tryMarkSlotActive(t, job1, 'alloc-9' as AllocationID, timers)).toBe(false);
    expect(tryMarkSlotActive(t, job1, aid1, timers)).toBe(true);
    expect(t.slots.map((s) => s.state)).toEqual(['ACTIVE', 'ALLOCATED']);
  });
});

describe('TaskSlotTest and the timer service', () => {
  it('a task may only join an ACTIVE slot of its own job', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    expect(addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 })).toBe(
      'SlotNotActiveException',
    );
    markSlotActive(t, aid1, timers);
    expect(addTask(t, { executionAttemptId: task1, jobId: job2, allocationId: aid1 })).toBe(
      'SlotNotActiveException',
    );
    expect(addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid2 })).toBe(
      'SlotNotFoundException',
    );
    expect(addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 })).toBe(
      'added',
    );
    expect(addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 })).toBe(
      'duplicate',
    );
  });

  it('markSlotInactive re-arms the timeout with a new ticket, making the old one stale', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    markSlotActive(t, aid1, timers);
    expect(markSlotInactive(t, aid1, TIMEOUT, timers)).toEqual({ found: true, value: true });
    expect(slotOf(t, aid1)?.state).toBe('ALLOCATED');
    expect(timers.log.at(-1)).toBe('arm slotTimeout/alloc-1 10000 ticket 2');
    expect(isValidTimeout(t, aid1, 1)).toBe(false);
    expect(isValidTimeout(t, aid1, 2)).toBe(true);
  });

  it('a RELEASING slot can be neither activated nor made inactive', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 0, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    markSlotActive(t, aid1, timers);
    addTask(t, { executionAttemptId: task1, jobId: job1, allocationId: aid1 });
    freeSlot(t, aid1, timers);
    expect(markSlotActive(t, aid1, timers)).toEqual({ found: true, value: false });
    expect(markSlotInactive(t, aid1, TIMEOUT, timers)).toEqual({ found: true, value: false });
    expect(tryMarkSlotActive(t, job1, aid1, timers)).toBe(false);
  });

  it('an index beyond the static slots is a programming error', () => {
    const { table: t, timers } = table();
    expect(() => allocateSlot(t, 2, job1, aid1, 'UNKNOWN', TIMEOUT, timers)).toThrow(
      /checkArgument/,
    );
  });
});

describe('slot report', () => {
  it('testDynamicSlotAllocation: static entries first (free ones empty), then dynamic allocations', () => {
    const { table: t, timers } = table();
    allocateSlot(t, 1, job1, aid1, 'UNKNOWN', TIMEOUT, timers);
    allocateSlot(t, -1, job2, aid2, 'big', TIMEOUT, timers);
    const te = 'te-1' as ResourceID;
    expect(createSlotReport(t, te)).toEqual([
      {
        slotId: { resourceId: te, slotNumber: 0 },
        resourceProfile: 'default',
        jobId: null,
        allocationId: null,
      },
      {
        slotId: { resourceId: te, slotNumber: 1 },
        resourceProfile: 'default',
        jobId: job1,
        allocationId: aid1,
      },
      {
        slotId: { resourceId: te, slotNumber: 2 },
        resourceProfile: 'big',
        jobId: job2,
        allocationId: aid2,
      },
    ]);
  });
});
