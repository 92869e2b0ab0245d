// The active ResourceManager (Flink 1.15 `ActiveResourceManager` with the DeclarativeSlotManager)
// with a resource provider whose workers are real TaskExecutors and a scripted JobMaster: ports of
// ActiveResourceManagerTest and TaskExecutorManagerTest scenarios that apply, and the RM side of
// §4.12 (idle TaskManager release) and §4.13. Both conformance monitors watch every step.
import { describe, expect, it } from 'vitest';
import {
  resourceManagerConfig,
  type ResourceManagerConfig,
} from '../../impl/resourcemanager/resourceManagerState.js';
import { JM, RM, RM_ID, TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

const WORKER_STARTUP_MS = 10_000;

/** An active RM leader `rm-leader-1` with a provider of `workers` workers, and a registered JobMaster. */
function activeCluster(
  options: {
    workers?: number;
    neverStart?: string[];
    workerStartupMs?: number;
    resourceManager?: Partial<ResourceManagerConfig>;
  } = {},
): TaskExecutorScenario {
  const s = new TaskExecutorScenario({
    taskExecutors: 0,
    resourceManager: {
      workerMode: 'active',
      // The scripted JobMaster does not answer heartbeats; a long timeout keeps it registered.
      heartbeat: { intervalMs: 10_000, timeoutMs: 1_000_000_000, rpcFailureThreshold: 2 },
      ...options.resourceManager,
    },
    resourceProvider: {
      workers: options.workers ?? 4,
      workerStartupMs: options.workerStartupMs ?? WORKER_STARTUP_MS,
      neverStart: options.neverStart ?? [],
    },
  });
  s.announceResourceManager(RM, RM_ID);
  s.announceJobMaster();
  s.registerJobMasterAtResourceManager();
  return s;
}

function rmSlots(s: TaskExecutorScenario): string[] {
  return Object.values(s.rmLeader().slotManager.slotTracker.slots).map(
    (slot) =>
      `${slot.slotId.resourceId}#${slot.slotId.slotNumber}:${slot.state}${slot.jobId === null ? '' : `(${slot.jobId})`}`,
  );
}

function workers(s: TaskExecutorScenario) {
  const active = s.rmLeader().active;
  if (active === null) throw new Error('not active');
  return {
    pending: active.pendingWorkerCount,
    nodes: [...active.workerNodes],
    registered: s.rmLeader().taskExecutors.map((t) => t.resourceId as string),
  };
}

/** How many asks of this type reached the provider so far. */
function asksDeliveredToProvider(s: TaskExecutorScenario, type: string): number {
  return s.records.filter(
    (r) =>
      r.outcome.kind === 'delivered' &&
      r.outcome.envelope.to === 'provider' &&
      r.outcome.envelope.kind === 'ask' &&
      r.outcome.envelope.msg.type === type,
  ).length;
}

function running(s: TaskExecutorScenario): string[] {
  return Object.entries(s.simulation.state.endpoints)
    .filter(([endpoint, status]) => endpoint.startsWith('worker-') && status.up)
    .map(([endpoint]) => endpoint);
}

describe('active ResourceManager: requesting workers', () => {
  it('a new leadership initializes its driver before it serves, recovering no worker', () => {
    const s = activeCluster();
    expect(s.simulation.state.system.resourceManager?.starting).toBeNull();
    expect(workers(s)).toEqual({ pending: 0, nodes: [], registered: [] });
    expect(s.answers(JM)).toEqual(['registerJobMaster.succeeded']);
  });

  it('testProcessResourceRequirementsWhenRecoveryFinished: requirements declared while the driver initializes are refused until it serves', () => {
    const s = new TaskExecutorScenario({
      taskExecutors: 0,
      resourceManager: { workerMode: 'active' },
      resourceProvider: { workers: 2 },
    });
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    s.announceResourceManager(RM, RM_ID);
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    expect(s.answers(JM)).toEqual(['registerJobMaster.failed']); // FencingTokenException: not serving yet
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    s.settle();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    expect(s.answers(JM)).toEqual([
      'registerJobMaster.failed',
      'registerJobMaster.succeeded',
      'declareRequiredResources.acked',
    ]);
    expect(workers(s).pending).toBe(1);
  });

  it('testStartNewWorker: missing slots request workers (one per numSlotsPerWorker), which start, register and serve the job', () => {
    const s = activeCluster();
    s.declareRequiredResources(3);
    // Two workers of two slots each for three slots; both pending until they register.
    expect(workers(s)).toEqual({ pending: 2, nodes: ['worker-1', 'worker-2'], registered: [] });
    expect(running(s)).toEqual([]);
    s.advance(WORKER_STARTUP_MS);
    expect(running(s)).toEqual(['worker-1', 'worker-2']);
    expect(workers(s)).toEqual({
      pending: 0,
      nodes: ['worker-1', 'worker-2'],
      registered: ['worker-1', 'worker-2'],
    });
    expect(rmSlots(s)).toEqual([
      'worker-1#0:ALLOCATED(job-1)',
      'worker-1#1:ALLOCATED(job-1)',
      'worker-2#0:ALLOCATED(job-1)',
      'worker-2#1:FREE',
    ]);
    expect(s.slots('worker-1')).toEqual([
      expect.stringMatching(/^0:alloc-\d+:ALLOCATED$/),
      expect.stringMatching(/^1:alloc-\d+:ALLOCATED$/),
    ]);
  });

  it('testWorkerRegistrationTimeout: a worker that never starts is stopped after the registration timeout and replaced', () => {
    const s = activeCluster({ neverStart: ['worker-1'] });
    s.declareRequiredResources(2);
    expect(workers(s)).toEqual({ pending: 1, nodes: ['worker-1'], registered: [] });
    s.advance(299_000);
    expect(workers(s).nodes).toEqual(['worker-1']);
    s.advance(1_000);
    // Released at the provider, and a new worker requested because the pending slots still need one.
    expect(s.simulation.state.system.resourceProvider?.workers).toEqual(['worker-2']);
    expect(workers(s)).toEqual({ pending: 1, nodes: ['worker-2'], registered: [] });
    s.advance(WORKER_STARTUP_MS);
    expect(workers(s)).toEqual({ pending: 0, nodes: ['worker-2'], registered: ['worker-2'] });
    expect(rmSlots(s)).toEqual(['worker-2#0:ALLOCATED(job-1)', 'worker-2#1:ALLOCATED(job-1)']);
  });

  it('testWorkerRegistrationTimeoutNotCountingAllocationTime: a worker that registers in time is not stopped', () => {
    // The provider's answer takes 30 s to reach the RM; the worker starts 40 s after its creation
    // and registers then. The 20 s registration timeout counts from the answer (t = 30 s), so it
    // has not expired when the worker registers at t = 40 s; counted from the request it would have.
    const s = activeCluster({
      workerStartupMs: 40_000,
      resourceManager: { workerRegistrationTimeoutMs: 20_000, rpcTimeoutMs: 1_000_000 },
    });
    s.take({ kind: 'partition', from: 'provider', to: RM, twoWay: false });
    s.declareRequiredResources(1);
    s.advance(30_000);
    expect(workers(s)).toEqual({ pending: 1, nodes: [], registered: [] });
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    s.settle();
    expect(workers(s)).toEqual({ pending: 1, nodes: ['worker-1'], registered: [] });
    s.advance(30_000);
    expect(workers(s)).toEqual({ pending: 0, nodes: ['worker-1'], registered: ['worker-1'] });
    expect(running(s)).toEqual(['worker-1']);
  });

  it('testStartWorkerFailedRequesting: failed requests are retried, then slowed by the start-worker cool-down', () => {
    // A provider out of capacity: every request fails.
    const s = activeCluster({ workers: 0 });
    s.declareRequiredResources(1);
    const requests = () => asksDeliveredToProvider(s, 'requestResource');
    // max-failure-rate 10/min: the tenth failure starts a 3 s cool-down, during which the
    // replacement request waits (still counted as pending).
    expect(requests()).toBe(10);
    expect(workers(s).pending).toBe(1);
    s.advance(3_000);
    expect(requests()).toBe(11);
    s.advance(30_000);
    expect(requests()).toBe(21);
  });

  it('§4.13 testRequirementsNotFulfillableWhenMaxSlotsReached: past slotmanager.number-of-slots.max no worker is requested and the JobMaster is told at once', () => {
    const s = activeCluster({
      resourceManager: {
        slotManager: { ...resourceManagerConfig().slotManager, maxSlotNum: 2 },
      },
    });
    s.declareRequiredResources(4);
    // One worker fits under the limit; the other two slots cannot be had. Active mode notifies
    // from the start (no start-up period).
    expect(workers(s)).toEqual({ pending: 1, nodes: ['worker-1'], registered: [] });
    expect(s.inbox(JM, 'notifyNotEnoughResourcesAvailable')).toHaveLength(1);
  });

  it('testRegisterUnknownWorker: a TaskExecutor the driver did not start is rejected and terminates', () => {
    const s = new TaskExecutorScenario({
      taskExecutors: 1,
      resourceManager: { workerMode: 'active' },
      resourceProvider: { workers: 1 },
    });
    s.announceResourceManager(RM, RM_ID);
    // Its first attempt came before the driver had initialized (refused, fenced); the retry is
    // rejected for good.
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(true);
    s.advance(10_000);
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(false);
    expect(s.rmLeader().taskExecutors).toEqual([]);
  });
});

describe('active ResourceManager: losing and releasing workers', () => {
  it('§4.12 testIdleTaskManagerRelease: a worker idle for resourcemanager.taskmanager-timeout is stopped and its connection closed', () => {
    const s = activeCluster();
    s.declareRequiredResources(2);
    s.advance(WORKER_STARTUP_MS);
    expect(rmSlots(s)).toEqual(['worker-1#0:ALLOCATED(job-1)', 'worker-1#1:ALLOCATED(job-1)']);
    // The job needs nothing any more and frees its slots at the TaskExecutor.
    s.declareRequiredResources(0);
    for (const slot of s.te('worker-1').taskSlotTable.slots)
      if (slot.allocationId !== null) s.freeSlotFromJobMaster(slot.allocationId, JM, 'worker-1');
    expect(rmSlots(s)).toEqual(['worker-1#0:FREE', 'worker-1#1:FREE']);
    s.advance(60_000);
    expect(workers(s)).toEqual({ pending: 0, nodes: [], registered: [] });
    expect(rmSlots(s)).toEqual([]);
    expect(s.simulation.state.system.resourceProvider?.workers).toEqual([]);
    expect(running(s)).toEqual([]);
  });

  it('testDisconnectTaskManager: disconnectTaskManager closes the connection and stops the worker', () => {
    const s = activeCluster();
    s.declareRequiredResources(2);
    s.advance(WORKER_STARTUP_MS);
    s.instruct(JM, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'disconnectTaskManager',
        fencingToken: RM_ID,
        resourceId: 'worker-1' as never,
        cause: 'test',
      },
    });
    // Released at the provider; the job's two slots are missing, so worker-2 is requested.
    expect(running(s)).toEqual([]);
    expect(s.simulation.state.system.resourceProvider?.workers).toEqual(['worker-2']);
    expect(workers(s)).toEqual({ pending: 1, nodes: ['worker-2'], registered: [] });
  });

  it('a registered worker stopped by the registration timeout (its slot report held) that registers again is rejected', () => {
    const s = activeCluster({ resourceManager: { workerRegistrationTimeoutMs: 12_000 } });
    s.declareRequiredResources(2);
    // Hold the next worker request at the RM side, so only worker-1 exists.
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    s.advance(9_999);
    const startup = s.simulation
      .enabledSteps()
      .find((x) => x.kind === 'fireTimer' && x.name.startsWith('workerStartup/'));
    if (startup === undefined) throw new Error('worker-1 is not starting');
    s.take(startup);
    // worker-1 registers; its slot report is cut off before it reaches the RM.
    for (;;) {
      if (
        s.simulation.state.messages.some(
          (m) => m.to === RM && m.kind === 'ask' && m.msg.type === 'sendSlotReport',
        )
      )
        break;
      const step = s.simulation
        .enabledSteps()
        .find((x) => x.kind === 'deliver' || x.kind === 'client');
      if (step === undefined) throw new Error('worker-1 sent no slot report');
      s.take(step);
    }
    s.take({ kind: 'partition', from: 'worker-1', to: RM, twoWay: false });
    expect(workers(s).registered).toEqual(['worker-1']);
    s.advance(15_000); // the registration timeout stops worker-1 at the driver, not at the RM
    expect(workers(s).nodes).toEqual([]);
    s.take({ kind: 'heal', a: 'worker-1', b: RM });
    s.deliver(RM, 'sendSlotReport');
    const again = s.simulation.state.messages.find(
      (m) => m.to === RM && m.kind === 'ask' && m.msg.type === 'registerTaskExecutor',
    );
    if (again === undefined) throw new Error('worker-1 did not register again');
    s.take({ kind: 'reorder', seq: again.seq });
    expect(workers(s).registered).toEqual([]);
  });

  it('a lost worker (heartbeat RPCs unreachable) is stopped, and a replacement is requested for the job', () => {
    const s = activeCluster();
    s.declareRequiredResources(2);
    s.advance(WORKER_STARTUP_MS);
    s.take({ kind: 'crash', endpoint: 'worker-1' });
    s.advance(30_000);
    // Two unreachable heartbeat RPCs close the connection and stop the worker; the job's slots
    // are missing again, so worker-2 is requested, starts and takes them.
    expect(s.simulation.state.system.resourceProvider?.workers).toEqual(['worker-2']);
    s.advance(WORKER_STARTUP_MS);
    expect(workers(s)).toEqual({ pending: 0, nodes: ['worker-2'], registered: ['worker-2'] });
    expect(rmSlots(s)).toEqual(['worker-2#0:ALLOCATED(job-1)', 'worker-2#1:ALLOCATED(job-1)']);
  });

  it('testRecoverWorkerFromPreviousAttempt: a new leadership recovers the running workers, which register again without new requests', () => {
    const s = activeCluster();
    s.declareRequiredResources(4);
    s.advance(WORKER_STARTUP_MS);
    expect(workers(s).registered).toEqual(['worker-1', 'worker-2']);
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(s.rmLeader().resourceManagerId).toBe('rm-leader-2');
    expect(s.rmLeader().active?.previousAttemptUnregistered).toEqual(['worker-1', 'worker-2']);
    s.advance(10_000);
    expect(workers(s)).toEqual({
      pending: 0,
      nodes: ['worker-1', 'worker-2'],
      registered: ['worker-1', 'worker-2'],
    });
    expect(s.rmLeader().active?.previousAttemptUnregistered).toEqual([]);
    // Their slots are back at the slot manager. The scripted JobMaster never took the offered
    // slots, so the TaskExecutors freed them at their slot timeout; nothing is declared to the
    // new leader yet, and no worker is requested.
    expect(s.slots('worker-1')).toEqual([]);
    expect(rmSlots(s)).toEqual([
      'worker-1#0:FREE',
      'worker-1#1:FREE',
      'worker-2#0:FREE',
      'worker-2#1:FREE',
    ]);
    expect(s.simulation.state.system.resourceProvider?.used).toBe(2);
  });

  it('testRecoverWorkerFromPreviousAttempt (not registering): a recovered worker that never registers is stopped after the timeout', () => {
    const s = activeCluster({ neverStart: ['worker-1'] });
    s.declareRequiredResources(2);
    s.announceResourceManager(RM, 'rm-leader-2');
    // The new leadership recovers worker-1 (requested, never started); no JobMaster has declared
    // anything to it yet, so nothing replaces the worker once it is stopped.
    expect(s.rmLeader().active?.workerNodes).toEqual(['worker-1']);
    s.advance(300_000);
    expect(s.rmLeader().active?.workerNodes).toEqual([]);
    expect(s.simulation.state.system.resourceProvider?.workers).toEqual([]);
  });
});

/** An active RM and its provider, no leadership yet. */
function unled(): TaskExecutorScenario {
  return new TaskExecutorScenario({
    taskExecutors: 0,
    resourceManager: { workerMode: 'active' },
    resourceProvider: { workers: 2 },
  });
}

/** HA grants the RM leadership under `session` (nobody else is told yet). */
function grant(s: TaskExecutorScenario, session: string | null): void {
  s.instructOnly('ha', {
    kind: 'leader',
    jobId: null,
    leaderAddress: session === null ? null : RM,
    leaderSessionId: session,
  });
  s.deliver(RM, session === null ? 'revokeLeadership' : 'grantLeadership');
}

describe('active ResourceManager: leadership while the driver initializes', () => {
  const rmState = (s: TaskExecutorScenario) => s.simulation.state.system.resourceManager;

  it('a new grant while the driver initializes: the earlier grant’s answer is dropped, the new one serves', () => {
    const s = unled();
    grant(s, 'rm-leader-1');
    s.deliver('provider', 'initialize');
    grant(s, 'rm-leader-2');
    expect(rmState(s)?.starting?.leaderSessionId).toBe('rm-leader-2');
    s.settle();
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
  });

  it('the earlier grant’s answer overtaken by the current one (reordered) changes nothing once leading', () => {
    const s = unled();
    grant(s, 'rm-leader-1');
    s.deliver('provider', 'initialize');
    grant(s, 'rm-leader-2');
    s.deliver('provider', 'initialize');
    const answers = s.simulation.state.messages.filter(
      (m) => m.to === RM && m.kind === 'reply' && m.msg.type === 'initialize.recovered',
    );
    expect(answers).toHaveLength(2);
    s.take({ kind: 'reorder', seq: answers[1]!.seq });
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
    s.settle();
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
  });

  it('revoked while the driver initializes: the answer finds no leadership and is dropped', () => {
    const s = unled();
    grant(s, 'rm-leader-1');
    grant(s, null);
    expect(rmState(s)?.starting).toBeNull();
    s.settle();
    expect(rmState(s)?.leader).toBeNull();
  });

  it('revoked while the driver initializes, then the initialize times out: the failure is dropped', () => {
    const s = unled();
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    grant(s, 'rm-leader-1');
    grant(s, null);
    s.advance(10_000);
    expect(rmState(s)?.leader).toBeNull();
    expect(rmState(s)?.starting).toBeNull();
  });

  it('an earlier grant’s initialize that times out once the current grant leads is dropped', () => {
    const s = unled();
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    grant(s, 'rm-leader-1');
    s.advance(5_000);
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    grant(s, 'rm-leader-2');
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    const asks = s.simulation.state.messages.filter(
      (m) => m.to === 'provider' && m.kind === 'ask' && m.msg.type === 'initialize',
    );
    expect(asks).toHaveLength(2);
    // Only the current grant's ask gets through; it leads; then the earlier one times out.
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    s.take({ kind: 'reorder', seq: asks[1]!.seq });
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    s.settle();
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
    s.advance(10_000);
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
  });

  it('a grant that reuses the session id drops the answers to the earlier grant of that id', () => {
    const s = activeCluster({ workers: 0 });
    s.take({ kind: 'partition', from: 'provider', to: RM, twoWay: false });
    s.declareRequiredResources(1); // its requestResource fails, but the failure is held
    grant(s, null);
    grant(s, RM_ID);
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    s.deliver('provider', 'initialize');
    const recovered = s.simulation.state.messages.find(
      (m) => m.to === RM && m.kind === 'reply' && m.msg.type === 'initialize.recovered',
    );
    if (recovered === undefined) throw new Error('no initialize answer in flight');
    s.take({ kind: 'reorder', seq: recovered.seq });
    s.settle(); // the old grant's requestResource.failed arrives now
    expect(s.rmLeader().active?.pendingWorkerCount).toBe(0);
    s.advance(30_000);
    expect(asksDeliveredToProvider(s, 'requestResource')).toBe(1);
  });

  it('an initialize that times out is asked again; the earlier grant’s timeout is dropped', () => {
    const s = unled();
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    grant(s, 'rm-leader-1');
    grant(s, 'rm-leader-2');
    s.advance(10_000);
    expect(rmState(s)?.starting?.leaderSessionId).toBe('rm-leader-2');
    s.take({ kind: 'heal', a: RM, b: 'provider' });
    s.settle();
    expect(rmState(s)?.leader?.resourceManagerId).toBe('rm-leader-2');
    // Only the current grant asked again.
    expect(asksDeliveredToProvider(s, 'initialize')).toBe(3);
  });
});

describe('active ResourceManager: the monitor catches divergence', () => {
  it('reports an implementation that forgets its driver is initializing', () => {
    const s = unled();
    s.take({ kind: 'partition', from: RM, to: 'provider', twoWay: false });
    grant(s, 'rm-leader-1');
    const rm = s.simulation.state.system.resourceManager;
    if (rm === null) throw new Error('no RM');
    // Planted: the implementation drops the grant it is initializing.
    rm.starting = null;
    expect(() => s.advance(10_000)).toThrow(
      /rm leadership \(driver initializing\): the model is in rm-leader-1, the implementation in null/,
    );
  });
});
