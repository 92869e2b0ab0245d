/**
 * flink-protocol.md §4.11–§4.13 on the whole cluster: idle slots leave the JobMaster's pool, idle
 * TaskExecutors leave an active deployment, and a job asks for more than the cluster has.
 */
import { describe, expect, it } from 'vitest';
import { allocatedSlots, expectConsistent, isRunning, startCluster } from './clusterScenario.js';

describe('§4.11 idle slot release at the JobMaster', () => {
  it('a free slot in excess for slot.idle.timeout is returned: freeSlot, the TaskExecutor frees it, the RM frees it', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 3 } });
    s.jobClient({ kind: 'changeParallelism', parallelism: 2 });
    s.advance(2_000);
    expect(isRunning(s)).toBe(true);
    // One slot is free and in excess; it stays until it has been idle for slot.idle.timeout.
    expect(s.jmLeader().slotPool.pool.slots.filter((x) => x.state === 'FREE')).toHaveLength(1);
    expect(allocatedSlots(s)).toHaveLength(3);
    s.advance(100_000);
    expect(s.jmLeader().slotPool.pool.slots).toHaveLength(2);
    expect(allocatedSlots(s)).toHaveLength(2);
    const rmAllocated = Object.values(s.rmLeader().slotManager.slotTracker.slots).filter(
      (x) => x.state === 'ALLOCATED',
    );
    expect(rmAllocated).toHaveLength(2);
    expectConsistent(s);
  });
});

describe('§4.12 idle TaskExecutor release at the RM (active deployment)', () => {
  it('workers started for a job are stopped once the job is done and they idled for the TaskManager timeout', () => {
    const s = startCluster({ activeWorkers: 2, jobs: { 'job-1': 3 } });
    s.advance(30_000);
    expect(isRunning(s)).toBe(true);
    expect(s.rmLeader().taskExecutors).toHaveLength(2);
    s.jobClient({ kind: 'finishJob' });
    s.advance(1_000);
    expect(allocatedSlots(s)).toEqual([]);
    s.advance(70_000);
    expect(s.rmLeader().taskExecutors).toEqual([]);
    expect(s.simulation.state.endpoints['worker-1']?.up).toBe(false);
    expect(s.simulation.state.endpoints['worker-2']?.up).toBe(false);
  });
});

describe('§4.13 not enough resources', () => {
  it('the RM tells the JobMaster, whose pending requests fail; the job keeps restarting and holds no slot it cannot use', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 5 } });
    expect(isRunning(s)).toBe(false);
    expect(s.jmLeader().scheduler.restarts).toBeGreaterThanOrEqual(1);
    s.advance(30_000);
    expect(isRunning(s)).toBe(false);
    // The RM told the JobMaster (§4.13), which failed its pending requests each time.
    const notified = s.records.filter(
      (r) =>
        r.outcome.kind === 'delivered' &&
        'msg' in r.outcome.envelope &&
        r.outcome.envelope.msg.type === 'notifyNotEnoughResourcesAvailable',
    );
    expect(notified.length).toBeGreaterThanOrEqual(1);
    expectConsistent(s);
  });

  it('the job runs once it asks for what the cluster has', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 5 } });
    s.jobClient({ kind: 'changeParallelism', parallelism: 4 });
    s.advance(5_000);
    expect(isRunning(s)).toBe(true);
    expect(allocatedSlots(s)).toHaveLength(4);
    expectConsistent(s);
  });
});
