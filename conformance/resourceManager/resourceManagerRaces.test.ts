// ResourceManager races: answers to slot requests that are no longer the one in flight, reports
// from registrations that were replaced, and leadership taken away. The test plays the
// TaskExecutor `te-s`; the RM's and its monitor's view is checked on every step.
import { describe, expect, it } from 'vitest';
import type { InstanceID, ResourceID } from '../../protocol/ids.js';
import { JOB, RM, RM_ID } from '../taskExecutor/taskExecutorScenario.js';
import { ScriptedTaskExecutorDriver, TE } from './scriptedTaskExecutor.js';

const answers = ['acked', 'occupied', 'failed'] as const;

function slotState(d: ScriptedTaskExecutorDriver): string {
  const slot = d.s.rmLeader().slotManager.slotTracker.slots[`${TE}#0`];
  return slot === undefined
    ? 'untracked'
    : `${slot.state}${slot.jobId === null ? '' : `(${slot.jobId})`}`;
}

describe('ResourceManager races: outdated requestSlot answers are ignored', () => {
  it.each(answers)('an answer (%s) after the TaskExecutor left the slot manager', (kind) => {
    const d = new ScriptedTaskExecutorDriver();
    d.register(null);
    d.requestSlot();
    d.remove();
    d.answer(kind, 0);
    expect(slotState(d)).toBe('untracked');
  });

  it.each(answers)('an answer (%s) after the slot was freed by a notification', (kind) => {
    const d = new ScriptedTaskExecutorDriver();
    d.register(null);
    d.requestSlot();
    d.lower();
    d.notifySlotAvailable();
    d.answer(kind, 0);
    expect(slotState(d)).toBe('FREE');
  });

  it.each(answers)(
    'an answer (%s) to the first request while a second one is in flight',
    (kind) => {
      const d = new ScriptedTaskExecutorDriver();
      d.register(null);
      d.requestSlot();
      d.notifySlotAvailable(); // freed while pending: still missing, so requested again
      expect(d.s.inbox(TE, 'requestSlot')).toHaveLength(2);
      d.answer(kind, 0);
      expect(slotState(d)).toBe(`PENDING(${JOB})`);
    },
  );

  it.each(answers)(
    'testAllocationUpdatesIgnoredIfSlotMarkedAsAllocatedAfterSlotReport (%s)',
    (kind) => {
      const d = new ScriptedTaskExecutorDriver();
      d.register(null);
      d.requestSlot();
      d.report(JOB);
      d.answer(kind, 0);
      expect(slotState(d)).toBe(`ALLOCATED(${JOB})`);
    },
  );
});

describe('ResourceManager races: registrations and leadership', () => {
  it('a slot report under a replaced InstanceID is refused', () => {
    const d = new ScriptedTaskExecutorDriver();
    d.register(null);
    const old = d.s.rmLeader().taskExecutors[0]?.instanceId as InstanceID;
    d.register(null); // registered again: a new InstanceID
    d.s.instruct(TE, {
      kind: 'ask',
      to: RM,
      msg: {
        type: 'sendSlotReport',
        fencingToken: RM_ID,
        resourceId: TE as ResourceID,
        instanceId: old,
        slotReport: [],
      },
      timeoutMs: 10_000,
    });
    expect(d.s.answers(TE).at(-1)).toBe('sendSlotReport.failed');
  });

  it('a slot report of a TaskExecutor the RM does not know fails', () => {
    const d = new ScriptedTaskExecutorDriver();
    d.s.instruct(TE, {
      kind: 'ask',
      to: RM,
      msg: {
        type: 'sendSlotReport',
        fencingToken: RM_ID,
        resourceId: TE as ResourceID,
        instanceId: 'instance-x' as InstanceID,
        slotReport: [],
      },
      timeoutMs: 10_000,
    });
    expect(d.s.answers(TE).at(-1)).toBe('sendSlotReport.failed');
  });

  it('HA naming the registered JobMaster again changes nothing', () => {
    const d = new ScriptedTaskExecutorDriver();
    d.s.announceJobMaster();
    expect(d.s.rmLeader().jobManagerRegistrations).toHaveLength(1);
  });

  it('revoking the leadership drops everything; revoking it again changes nothing', () => {
    const d = new ScriptedTaskExecutorDriver();
    d.register(null);
    d.s.announceResourceManager(null, null);
    expect(d.s.simulation.state.system.resourceManager?.leader).toBeNull();
    d.s.announceResourceManager(null, null);
    expect(d.s.simulation.state.system.resourceManager?.leader).toBeNull();
  });
});
