// Ports of Flink's DefaultSlotTrackerTest and SlotStatusReconcilerTest (flink-protocol.md §2.3.2,
// §6.5) onto the model's slot tracker.
import { describe, expect, it } from 'vitest';
import type { InstanceID, JobID, SlotID } from '../../../protocol/ids.js';
import {
  addSlot,
  createSlotTracker,
  freeSlots,
  instancesWithSlotsOfJob,
  notifyAllocationComplete,
  notifyAllocationStart,
  notifyFree,
  notifySlotStatus,
  removeSlot,
  slotKey,
  type SlotStatusChange,
  type SlotTracker,
} from './slotTracker.js';

const job1 = 'job-1' as JobID;
const job2 = 'job-2' as JobID;
const instance = 'instance-1' as InstanceID;
const slot = (n: number) => ({ resourceId: 'te-1', slotNumber: n }) as SlotID;

function tracked(...assigned: (JobID | null)[]) {
  const tracker = createSlotTracker();
  const changes: string[] = [];
  const listener = (c: SlotStatusChange) =>
    changes.push(`${slotKey(c.slot.slotId)} ${c.previous}->${c.current} ${c.jobId}`);
  assigned.forEach((job, n) => addSlot(tracker, slot(n), 'default', instance, job, listener));
  return { tracker, changes, listener };
}

const stateOf = (tracker: SlotTracker, n: number) => {
  const s = tracker.slots[slotKey(slot(n))];
  return s === undefined ? 'untracked' : `${s.state}${s.jobId === null ? '' : `(${s.jobId})`}`;
};

describe('DefaultSlotTrackerTest', () => {
  it('testSlotAddition: added slots are FREE and listed free in order', () => {
    const { tracker, changes } = tracked(null, null);
    expect([stateOf(tracker, 0), stateOf(tracker, 1)]).toEqual(['FREE', 'FREE']);
    expect(freeSlots(tracker).map((s) => s.slotId.slotNumber)).toEqual([0, 1]);
    expect(changes).toEqual([]);
  });

  it('a slot added with a job becomes ALLOCATED through PENDING', () => {
    const { tracker, changes } = tracked(job1);
    expect(stateOf(tracker, 0)).toBe('ALLOCATED(job-1)');
    expect(changes).toEqual(['te-1#0 FREE->PENDING job-1', 'te-1#0 PENDING->ALLOCATED job-1']);
    expect(freeSlots(tracker)).toEqual([]);
  });

  it('testSlotRemoval: removing a slot in use frees it first', () => {
    const { tracker, changes, listener } = tracked(job1, null);
    removeSlot(tracker, slot(0), listener);
    removeSlot(tracker, slot(1), listener);
    expect(tracker.slots).toEqual({});
    expect(tracker.freeSlots).toEqual([]);
    expect(changes.at(-1)).toBe('te-1#0 ALLOCATED->FREE job-1');
  });

  it('testAllocationCompletion: FREE → PENDING → ALLOCATED, and the slot leaves the free list', () => {
    const { tracker, changes, listener } = tracked(null, null);
    notifyAllocationStart(tracker, slot(0), job1, listener);
    expect(freeSlots(tracker).map((s) => s.slotId.slotNumber)).toEqual([1]);
    notifyAllocationComplete(tracker, slot(0), job1, listener);
    expect(stateOf(tracker, 0)).toBe('ALLOCATED(job-1)');
    expect(changes).toEqual(['te-1#0 FREE->PENDING job-1', 'te-1#0 PENDING->ALLOCATED job-1']);
  });

  it('testAllocationCompletionForDifferentJobThrowsIllegalStateException', () => {
    const { tracker, listener } = tracked(null);
    notifyAllocationStart(tracker, slot(0), job1, listener);
    expect(() => notifyAllocationComplete(tracker, slot(0), job2, listener)).toThrow(
      /transitionSlotToAllocated: checkState failed/,
    );
  });

  it('testAllocationCancellation: a PENDING slot freed goes to the end of the free list', () => {
    const { tracker, changes, listener } = tracked(null, null);
    notifyAllocationStart(tracker, slot(0), job1, listener);
    notifyFree(tracker, slot(0), listener);
    expect(stateOf(tracker, 0)).toBe('FREE');
    expect(freeSlots(tracker).map((s) => s.slotId.slotNumber)).toEqual([1, 0]);
    expect(changes.at(-1)).toBe('te-1#0 PENDING->FREE job-1');
  });

  it('freeing a FREE slot is an IllegalStateException (a duplicate notifySlotAvailable)', () => {
    const { tracker, listener } = tracked(null);
    expect(() => notifyFree(tracker, slot(0), listener)).toThrow(
      /transitionSlotToFree: checkState failed/,
    );
  });

  it('testSlotStatusProcessing: the report wins, except FREE over PENDING', () => {
    const { tracker, listener } = tracked(null, null, null);
    notifyAllocationStart(tracker, slot(1), job1, listener);
    notifyAllocationStart(tracker, slot(2), job1, listener);
    notifyAllocationComplete(tracker, slot(2), job1, listener);
    const changed = notifySlotStatus(
      tracker,
      [
        { slotId: slot(0), resourceProfile: 'default', jobId: job1, allocationId: null },
        { slotId: slot(1), resourceProfile: 'default', jobId: null, allocationId: null },
        { slotId: slot(2), resourceProfile: 'default', jobId: null, allocationId: null },
      ],
      listener,
    );
    expect(changed).toBe(true);
    expect([stateOf(tracker, 0), stateOf(tracker, 1), stateOf(tracker, 2)]).toEqual([
      'ALLOCATED(job-1)',
      'PENDING(job-1)',
      'FREE',
    ]);
    expect(instancesWithSlotsOfJob(tracker, job1)).toEqual([instance]);
  });
});

describe('SlotStatusReconcilerTest: tracked state × reported state', () => {
  const report = (job: JobID | null) => [
    { slotId: slot(0), resourceProfile: 'default', jobId: job, allocationId: null },
  ];
  const cases: [
    string,
    (t: SlotTracker, l: (c: SlotStatusChange) => void) => void,
    JobID | null,
    string,
    string[],
  ][] = [
    ['FREE', () => undefined, null, 'FREE', []],
    [
      'FREE',
      () => undefined,
      job1,
      'ALLOCATED(job-1)',
      ['FREE->PENDING job-1', 'PENDING->ALLOCATED job-1'],
    ],
    [
      'PENDING(job-1)',
      (t, l) => notifyAllocationStart(t, slot(0), job1, l),
      null,
      'PENDING(job-1)',
      [],
    ],
    [
      'PENDING(job-1)',
      (t, l) => notifyAllocationStart(t, slot(0), job1, l),
      job1,
      'ALLOCATED(job-1)',
      ['PENDING->ALLOCATED job-1'],
    ],
    [
      'PENDING(job-1)',
      (t, l) => notifyAllocationStart(t, slot(0), job1, l),
      job2,
      'ALLOCATED(job-2)',
      ['PENDING->FREE job-1', 'FREE->PENDING job-2', 'PENDING->ALLOCATED job-2'],
    ],
    [
      'ALLOCATED(job-1)',
      (t, l) => (
        notifyAllocationStart(t, slot(0), job1, l),
        notifyAllocationComplete(t, slot(0), job1, l)
      ),
      null,
      'FREE',
      ['ALLOCATED->FREE job-1'],
    ],
    [
      'ALLOCATED(job-1)',
      (t, l) => (
        notifyAllocationStart(t, slot(0), job1, l),
        notifyAllocationComplete(t, slot(0), job1, l)
      ),
      job1,
      'ALLOCATED(job-1)',
      [],
    ],
    [
      'ALLOCATED(job-1)',
      (t, l) => (
        notifyAllocationStart(t, slot(0), job1, l),
        notifyAllocationComplete(t, slot(0), job1, l)
      ),
      job2,
      'ALLOCATED(job-2)',
      ['ALLOCATED->FREE job-1', 'FREE->PENDING job-2', 'PENDING->ALLOCATED job-2'],
    ],
  ];

  it.each(cases)(
    'tracked %s, reported %#',
    (_tracked, prepare, reported, expected, transitions) => {
      const tracker = createSlotTracker();
      const changes: string[] = [];
      const listener = (c: SlotStatusChange) =>
        changes.push(`${c.previous}->${c.current} ${c.jobId}`);
      addSlot(tracker, slot(0), 'default', instance, null, listener);
      prepare(tracker, listener);
      changes.length = 0;
      expect(notifySlotStatus(tracker, report(reported), listener)).toBe(transitions.length > 0);
      expect(stateOf(tracker, 0)).toBe(expected);
      expect(changes).toEqual(transitions);
    },
  );
});
