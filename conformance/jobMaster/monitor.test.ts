// The JobMaster monitor must be able to fail: divergences planted in the implementation's state,
// and inputs and outputs the machines do not allow, are each reported with the process, the
// machine, its state and the event.
import { describe, expect, it } from 'vitest';
import type { AllocationID, ExecutionAttemptID } from '../../protocol/ids.js';
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
    expect(() =>
      monitorOf(s).observe({
        index: 999,
        time: s.now,
        step: { kind: 'fireTimer', endpoint: JM, name: 'scheduler/restart' },
        outcome: {
          kind: 'timerFired',
          timer: { endpoint: JM, name: 'scheduler/restart', fireAt: s.now, askId: null, data: {} },
        },
        effects: [],
      }),
    ).toThrow(
      /^step 999: jm-job-1 lifecycle in state running does not allow \{"type":"restartDelay.elapsed"\}; it allows: .*out.restartTasksWithDelay/,
    );
  });

  it('reports an output the machine does not allow: a task deployed into a slot the pool does not hold', () => {
    const s = cluster();
    expect(() =>
      monitorOf(s).observe({
        index: 998,
        time: s.now,
        step: { kind: 'fireTimer', endpoint: JM, name: 'taskManagerHeartbeat/interval' },
        outcome: {
          kind: 'timerFired',
          timer: {
            endpoint: JM,
            name: 'taskManagerHeartbeat/interval',
            fireAt: s.now,
            askId: null,
            data: {},
          },
        },
        effects: [
          {
            kind: 'sent',
            envelope: {
              kind: 'ask',
              askId: 5000,
              seq: 5000,
              from: JM,
              to: 'te-1',
              toIncarnation: 1,
              deliverBy: 0,
              msg: {
                type: 'submitTask',
                tdd: {
                  jobId: JOB,
                  allocationId: 'alloc-nobody' as AllocationID,
                  executionAttemptId: 'attempt-x' as ExecutionAttemptID,
                },
                jobMasterId: JM_ID,
              },
            },
          },
        ],
      }),
    ).toThrow(
      /jm-job-1 slot\[alloc-nobody\] in state notInPool does not allow \{"type":"out.submitTask"\}/,
    );
  });

  it('reports requirements declared to an RM the JobMaster is not connected to', () => {
    const s = cluster({ withResourceManager: false });
    expect(() =>
      monitorOf(s).observe({
        index: 997,
        time: s.now,
        step: { kind: 'fireTimer', endpoint: JM, name: 'declareResourceRequirements/retry' },
        outcome: {
          kind: 'timerFired',
          timer: {
            endpoint: JM,
            name: 'declareResourceRequirements/retry',
            fireAt: s.now,
            askId: null,
            data: {},
          },
        },
        effects: [
          {
            kind: 'sent',
            envelope: {
              kind: 'ask',
              askId: 5001,
              seq: 5001,
              from: JM,
              to: RM,
              toIncarnation: 1,
              deliverBy: 0,
              msg: {
                type: 'declareRequiredResources',
                fencingToken: RM_ID,
                jobMasterId: JM_ID,
                resourceRequirements: { jobId: JOB, targetAddress: JM, resourceRequirements: [] },
              },
            },
          },
        ],
      }),
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
    slot.state = 'FREE'; // planted: the slot is freed, but the Bridge keeps the request fulfilled
    slot.freeSince = s.now;
    expect(divergence(() => s.advance(10_000))).toMatch(
      new RegExp(
        `jm-job-1 slotRequest\\[r1/0\\]: the model is in fulfilled\\(${slot.allocationId}\\), the implementation in fulfilled\\(${slot.allocationId}\\) on a free slot`,
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
      monitorOf(s).observe({
        index: 996,
        time: s.now,
        step: { kind: 'deliver', seq: 6000 },
        outcome: {
          kind: 'delivered',
          envelope: {
            kind: 'reply',
            askId,
            seq: 6000,
            from: RM,
            to: JM,
            toIncarnation: 1,
            deliverBy: 0,
            msg: {
              type: 'declareRequiredResources.failed',
              exception: 'UnknownJobManager',
              reason: 'planted',
            },
          },
        },
        effects: [],
      }),
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
      monitorOf(s).observe({
        index: 995,
        time: s.now,
        step: { kind: 'fireTimer', endpoint: JM, name: 'declareResourceRequirements/retry' },
        outcome: {
          kind: 'timerFired',
          timer: {
            endpoint: JM,
            name: 'declareResourceRequirements/retry',
            fireAt: s.now,
            askId: null,
            data,
          },
        },
        effects: [],
      }),
    ).toThrow(
      new RegExp(
        `^step 995: jm-job-1 requirementDeclaration in state acked does not allow \\{"type":"retryDelay.elapsed","epoch":${epoch}\\}`,
      ),
    );
  });
});
