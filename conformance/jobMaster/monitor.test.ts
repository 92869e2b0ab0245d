// The JobMaster monitor must be able to fail: divergences planted in the implementation's state,
// and inputs and outputs the machines do not allow, are each reported with the process, the
// machine, its state and the event.
import { describe, expect, it } from 'vitest';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { AppliedEffect, StepRecord } from '../../impl/sim/record.js';
import type { EndpointId } from '../../impl/sim/world.js';
import type { AllocationID, ExecutionAttemptID } from '../../protocol/ids.js';
import type { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import { ConformanceError, contextOf } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import {
  announceJobLeader,
  cluster,
  JM,
  JM_ID,
  JOB,
  monitorOf,
  partition,
  RM,
  RM_ID,
} from './jobMasterCluster.js';

/** Runs `act`, which must fail with a ConformanceError; returns its message. */
function divergence(act: () => void): string {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as ConformanceError).message;
  }
  throw new Error('no divergence was reported');
}

type Effect = AppliedEffect<ClusterMessage>;

/** The record of a step in which the JobMaster's timer `name` fires now, and what it then did. */
function timerStep(
  s: TaskExecutorScenario,
  index: number,
  name: string,
  options: { readonly data?: Json; readonly effects?: readonly Effect[] } = {},
): StepRecord<ClusterMessage, unknown> {
  const data = options.data ?? {};
  return {
    index,
    time: s.now,
    step: { kind: 'fireTimer', endpoint: JM, name },
    outcome: {
      kind: 'timerFired',
      timer: { endpoint: JM, name, fireAt: s.now, askId: null, data },
    },
    effects: options.effects ?? [],
  };
}

/** The JobMaster asked `to` with `msg` (the ask's id is also its sequence number). */
function askSent(askId: number, to: EndpointId, msg: ClusterMessage): Effect {
  const envelope = {
    kind: 'ask',
    askId,
    seq: askId,
    from: JM,
    to,
    toIncarnation: 1,
    deliverBy: 0,
    msg,
  } as const;
  return { kind: 'sent', envelope };
}

/** The JobMaster armed its timer `name`, to fire after `delayMs`. */
function timerArmed(s: TaskExecutorScenario, name: string, delayMs: number, data: Json): Effect {
  return { kind: 'timerArmed', endpoint: JM, name, fireAt: s.now + delayMs, data };
}

/** The record of a step in which `from`'s reply to the JobMaster's ask `askId` is delivered. */
function replyDelivered(
  s: TaskExecutorScenario,
  index: number,
  from: EndpointId,
  askId: number,
  msg: ClusterMessage,
): StepRecord<ClusterMessage, unknown> {
  return {
    index,
    time: s.now,
    step: { kind: 'deliver', seq: 6000 },
    outcome: {
      kind: 'delivered',
      envelope: {
        kind: 'reply',
        askId,
        seq: 6000,
        from,
        to: JM,
        toIncarnation: 1,
        deliverBy: 0,
        msg,
      },
    },
    effects: [],
  };
}

describe('JobMaster conformance monitor (planted-divergence)', () => {
  it('reports a slot that leaves the pool without a freeSlot to its TaskExecutor', () => {
    const s = cluster();
    const pool = s.jmLeader().slotPool.pool;
    const [gone] = pool.slots;
    if (gone === undefined) throw new Error('the pool is empty');
    pool.slots = pool.slots.filter((x) => x !== gone); // planted: the slot is silently forgotten
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 slot\\[${gone.allocationId}\\]: the model is in reserved, the implementation in absent`,
      ),
    );
  });

  it('reports a job status the lifecycle machine does not have', () => {
    const s = cluster();
    s.jmLeader().scheduler.jobStatus = 'RESTARTING'; // planted: a restart nobody armed
    expect(divergence(() => s.advance(10_000))).toMatch(
      /jm-job-1 lifecycle: the model is in running\(jm-leader-1\), the implementation in restarting\(jm-leader-1\)/,
    );
  });

  it('reports an RM connection that was dropped without reconnecting', () => {
    const s = cluster();
    s.jmLeader().establishedResourceManagerConnection = null; // planted
    s.jmLeader().resourceManagerConnection = null;
    expect(divergence(() => s.advance(10_000))).toMatch(
      /jm-job-1 rmConnection: the model is in connected\(rm-leader-1\), the implementation in noResourceManager/,
    );
  });

  it('reports a timer the machine does not take in its state', () => {
    const s = cluster();
    // The restart delay cannot elapse for a running job: no restart was armed.
    expect(() => monitorOf(s).observe(timerStep(s, 999, 'scheduler/restart'))).toThrow(
      /^step 999: jm-job-1 lifecycle in state running does not allow \{"type":"restartDelay.elapsed"\}; it allows: .*out.restartTasksWithDelay/,
    );
  });

  it('reports an output the machine does not allow: a task deployed into a slot the pool does not hold', () => {
    const s = cluster();
    const deploy = askSent(5000, 'te-1', {
      type: 'submitTask',
      tdd: {
        jobId: JOB,
        allocationId: 'alloc-nobody' as AllocationID,
        executionAttemptId: 'attempt-x' as ExecutionAttemptID,
      },
      jobMasterId: JM_ID,
    });
    expect(() =>
      monitorOf(s).observe(
        timerStep(s, 998, 'taskManagerHeartbeat/interval', { effects: [deploy] }),
      ),
    ).toThrow(
      /jm-job-1 slot\[alloc-nobody\] in state notInPool does not allow \{"type":"out.submitTask"\}/,
    );
  });

  it('reports requirements declared to an RM the JobMaster is not connected to', () => {
    const s = cluster({ withResourceManager: false });
    const declare = askSent(5001, RM, {
      type: 'declareRequiredResources',
      fencingToken: RM_ID,
      jobMasterId: JM_ID,
      resourceRequirements: { jobId: JOB, targetAddress: JM, resourceRequirements: [] },
    });
    expect(() =>
      monitorOf(s).observe(
        timerStep(s, 997, 'declareResourceRequirements/retry', { effects: [declare] }),
      ),
    ).toThrow(
      /jm-job-1 rmConnection in state noResourceManager does not allow \{"type":"out.declareRequiredResources"/,
    );
  });

  it('reports a fulfilled request whose slot the pool holds free', () => {
    const s = cluster();
    const leader = s.jmLeader();
    const allocationId = leader.slotPool.fulfilledRequests['r1/0'];
    const slot = leader.slotPool.pool.slots.find((x) => x.allocationId === allocationId);
    if (slot === undefined) throw new Error('r1/0 holds no slot');
    // Planted: a failover (the bulk check's) frees the slot, but the Bridge keeps the request
    // fulfilled.
    slot.state = 'FREE';
    slot.freeSince = s.now;
    leader.scheduler.jobStatus = 'RESTARTING';
    const restart = timerArmed(s, 'scheduler/restart', 1_000, { grant: leader.grant, round: 1 });
    expect(
      divergence(() =>
        monitorOf(s).observe(timerStep(s, 994, 'scheduler/bulkCheck', { effects: [restart] })),
      ),
    ).toMatch(
      new RegExp(
        `^step 994: jm-job-1 slotRequest\\[r1/0\\]: the model is in fulfilled\\(${slot.allocationId}\\), the implementation in fulfilled\\(${slot.allocationId}\\) on a free slot`,
      ),
    );
  });

  it('reports a pending request that leaves the Bridge in a step that gives the scheduler no cause to release it', () => {
    const s = cluster({ withResourceManager: false }); // no slots: every request waits
    const bridge = s.jmLeader().slotPool;
    expect(bridge.pendingRequests.map((r) => r.slotRequestId)).toEqual(['r1/0', 'r1/1', 'r1/2']);
    bridge.pendingRequests.shift(); // planted: the request is silently dropped
    expect(divergence(() => s.advance(10_000))).toMatch(
      /jm-job-1 slotRequest\[r1\/0\] in state pending does not allow \{"type":"releaseSlot \(no cause in this step\)"\}/,
    );
  });

  it('reports a fulfilled request that leaves the Bridge, its slot free again, in a step that gives the scheduler no cause to release it', () => {
    const s = cluster();
    const bridge = s.jmLeader().slotPool;
    const allocationId = bridge.fulfilledRequests['r1/0'];
    const slot = bridge.pool.slots.find((x) => x.allocationId === allocationId);
    if (slot === undefined) throw new Error('r1/0 holds no slot');
    delete bridge.fulfilledRequests['r1/0']; // planted: released, and its slot given back
    slot.state = 'FREE';
    slot.freeSince = s.now;
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 slot\\[${slot.allocationId}\\] in state reserved does not allow \\{"type":"freeReservedSlot \\(no cause in this step\\)"\\}`,
      ),
    );
  });

  it('reports a request fulfilled with a slot the pool reserved in an earlier step (for another request)', () => {
    const s = cluster();
    const bridge = s.jmLeader().slotPool;
    const taken = bridge.fulfilledRequests['r1/0'];
    if (taken === undefined) throw new Error('r1/0 holds no slot');
    bridge.fulfilledRequests['r1/9'] = taken; // planted: a new request takes r1/0's slot
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 slotRequest\\[r1/9\\] was fulfilled with slot ${taken}, which the pool did not reserve for it in this step`,
      ),
    );
  });

  it('reports a slot the pool reserves for no request', () => {
    const s = cluster();
    s.jobClient({ kind: 'changeParallelism', parallelism: 2 }); // restarting: every slot free
    const [slot] = s.jmLeader().slotPool.pool.slots;
    if (slot?.state !== 'FREE') throw new Error('no free slot');
    slot.state = 'RESERVED'; // planted: reserved, but no request holds it
    slot.freeSince = null;
    expect(divergence(() => s.advance(10))).toMatch(
      new RegExp(
        `jm-job-1 slot\\[${slot.allocationId}\\] was reserved in this step for no request fulfilled in it`,
      ),
    );
  });

  it('reports a fulfilled request that the Bridge holds as pending again', () => {
    const s = cluster();
    const bridge = s.jmLeader().slotPool;
    const allocationId = bridge.fulfilledRequests['r1/0'];
    delete bridge.fulfilledRequests['r1/0']; // planted: the request is back in pendingRequests
    bridge.pendingRequests.push({ slotRequestId: 'r1/0', resourceProfile: 'UNKNOWN' });
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 slotRequest\\[r1/0\\]: the model is in fulfilled\\(${String(allocationId)}\\), the implementation in pending`,
      ),
    );
  });

  it('reports a pool that closes while a request still holds one of its slots', () => {
    const s = cluster();
    const leader = s.jmLeader();
    // Planted: the JobMaster forgets te-1, so stopping it releases none of te-1's slots.
    leader.registeredTaskManagers = leader.registeredTaskManagers.filter(
      (r) => r.resourceId !== 'te-1',
    );
    leader.slotPool.registeredTaskManagers = leader.slotPool.registeredTaskManagers.filter(
      (r) => r !== 'te-1',
    );
    expect(divergence(() => announceJobLeader(s, null))).toMatch(
      /jm-job-1 slotRequest\[r1\/\d\] in state fulfilled does not allow \{"type":"close"\}/,
    );
  });

  it('reports requirements the implementation forgot while still connected', () => {
    const s = cluster();
    const declaration = monitorOf(s).leadership?.declaration;
    if (declaration === undefined) throw new Error('the JobMaster never led');
    const epoch = String(contextOf(declaration)['epoch']);
    s.jmLeader().declare.current = null; // planted: the current requirements are dropped
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 requirementDeclaration: the model is in declared\\(epoch ${epoch}, last backoff null\\), the implementation in connected`,
      ),
    );
  });

  it('reports a failed declaration that is not retried', () => {
    const s = cluster();
    partition(s, RM, JM); // the RM's answers are held
    s.jobClient({ kind: 'changeParallelism', parallelism: 2 }); // newer requirements
    const declaration = monitorOf(s).leadership?.declaration;
    if (declaration === undefined) throw new Error('the JobMaster never led');
    expect(stateName(declaration.snapshot)).toBe('sending');
    const askId = contextOf(declaration)['attemptAskId'] as number;
    // The attempt fails, and the implementation arms no backoff (no effects).
    expect(() =>
      monitorOf(s).observe(
        replyDelivered(s, 996, RM, askId, {
          type: 'declareRequiredResources.failed',
          exception: 'UnknownJobManager',
          reason: 'planted',
        }),
      ),
    ).toThrow(
      /^step 996: jm-job-1 requirementDeclaration \(owed\): the model is in retryWithDelay, the implementation in null/,
    );
  });

  it('reports a backoff that fires for requirements the RM acknowledged', () => {
    const s = cluster();
    const declaration = monitorOf(s).leadership?.declaration;
    if (declaration === undefined) throw new Error('the JobMaster never led');
    expect(stateName(declaration.snapshot)).toBe('acked');
    const epoch = contextOf(declaration)['epoch'] as number;
    const data = { grant: s.jmLeader().grant, epoch };
    expect(() =>
      monitorOf(s).observe(timerStep(s, 995, 'declareResourceRequirements/retry', { data })),
    ).toThrow(
      new RegExp(
        `^step 995: jm-job-1 requirementDeclaration in state acked does not allow \\{"type":"retryDelay.elapsed","epoch":${epoch}\\}`,
      ),
    );
  });
});
