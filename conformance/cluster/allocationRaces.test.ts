/**
 * flink-protocol.md §4.6–§4.10 and §4.15 on the whole cluster: lost or late slot requests and
 * offers, slots nobody takes, requirements that drop while allocations are in flight, and a
 * JobMaster and TaskExecutor that disagree about a slot.
 */
import { describe, expect, it } from 'vitest';
import {
  allocatedSlots,
  drop,
  electJobMasterQuietly,
  inFlight,
  expectConsistent,
  isRunning,
  runUntil,
  startCluster,
} from './clusterScenario.js';

describe('§4.6 requestSlot RPC failure or timeout', () => {
  it('a lost request times out at the RM, which frees the slot and allocates again under a new AllocationID', () => {
    const s = startCluster({ taskExecutors: 1, jobs: { 'job-1': 1 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot') > 0);
    drop(s, 'te-1', 'requestSlot');
    s.advance(11_000);
    expect(isRunning(s)).toBe(true);
    // alloc ids are numbered by the RM: the first request's id never reached the TaskExecutor.
    const active = s
      .te('te-1')
      .taskSlotTable.slots.flatMap((x) => (x === null ? [] : [x.allocationId]));
    expect(active).toHaveLength(1);
    expectConsistent(s);
  });

  it('a lost acknowledgement: the repeated request finds its own job on the slot (SlotOccupied) and the RM counts it', () => {
    const s = startCluster({ taskExecutors: 1, jobs: { 'job-1': 1 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot.acked') > 0);
    drop(s, 'rm', 'requestSlot.acked');
    s.advance(15_000);
    expect(isRunning(s)).toBe(true);
    expect(allocatedSlots(s)).toEqual(['te-1#0:job-1:ACTIVE']);
    expectConsistent(s);
  });
});

/**
 * Holds every `requestSlot` the RM sends (a one-way partition from the RM to each TaskExecutor),
 * lets the test change the job meanwhile, then lets them through.
 */
function holdRequests(
  s: ReturnType<typeof startCluster>,
  taskExecutors: readonly string[],
): () => void {
  for (const te of taskExecutors) s.take({ kind: 'partition', from: 'rm', to: te, twoWay: false });
  return () => {
    for (const te of taskExecutors) s.take({ kind: 'heal', a: te, b: 'rm' });
  };
}

describe('§4.7 slot offer rejected', () => {
  it('offers beyond what the JobMaster still needs are rejected and freed, and the RM frees them', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 4 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot') === 4);
    const release = holdRequests(s, ['te-1', 'te-2']);
    // The job scales down to one while the four requests are on their way; the restart is over
    // (the pool no longer takes every offer) before they arrive.
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    s.advance(2_000);
    expect(s.jmLeader().scheduler.jobStatus).toBe('RUNNING');
    release();
    s.settle();
    // One offer fulfilled the pending request; the other three were rejected and freed.
    expect(isRunning(s)).toBe(true);
    expect(allocatedSlots(s)).toEqual([expect.stringMatching(/:job-1:ACTIVE$/)]);
    s.advance(1_000);
    expectConsistent(s);
  });

  it('while the job restarts, the pool takes every offer (registerSlots) and releases the excess once idle', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 4 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot') === 4);
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    // The offers arrive during the restart: all four are accepted (§4.4 (a) step 4).
    expect(allocatedSlots(s).filter((x) => x.endsWith('ACTIVE'))).toHaveLength(4);
    s.advance(2_000);
    expect(isRunning(s)).toBe(true);
    expect(s.jmLeader().slotPool.pool.slots).toHaveLength(4);
    // §4.11: the three excess slots idle out of the pool and are freed everywhere.
    s.advance(110_000);
    expect(allocatedSlots(s)).toHaveLength(1);
    expectConsistent(s);
  });
});

describe('§4.8 offer timeout', () => {
  it('a lost offer answer: the TaskExecutor offers again and the JobMaster accepts the known slot again', () => {
    const s = startCluster({
      taskExecutors: 1,
      jobs: { 'job-1': 1 },
      startJobs: false,
      // The slot outlives the offer's timeout, so the re-offer comes first (§4.8 step 1).
      taskExecutor: { slotTimeoutMs: 30_000 },
    });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'offerSlots.accepted') > 0);
    drop(s, 'te-1', 'offerSlots.accepted');
    s.advance(12_000);
    expect(isRunning(s)).toBe(true);
    expect(allocatedSlots(s)).toEqual(['te-1#0:job-1:ACTIVE']);
    expectConsistent(s);
  });
});

describe('§4.9 slot allocated but never offered', () => {
  it('a TaskExecutor cut off from the JobMaster frees the slot when its timer fires; the job gets a slot elsewhere', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 1 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot') > 0);
    const target =
      s.simulation.state.messages.find((e) => 'msg' in e && e.msg.type === 'requestSlot')?.to ?? '';
    s.take({ kind: 'partition', from: target, to: 'jm-job-1', twoWay: true });
    s.advance(10_500);
    // The slot timer freed the never-offered slot and told the RM, which chose again.
    expect(
      allocatedSlots(s).filter((x) => x.startsWith(`${target}#`) && x.endsWith('ACTIVE')),
    ).toEqual([]);
    s.advance(40_000);
    expect(isRunning(s)).toBe(true);
    s.take({ kind: 'heal', a: target, b: 'jm-job-1' });
    s.advance(60_000);
    expect(isRunning(s)).toBe(true);
    expectConsistent(s);
  });
});

describe('§4.10 requirement decrease while allocations are in flight', () => {
  it('the RM cancels no PENDING allocation; the surplus is rejected at the JobMaster and freed', () => {
    const s = startCluster({ taskExecutors: 2, jobs: { 'job-1': 3 }, startJobs: false });
    electJobMasterQuietly(s, 'job-1', 1);
    runUntil(s, () => inFlight(s, 'requestSlot') === 3);
    const release = holdRequests(s, ['te-1', 'te-2']);
    const pending = () =>
      Object.values(s.rmLeader().slotManager.slotTracker.slots).filter(
        (x) => x.state === 'PENDING',
      );
    expect(pending()).toHaveLength(3);
    s.jobClient({ kind: 'changeParallelism', parallelism: 0 });
    s.advance(2_000);
    // The lower requirement reached the RM, and its PENDING slots are still PENDING.
    expect(s.rmLeader().slotManager.resourceTracker['job-1' as never]).toBeDefined();
    expect(pending()).toHaveLength(3);
    release();
    s.settle();
    s.advance(1_000);
    expect(allocatedSlots(s)).toEqual([]);
    expectConsistent(s);
  });
});

describe('§4.15 JobMaster and TaskExecutor views diverge', () => {
  it('a slot the JobMaster no longer lists is freed at the TaskExecutor by the next heartbeat', () => {
    const s = startCluster({ taskExecutors: 1, jobs: { 'job-1': 2 } });
    // Scale down to one: after the restart one slot is excess and idles out of the pool, but its
    // freeSlot RPC is lost; the TaskExecutor still holds it ACTIVE.
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    runUntil(s, () => inFlight(s, 'freeSlot') > 0, 100_000);
    drop(s, 'te-1', 'freeSlot');
    expect(allocatedSlots(s).filter((x) => x.endsWith('ACTIVE'))).toHaveLength(2);
    s.advance(10_000);
    expect(allocatedSlots(s)).toEqual([expect.stringMatching(/:job-1:ACTIVE$/)]);
    expectConsistent(s);
  });

  it('a slot the JobMaster holds but the TaskExecutor freed is failed back to the JobMaster (failSlot)', () => {
    const s = startCluster({
      taskExecutors: 1,
      jobs: { 'job-1': 1 },
      startJobs: false,
      taskExecutor: { slotTimeoutMs: 10_000 },
    });
    electJobMasterQuietly(s, 'job-1', 1);
    // The JobMaster accepts the offer but its answer and the deployment are lost: the slot stays
    // ALLOCATED at the TaskExecutor until its timer frees it.
    runUntil(s, () => inFlight(s, 'submitTask') > 0);
    drop(s, 'te-1', 'offerSlots.accepted');
    drop(s, 'te-1', 'submitTask');
    s.advance(10_000);
    expect(s.jmLeader().slotPool.pool.slots).toHaveLength(1);
    // The JobMaster's heartbeat lists the slot; the TaskExecutor answers failSlot; the JobMaster
    // drops it, fails the task and asks for a slot again.
    s.advance(30_000);
    expect(s.jmLeader().scheduler.restarts).toBeGreaterThanOrEqual(1);
    s.advance(30_000);
    expect(isRunning(s)).toBe(true);
    expectConsistent(s);
  });
});
