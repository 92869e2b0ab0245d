/**
 * flink-protocol.md §4.4 (JobMaster failover) and §4.5 (ResourceManager leader change) on the whole
 * cluster.
 */
import { describe, expect, it } from 'vitest';
import {
  allocatedSlots,
  electJobMaster,
  expectConsistent,
  isRunning,
  jobMasterId,
  startCluster,
} from './clusterScenario.js';

describe('§4.4 JobMaster failover', () => {
  it('(a) orderly: the old JobMaster frees every slot, the RM keeps the requirements, the new leader gets slots again', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 3 } });
    const oldAllocations = s.jmLeader().slotPool.pool.slots.map((x) => x.allocationId);
    electJobMaster(s, 'job-1', 2);
    // The revoked JobMaster told the RM `disconnectJobManager` with a non-terminal status: the
    // requirements stay (RETAIN) while the new leader registers.
    const leader = s.jmLeader();
    expect(leader.jobMasterId).toBe(jobMasterId('job-1', 2));
    s.advance(2_000);
    expect(isRunning(s)).toBe(true);
    // Every slot of the old leader was freed; the new leader runs on new allocations.
    const now = s.jmLeader().slotPool.pool.slots.map((x) => x.allocationId);
    expect(now.filter((a) => oldAllocations.includes(a))).toEqual([]);
    expect(allocatedSlots(s)).toHaveLength(3);
    const registration = s.rmLeader().jobManagerRegistrations.find((r) => r.jobId === 'job-1');
    expect(registration?.jobMasterId).toBe(jobMasterId('job-1', 2));
    expectConsistent(s);
  });

  it('the TaskExecutors connect to the new leader (the old JobMasterId no longer serves them)', () => {
    const s = startCluster({ taskExecutors: 1, jobs: { 'job-1': 2 } });
    electJobMaster(s, 'job-1', 2);
    s.advance(2_000);
    const connection = s.te('te-1').jobs.find((j) => j.jobId === 'job-1')?.connection;
    expect(connection?.target.leaderId).toBe(jobMasterId('job-1', 2));
    expect(isRunning(s)).toBe(true);
    expectConsistent(s);
  });

  it('(b) a crashed JobMaster: HA elects a new leader; the TaskExecutors time out their slots or re-offer them', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2 } });
    s.take({ kind: 'crash', endpoint: 'jm-job-1' });
    s.take({ kind: 'restart', endpoint: 'jm-job-1' });
    electJobMaster(s, 'job-1', 2);
    s.advance(70_000);
    expect(isRunning(s)).toBe(true);
    expect(allocatedSlots(s)).toHaveLength(2);
    expectConsistent(s);
  });
});

describe('§4.5 ResourceManager leader change', () => {
  it('TaskExecutors and JobMasters re-register; slots and tasks are untouched; the new RM learns the allocations from slot reports', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2, 'job-2': 1 } });
    const before = allocatedSlots(s);
    s.announceResourceManager('rm', 'rm-leader-2');
    s.advance(5_000);
    expect(allocatedSlots(s)).toEqual(before);
    expect(s.jmLeader('job-1').scheduler.restarts).toBe(0);
    expect(s.jmLeader('job-1').establishedResourceManagerConnection?.target.resourceManagerId).toBe(
      'rm-leader-2',
    );
    const rm = s.rmLeader();
    expect(rm.resourceManagerId).toBe('rm-leader-2');
    expect(rm.taskExecutors).toHaveLength(2);
    expect(rm.jobManagerRegistrations.map((r) => r.jobId).sort()).toEqual(['job-1', 'job-2']);
    expectConsistent(s);
  });

  it('a crashed ResourceManager comes back as a new leader and the cluster converges', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 2 } });
    s.take({ kind: 'crash', endpoint: 'rm' });
    s.advance(20_000);
    s.take({ kind: 'restart', endpoint: 'rm' });
    s.announceResourceManager('rm', 'rm-leader-2');
    s.advance(60_000);
    expect(isRunning(s)).toBe(true);
    expect(s.rmLeader().taskExecutors).toHaveLength(2);
    expectConsistent(s);
  });
});
