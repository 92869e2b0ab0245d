/**
 * flink-protocol.md §3: one job of parallelism N on M TaskExecutors, every component real, from
 * leader election to a running job, a steady state of heartbeats, and the job's end.
 */
import { describe, expect, it } from 'vitest';
import { allocatedSlots, expectConsistent, isRunning, startCluster } from './clusterScenario.js';

describe('§3 happy path', () => {
  it('allocates N slots spread over the TaskExecutors, offers them, and deploys one task per slot', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 3 } });
    expect(isRunning(s)).toBe(true);
    // Steps 8–14: every slot the RM allocated is ACTIVE at its TaskExecutor under the job.
    expect(allocatedSlots(s)).toHaveLength(3);
    expect(allocatedSlots(s).every((x) => x.endsWith(':job-1:ACTIVE'))).toBe(true);
    const leader = s.jmLeader();
    expect(leader.slotPool.pool.slots.map((x) => x.state)).toEqual([
      'RESERVED',
      'RESERVED',
      'RESERVED',
    ]);
    expect(leader.slotPool.pool.totalResourceRequirements).toEqual({ UNKNOWN: 3 });
    expect(leader.establishedResourceManagerConnection?.target.resourceManagerId).toBe(
      'rm-leader-1',
    );
    // Step 15: each task went to the TaskExecutor that holds its slot.
    for (const task of leader.scheduler.subtasks) {
      const slot = s
        .te(task.resourceId ?? '')
        .taskSlotTable.slots.find((x) => x?.allocationId === task.allocationId);
      expect(slot?.tasks).toEqual([task.executionAttemptId]);
    }
    expectConsistent(s);
  });

  it('stays put through the steady state: heartbeats change nothing', () => {
    const s = startCluster({ taskExecutors: 3, jobs: { 'job-1': 2, 'job-2': 2 } });
    const before = allocatedSlots(s);
    s.advance(120_000);
    expect(allocatedSlots(s)).toEqual(before);
    expect(isRunning(s, 'job-1') && isRunning(s, 'job-2')).toBe(true);
    expect(s.jmLeader('job-1').scheduler.restarts + s.jmLeader('job-2').scheduler.restarts).toBe(0);
    expectConsistent(s);
  });

  it('frees every slot when the job finishes, and the RM clears its requirements (step 17)', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 3 } });
    s.jobClient({ kind: 'finishJob' });
    s.advance(1_000);
    expect(s.jm().leader).toBeNull();
    expect(s.jm().terminated).toBe('FINISHED');
    expect(allocatedSlots(s)).toEqual([]);
    const rm = s.rmLeader();
    expect(Object.values(rm.slotManager.slotTracker.slots).every((x) => x.state === 'FREE')).toBe(
      true,
    );
    expect(rm.slotManager.resourceTracker).toEqual({});
    expect(rm.jobManagerRegistrations).toEqual([]);
    expectConsistent(s);
  });

  it('cancelling a job frees its slots and leaves the other job running', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2, 'job-2': 2 } });
    s.jobClient({ kind: 'cancelJob' }, 'job-1');
    s.advance(1_000);
    expect(s.jm('job-1').terminated).toBe('CANCELED');
    expect(allocatedSlots(s).filter((x) => x.includes(':job-1:'))).toEqual([]);
    expect(isRunning(s, 'job-2')).toBe(true);
    expectConsistent(s);
  });
});
