/**
 * flink-protocol.md §4.1–§4.3 and §4.14 on the whole cluster: a TaskExecutor dies, is cut off from
 * the ResourceManager, or comes back under the same ResourceID.
 */
import { describe, expect, it } from 'vitest';
import {
  allocatedSlots,
  expectConsistent,
  isRunning,
  runUntil,
  startCluster,
} from './clusterScenario.js';

describe('§4.1 TaskExecutor crash, seen from the ResourceManager', () => {
  it('unregisters the TaskExecutor, frees its slots and reallocates them on the others', () => {
    // te-1 and te-2 hold the job's two slots; te-3 is free capacity.
    const s = startCluster({ taskExecutors: 3, jobs: { 'job-1': 2 } });
    const lost = s.jmLeader().scheduler.subtasks[0]?.resourceId ?? 'te-1';
    s.take({ kind: 'crash', endpoint: lost });
    // Heartbeat requests to a dead process fail as unreachable: after rpcFailureThreshold of them
    // (two intervals) both the RM and the JM give the TaskExecutor up (§4.1 step 1).
    s.advance(25_000);
    const rm = s.rmLeader();
    expect(rm.taskExecutors.map((t) => t.resourceId)).not.toContain(lost);
    expect(
      Object.keys(rm.slotManager.slotTracker.slots).filter((k) => k.startsWith(`${lost}#`)),
    ).toEqual([]);
    s.advance(5_000);
    expect(isRunning(s)).toBe(true);
    expect(s.jmLeader().scheduler.subtasks.map((t) => t.resourceId)).not.toContain(lost);
    expect(s.jmLeader().scheduler.restarts).toBeGreaterThanOrEqual(1);
    expectConsistent(s);
  });
});

describe('§4.2 TaskExecutor crash, seen from the JobMaster', () => {
  it('disconnects the TaskExecutor, fails its tasks and asks for slots again', () => {
    const s = startCluster({
      taskExecutors: 3,
      jobs: { 'job-1': 2 },
      // The RM would notice only after its heartbeat timeout: the JM acts first.
      resourceManager: {
        heartbeat: { intervalMs: 10_000, timeoutMs: 50_000, rpcFailureThreshold: -1 },
      },
    });
    const lost = s.jmLeader().scheduler.subtasks[0]?.resourceId ?? 'te-1';
    s.take({ kind: 'crash', endpoint: lost });
    s.advance(20_000);
    // The JM released the TaskExecutor; the RM still has it registered.
    expect(s.jmLeader().registeredTaskManagers.map((r) => r.resourceId)).not.toContain(lost);
    expect(s.jmLeader().slotPool.pool.slots.map((x) => x.taskManager)).not.toContain(lost);
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toContain(lost);
    expect(s.jmLeader().scheduler.restarts).toBe(1);
    // Both sides converge once the RM's heartbeat times out too (§4.2 step 3).
    s.advance(60_000);
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).not.toContain(lost);
    expect(isRunning(s)).toBe(true);
    expectConsistent(s);
  });
});

describe('§4.3 TaskExecutor loses the ResourceManager', () => {
  it('reconnects without freeing its slots, and re-registers with a new InstanceID when the link heals', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2 } });
    const oldInstance = s.rmLeader().taskExecutors.find((t) => t.resourceId === 'te-1')?.instanceId;
    const slotsBefore = allocatedSlots(s).filter((x) => x.startsWith('te-1#'));
    s.take({ kind: 'partition', from: 'te-1', to: 'rm', twoWay: true });
    s.advance(51_000);
    // The TE's RM heartbeat timed out: it reconnects (registering again). It frees nothing itself
    // (step 5); the slots it loses are freed by the JobMaster, told by the RM (below).
    expect(s.te('te-1').establishedResourceManagerConnection).toBeNull();
    expect(s.te('te-1').resourceManagerConnection).not.toBeNull();
    // The RM gave te-1 up too and told the JobMaster, which released te-1's slots (step 2).
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).not.toContain('te-1');
    expect(s.jmLeader().slotPool.pool.slots.map((x) => x.taskManager)).not.toContain('te-1');
    s.take({ kind: 'heal', a: 'te-1', b: 'rm' });
    s.advance(60_000);
    const reRegistered = s.rmLeader().taskExecutors.find((t) => t.resourceId === 'te-1');
    expect(reRegistered).toBeDefined();
    expect(reRegistered?.instanceId).not.toBe(oldInstance);
    expect(slotsBefore.length).toBeGreaterThan(0);
    expect(isRunning(s)).toBe(true);
    expectConsistent(s);
  });
});

describe('§4.14 TaskExecutor restarted with the same ResourceID', () => {
  it('replaces the old registration at the RM and the old session at the JobMaster', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2 } });
    const oldSession = s
      .jmLeader()
      .registeredTaskManagers.find((r) => r.resourceId === 'te-1')?.sessionId;
    const oldInstance = s.rmLeader().taskExecutors.find((t) => t.resourceId === 'te-1')?.instanceId;
    expect(oldSession).toBeDefined();
    const oldAllocations = s
      .jmLeader()
      .slotPool.pool.slots.filter((x) => x.taskManager === 'te-1')
      .map((x) => x.allocationId);
    expect(oldAllocations.length).toBeGreaterThan(0);
    s.take({ kind: 'crash', endpoint: 'te-1' });
    s.take({ kind: 'restart', endpoint: 'te-1' });
    s.settle();
    // RM: the new registration replaced the old InstanceID (its slots were unregistered).
    const instance = s.rmLeader().taskExecutors.find((t) => t.resourceId === 'te-1')?.instanceId;
    expect(instance).toBeDefined();
    expect(instance).not.toBe(oldInstance);
    runUntil(s, () => isRunning(s) && s.jmLeader().scheduler.restarts > 0);
    // JM: if te-1 registered again (it does when it gets a slot of the job), it is under the new
    // session; the old session's slots are gone from the pool either way.
    const session = s
      .jmLeader()
      .registeredTaskManagers.find((r) => r.resourceId === 'te-1')?.sessionId;
    expect(session).not.toBe(oldSession);
    const pooled = s.jmLeader().slotPool.pool.slots.map((x) => x.allocationId);
    expect(pooled.filter((a) => oldAllocations.includes(a))).toEqual([]);
    s.advance(1_000);
    expectConsistent(s);
  });
});
