/**
 * Every invariant of the suite (./index.ts) checked both ways: it holds on a healthy cluster that
 * the reference implementation reached by itself, and it reports a violation planted into a copy
 * of that cluster (or into one of its real transitions), naming what was planted. An invariant
 * that cannot fail checks nothing; one that fails on the reference implementation is wrong.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import { jobMasterEndpoint } from '../../impl/cluster/clusterProcesses.js';
import {
  flinkCluster,
  FlinkClusterConfig,
  type ClusterAction,
  type FlinkClusterState,
} from '../../impl/cluster/flinkCluster.js';
import type { JobMasterLeadership } from '../../impl/jobmaster/jobMasterState.js';
import type { DeclarativeSlotManager } from '../../impl/resourcemanager/slotmanager/dsmState.js';
import { clonePlain } from '../../impl/sim/canonical.js';
import { simConfig } from '../../impl/sim/config.js';
import type { StepRecord } from '../../impl/sim/record.js';
import { Simulation } from '../../impl/sim/simulation.js';
import type { Step } from '../../impl/sim/step.js';
import type { Envelope } from '../../impl/sim/world.js';
import type { TaskSlot } from '../../impl/taskexecutor/taskSlot.js';
import type { TaskExecutorState } from '../../impl/taskexecutor/taskExecutorState.js';
import {
  AllocationID,
  ExecutionAttemptID,
  JobID,
  JobMasterId,
  ResourceID,
  ResourceManagerId,
  TaskManagerSessionId,
} from '../../protocol/ids.js';
import { runsAllTasks } from '../clusterViews.js';
import type { CheckContext, PendingDelivery, StateInvariant, StepInvariant } from '../invariant.js';
import { InvariantChecker, pendingDelivery } from '../invariantChecker.js';
import { noLeakedSlot, noNeedlessWorkers, requirementsSettle, viewsAgree } from './eventual.js';
import { staleMessagesChangeNothing } from './fencing.js';
import { ALL_INVARIANTS, ALWAYS_STATE, ALWAYS_STEP, EVENTUAL } from './index.js';
import {
  freeIndexHoldsFreeSlots,
  slotManagerAllocatesOnlyWhatIsMissing,
  slotManagerAssignmentsConsistent,
} from './slotManager.js';
import { poolHoldsEachSlotOnce, poolTakesSlotsOnlyForRequirements } from './slotPool.js';
import { tasksOnlyInActiveSlots } from './tasks.js';
import {
  allocationAtOneTaskExecutor,
  jobsOnlyWithSlots,
  slotFreedBeforeReallocated,
  slotIndexHoldsOneAllocation,
} from './taskExecutorSlots.js';

type ClusterRecord = StepRecord<ClusterMessage, ClusterAction>;
type ClusterEnvelope = Envelope<ClusterMessage>;

// ---------------------------------------------------------------------------------------------
// A healthy cluster: fault-free, run to steady state by the reference implementation.

/** One step of the start-up: the state before it, what it handed over, and the state after. */
interface Transition {
  readonly before: FlinkClusterState;
  readonly message: PendingDelivery | null;
  readonly record: ClusterRecord;
  readonly after: FlinkClusterState;
}

interface SteadyRun {
  readonly config: FlinkClusterConfig;
  /** Every job runs all its tasks and nothing is in flight. */
  readonly state: FlinkClusterState;
  readonly now: number;
  readonly transitions: readonly Transition[];
  /** What the always-invariants reported along the way (nothing, on the reference). */
  readonly violations: readonly string[];
}

/**
 * Starts a cluster of two jobs of parallelism 2 on three TaskExecutors of two slots each and
 * steps it (oldest message first, else the earliest timer) until every job runs and nothing is in
 * flight, checking the always-invariants after every step as a checked run does.
 */
function runToSteadyState(mode: FlinkClusterConfig['mode']): SteadyRun {
  const config = FlinkClusterConfig.parse({ mode });
  const { simulation } = Simulation.start(
    flinkCluster(config),
    simConfig({ network: { minLatencyMs: 1 } }),
    1,
  );
  const checker = new InvariantChecker();
  const transitions: Transition[] = [];
  const violations: string[] = [];
  const settled = () =>
    simulation.state.messages.length === 0 &&
    Object.values(simulation.state.system.jobMasters).every((jm) => {
      const leader = jm?.leader ?? null;
      return leader !== null && runsAllTasks(leader.scheduler);
    });
  for (let i = 0; i < 1_000 && !settled(); i++) {
    const world = simulation.state;
    const steps = simulation.enabledSteps();
    const step =
      steps.find((s) => s.kind === 'deliver') ?? steps.find((s) => s.kind === 'fireTimer');
    if (step === undefined) break;
    const message = pendingDelivery(world, step);
    const before = clonePlain(world.system);
    checker.before(world.system, step, message);
    const record = simulation.applyEnabled(step);
    const context = { config, now: simulation.state.now, healedMs: 0 };
    for (const v of checker.after(record, simulation.state.system, context))
      violations.push(`step ${record.index}: ${v.invariant}: ${v.problems.join('; ')}`);
    transitions.push({ before, message, record, after: clonePlain(simulation.state.system) });
  }
  if (!settled()) throw new Error(`the ${mode} cluster did not reach a steady state`);
  return {
    config,
    state: clonePlain(simulation.state.system),
    now: simulation.state.now,
    transitions,
    violations,
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const standalone = lazy(() => runToSteadyState('standalone'));
const active = lazy(() => runToSteadyState('active'));

/** A copy of the healthy cluster's state, to plant a violation into. */
function healthy(run: SteadyRun = standalone()): FlinkClusterState {
  return clonePlain(run.state);
}

function contextOf(run: SteadyRun, overrides: Partial<CheckContext> = {}): CheckContext {
  return { config: run.config, now: run.now, healedMs: 0, ...overrides };
}

// ---------------------------------------------------------------------------------------------
// Reading and planting.

function taskExecutor(state: FlinkClusterState, id: string): TaskExecutorState {
  const te = state.taskExecutors[id] ?? null;
  if (te === null) throw new Error(`${id} does not run`);
  return te;
}

/** The two slots a TaskExecutor of the healthy cluster holds (both ACTIVE for one job). */
function slotsOf(state: FlinkClusterState, id: string): [TaskSlot, TaskSlot] {
  const [first, second] = taskExecutor(state, id).taskSlotTable.slots;
  if (first === undefined || second === undefined) throw new Error(`${id} holds no two slots`);
  return [first, second];
}

function jobMaster(state: FlinkClusterState, jobId: string): JobMasterLeadership {
  const leader = state.jobMasters[jobMasterEndpoint(jobId)]?.leader ?? null;
  if (leader === null) throw new Error(`no JobMaster leads ${jobId}`);
  return leader;
}

function slotManager(state: FlinkClusterState): DeclarativeSlotManager {
  const leader = state.resourceManager?.leader ?? null;
  if (leader === null) throw new Error('no ResourceManager leads');
  return leader.slotManager;
}

function trackedSlot(state: FlinkClusterState, key: string) {
  const slot = slotManager(state).slotTracker.slots[key];
  if (slot === undefined) throw new Error(`the slot manager does not track ${key}`);
  return slot;
}

const JOB_1 = JobID.parse('job-1');
const JOB_2 = JobID.parse('job-2');

function resourceTrackerOf(state: FlinkClusterState, jobId: JobID) {
  const tracker = slotManager(state).resourceTracker[jobId];
  if (tracker === undefined) throw new Error(`the slot manager tracks no requirements of ${jobId}`);
  return tracker;
}

/** A slot allocated at a TaskExecutor, outside what the cluster allocated itself. */
function plantedSlot(overrides: Partial<TaskSlot> & { allocationId: AllocationID }): TaskSlot {
  return {
    index: 0,
    jobId: JOB_1,
    resourceProfile: 'default',
    state: 'ALLOCATED',
    tasks: [],
    ...overrides,
  };
}

/** Exactly one problem, naming these things in this order. */
function expectOnly(problems: readonly string[], ...named: string[]): void {
  expect(problems).toHaveLength(1);
  const escaped = named.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  expect(problems[0]).toMatch(new RegExp(escaped.join('.*')));
}

// ---------------------------------------------------------------------------------------------
// Transitions: real ones from the start-up, and hand-built records.

function deliveredMessage(record: ClusterRecord): ClusterMessage | null {
  return record.outcome.kind === 'delivered' && 'msg' in record.outcome.envelope
    ? record.outcome.envelope.msg
    : null;
}

/** The first start-up step that delivered a message of this type (and passes `where`). */
function realDelivery(
  run: SteadyRun,
  type: string,
  where: (msg: ClusterMessage) => boolean = () => true,
): Transition {
  const found = run.transitions.find((t) => {
    const msg = deliveredMessage(t.record);
    return msg !== null && msg.type === type && where(msg);
  });
  if (found === undefined) throw new Error(`the start-up delivered no ${type}`);
  return found;
}

function envelopeOf(t: Transition): ClusterEnvelope {
  if (t.record.outcome.kind !== 'delivered') throw new Error('not a delivery');
  return t.record.outcome.envelope;
}

/** A whole step record of delivering `envelope` (at the healthy cluster's time). */
function deliveryRecord(envelope: ClusterEnvelope, time = standalone().now): ClusterRecord {
  return {
    index: standalone().transitions.length + 1,
    time,
    step: { kind: 'deliver', seq: envelope.seq },
    outcome: { kind: 'delivered', envelope },
    effects: [],
  };
}

/** A whole step record of a timer firing (nothing delivered). */
function timerRecord(endpoint: string, name: string, time = standalone().now): ClusterRecord {
  return {
    index: standalone().transitions.length + 1,
    time,
    step: { kind: 'fireTimer', endpoint, name },
    outcome: {
      kind: 'timerFired',
      timer: { endpoint, name, fireAt: time, askId: null, data: null },
    },
    effects: [],
  };
}

/** A step invariant judging `before → after` as the checker does (digest, step, check). */
function judge(
  inv: StepInvariant,
  before: FlinkClusterState,
  record: ClusterRecord,
  after: FlinkClusterState,
  message: PendingDelivery | null = record.outcome.kind === 'delivered'
    ? { envelope: record.outcome.envelope, lateReply: false }
    : null,
): readonly string[] {
  const step: Step<ClusterAction> = record.step;
  return inv.check(inv.before(before, step, message), record, after);
}

function judgeReal(inv: StepInvariant, t: Transition): readonly string[] {
  return judge(inv, t.before, t.record, t.after, t.message);
}

// ---------------------------------------------------------------------------------------------
// One test per invariant; the last test checks that none is left out.

const tested: string[] = [];

function invariantTest(inv: StateInvariant | StepInvariant, body: () => void): void {
  tested.push(inv.name);
  it(inv.name, body);
}

describe('the healthy cluster the invariants are tried on', () => {
  it('is reached by a fault-free start-up that breaks no always-invariant at any step', () => {
    for (const run of [standalone(), active()]) {
      expect(run.violations).toEqual([]);
      expect(run.transitions.length).toBeGreaterThan(40);
      for (const jobId of [JOB_1, JOB_2])
        expect(runsAllTasks(jobMaster(run.state, jobId).scheduler)).toBe(true);
    }
    // What the plants below rely on: job-1 on te-1, job-2 on te-2, te-3 idle.
    const state = standalone().state;
    expect(slotsOf(state, 'te-1').map((s) => `${s.jobId}:${s.state}`)).toEqual([
      'job-1:ACTIVE',
      'job-1:ACTIVE',
    ]);
    expect(slotsOf(state, 'te-2').map((s) => `${s.jobId}:${s.state}`)).toEqual([
      'job-2:ACTIVE',
      'job-2:ACTIVE',
    ]);
    expect(taskExecutor(state, 'te-3').taskSlotTable.slots).toEqual([]);
    expect(slotManager(state).slotTracker.freeSlots).toEqual(['te-3#0', 'te-3#1']);
  });
});

describe('state invariants: hold on the healthy cluster, report a planted violation', () => {
  const check = (inv: StateInvariant, state: FlinkClusterState) =>
    inv.check(state, contextOf(standalone()));

  invariantTest(slotIndexHoldsOneAllocation, () => {
    expect(check(slotIndexHoldsOneAllocation, standalone().state)).toEqual([]);

    const twoAtOneIndex = healthy();
    const [first, second] = slotsOf(twoAtOneIndex, 'te-1');
    taskExecutor(twoAtOneIndex, 'te-1').taskSlotTable.slots = [first, { ...second, index: 0 }];
    expectOnly(check(slotIndexHoldsOneAllocation, twoAtOneIndex), 'te-1#0 holds two TaskSlots');

    const oneAllocationTwice = healthy();
    taskExecutor(oneAllocationTwice, 'te-1').taskSlotTable.slots = [
      first,
      { ...second, allocationId: first.allocationId },
    ];
    expectOnly(
      check(slotIndexHoldsOneAllocation, oneAllocationTwice),
      `te-1 holds ${first.allocationId} in two slots`,
    );

    const beyond = healthy();
    taskExecutor(beyond, 'te-1').taskSlotTable.slots = [first, { ...second, index: 2 }];
    expectOnly(check(slotIndexHoldsOneAllocation, beyond), 'te-1#2 is beyond its 2 slots');
  });

  invariantTest(allocationAtOneTaskExecutor, () => {
    expect(check(allocationAtOneTaskExecutor, standalone().state)).toEqual([]);

    const state = healthy();
    const [first] = slotsOf(state, 'te-1');
    taskExecutor(state, 'te-3').taskSlotTable.slots = [{ ...first, index: 1 }];
    expectOnly(
      check(allocationAtOneTaskExecutor, state),
      `${first.allocationId} at te-1#${first.index} and te-3#1`,
    );
  });

  invariantTest(jobsOnlyWithSlots, () => {
    expect(check(jobsOnlyWithSlots, standalone().state)).toEqual([]);

    // te-1's slots are gone but its jobs stay (FLINK-8504: the job is never released).
    const state = healthy();
    const te = taskExecutor(state, 'te-1');
    const jobs = te.jobs.map((j) => j.jobId);
    expect(jobs.length).toBeGreaterThan(0);
    te.taskSlotTable.slots = [];
    const problems = check(jobsOnlyWithSlots, state);
    expect(problems).toHaveLength(jobs.length);
    for (const jobId of jobs)
      expect(problems.some((p) => p.startsWith(`te-1 keeps ${jobId} `))).toBe(true);
  });

  invariantTest(slotManagerAssignmentsConsistent, () => {
    expect(check(slotManagerAssignmentsConsistent, standalone().state)).toEqual([]);

    // ALLOCATED → PENDING keeps the counts, but no requestSlot is in flight for it.
    const pendingWithoutRequest = healthy();
    trackedSlot(pendingWithoutRequest, 'te-1#0').state = 'PENDING';
    expectOnly(
      check(slotManagerAssignmentsConsistent, pendingWithoutRequest),
      'te-1#0 is PENDING with no requestSlot in flight',
    );

    // An ALLOCATED slot with a requestSlot still in flight.
    const allocatedWithRequest = healthy();
    slotManager(allocatedWithRequest).pendingSlotAllocations['te-2#1'] =
      AllocationID.parse('alloc-late');
    expectOnly(
      check(slotManagerAssignmentsConsistent, allocatedWithRequest),
      'te-2#1 is ALLOCATED but has requestSlot alloc-late in flight',
    );

    // Two PENDING slots requested under one AllocationID.
    const oneIdTwice = healthy();
    const twice = AllocationID.parse('alloc-twice');
    for (const key of ['te-1#0', 'te-1#1']) {
      trackedSlot(oneIdTwice, key).state = 'PENDING';
      slotManager(oneIdTwice).pendingSlotAllocations[key] = twice;
    }
    expectOnly(
      check(slotManagerAssignmentsConsistent, oneIdTwice),
      'one AllocationID requested for two slots (alloc-twice, alloc-twice)',
    );

    // The resource tracker counts a slot (as excess) that the slot tracker does not have.
    const trackerDisagrees = healthy();
    resourceTrackerOf(trackerDisagrees, JOB_1).excess = { default: 1 };
    expectOnly(
      check(slotManagerAssignmentsConsistent, trackerDisagrees),
      'job-1 has 2 PENDING/ALLOCATED slots but its resource tracker counts 3 acquired',
    );
  });

  invariantTest(freeIndexHoldsFreeSlots, () => {
    expect(check(freeIndexHoldsFreeSlots, standalone().state)).toEqual([]);

    const missing = healthy();
    slotManager(missing).slotTracker.freeSlots = ['te-3#1'];
    expectOnly(
      check(freeIndexHoldsFreeSlots, missing),
      'te-3#0 is FREE but missing from the free index',
    );

    const inUse = healthy();
    slotManager(inUse).slotTracker.freeSlots.push('te-2#1');
    expectOnly(
      check(freeIndexHoldsFreeSlots, inUse),
      'the free index holds te-2#1, which is ALLOCATED for job-2',
    );

    const twice = healthy();
    slotManager(twice).slotTracker.freeSlots.push('te-3#0');
    expectOnly(check(freeIndexHoldsFreeSlots, twice), 'te-3#0 is in the free index twice');

    const untracked = healthy();
    slotManager(untracked).slotTracker.freeSlots.push('te-9#0');
    expectOnly(
      check(freeIndexHoldsFreeSlots, untracked),
      'the free index holds te-9#0, which it does not track',
    );
  });

  invariantTest(poolHoldsEachSlotOnce, () => {
    expect(check(poolHoldsEachSlotOnce, standalone().state)).toEqual([]);

    // The same AllocationID twice (one mapping per AllocationID, so the counts still agree).
    const twice = healthy();
    const pool = jobMaster(twice, JOB_1).slotPool.pool;
    const [slot] = pool.slots;
    if (slot === undefined) throw new Error('the pool of job-1 is empty');
    pool.slots.push({ ...slot });
    expectOnly(
      check(poolHoldsEachSlotOnce, twice),
      `pool of job-1 holds ${slot.allocationId} twice`,
    );

    // A request forgets its slot, which stays RESERVED.
    const reservedForNothing = healthy();
    const service = jobMaster(reservedForNothing, JOB_1).slotPool;
    const [request, reserved] = Object.entries(service.fulfilledRequests)[1] ?? [];
    if (request === undefined || reserved === undefined) throw new Error('no second request');
    delete service.fulfilledRequests[request];
    expectOnly(
      check(poolHoldsEachSlotOnce, reservedForNothing),
      `pool of job-1: ${reserved} is RESERVED for no request`,
    );

    // One slot reserved for two requests.
    const reservedTwice = healthy();
    const requestsOfJob2 = jobMaster(reservedTwice, JOB_2).slotPool.fulfilledRequests;
    const [firstRequest, itsSlot] = Object.entries(requestsOfJob2)[0] ?? [];
    if (firstRequest === undefined || itsSlot === undefined)
      throw new Error('job-2 has no request');
    requestsOfJob2['r-extra'] = itsSlot;
    expectOnly(
      check(poolHoldsEachSlotOnce, reservedTwice),
      `pool of job-2: ${itsSlot} is reserved for ${firstRequest} and r-extra`,
    );
  });
});

describe('step invariants: hold on real and hand-built transitions, report a planted one', () => {
  invariantTest(slotFreedBeforeReallocated, () => {
    const run = standalone();
    const allocation = realDelivery(run, 'requestSlot');
    expect(judgeReal(slotFreedBeforeReallocated, allocation)).toEqual([]);

    const before = run.state;
    const [first] = slotsOf(before, 'te-1');
    const record = deliveryRecord(envelopeOf(allocation));
    // Freed: the index is empty afterwards.
    const freed = healthy();
    taskExecutor(freed, 'te-1').taskSlotTable.slots.shift();
    expect(judge(slotFreedBeforeReallocated, before, record, freed)).toEqual([]);
    // Another AllocationID at the same index, in the same TaskExecutor session.
    const reallocated = healthy();
    taskExecutor(reallocated, 'te-1').taskSlotTable.slots[0] = {
      ...first,
      allocationId: AllocationID.parse('alloc-new'),
    };
    expectOnly(
      judge(slotFreedBeforeReallocated, before, record, reallocated),
      `te-1#0 went from ${first.allocationId} to alloc-new of job-1 without being freed`,
    );
    // The same after a restart (a new session starts from an empty table): not judged.
    reallocated.taskExecutors['te-1'] = {
      ...taskExecutor(reallocated, 'te-1'),
      sessionId: TaskManagerSessionId.parse('te-1-session-2'),
    };
    expect(judge(slotFreedBeforeReallocated, before, record, reallocated)).toEqual([]);
  });

  invariantTest(slotManagerAllocatesOnlyWhatIsMissing, () => {
    const run = standalone();
    // The real allocation of job-1's slots (PENDING in the tracker, requestSlot on its way).
    const declaration = realDelivery(run, 'declareRequiredResources');
    expect(
      Object.values(slotManager(declaration.after).slotTracker.slots).filter(
        (s) => s.state === 'PENDING',
      ).length,
    ).toBeGreaterThan(0);
    expect(judgeReal(slotManagerAllocatesOnlyWhatIsMissing, declaration)).toEqual([]);

    // A third slot started for job-1, which requires two; the slot manager's books are kept
    // consistent (the extra slot counted as excess), so that no state invariant sees it.
    const before = run.state;
    const record = deliveryRecord(envelopeOf(declaration));
    const beyond = healthy();
    const dsm = slotManager(beyond);
    trackedSlot(beyond, 'te-3#0').state = 'PENDING';
    trackedSlot(beyond, 'te-3#0').jobId = JOB_1;
    dsm.slotTracker.freeSlots = ['te-3#1'];
    dsm.pendingSlotAllocations['te-3#0'] = AllocationID.parse('alloc-extra');
    resourceTrackerOf(beyond, JOB_1).excess = { default: 1 };
    for (const inv of ALWAYS_STATE) expect(inv.check(beyond, contextOf(run))).toEqual([]);
    expectOnly(
      judge(slotManagerAllocatesOnlyWhatIsMissing, before, record, beyond),
      'started an allocation for job-1, which now has 3 PENDING/ALLOCATED slots but requires 2',
    );
    // Already PENDING before the step: not a new allocation.
    expect(judge(slotManagerAllocatesOnlyWhatIsMissing, beyond, record, beyond)).toEqual([]);
    // PENDING before and after, but requested again under a new AllocationID in the step (a
    // failed request frees the slot and checkResourceRequirements picks it at once): judged.
    const again = clonePlain(beyond);
    slotManager(again).pendingSlotAllocations['te-3#0'] = AllocationID.parse('alloc-again');
    expectOnly(
      judge(slotManagerAllocatesOnlyWhatIsMissing, beyond, record, again),
      'started an allocation for job-1, which now has 3 PENDING/ALLOCATED slots but requires 2',
    );
    // The job requires three: allowed.
    resourceTrackerOf(beyond, JOB_1).requirements = { UNKNOWN: 3 };
    expect(judge(slotManagerAllocatesOnlyWhatIsMissing, before, record, beyond)).toEqual([]);
  });

  invariantTest(poolTakesSlotsOnlyForRequirements, () => {
    const run = standalone();
    const offer = realDelivery(run, 'offerSlots');
    expect(judgeReal(poolTakesSlotsOnlyForRequirements, offer)).toEqual([]);

    // job-1's pool takes a third slot (from te-3) while it requires two.
    const before = run.state;
    const record = deliveryRecord(envelopeOf(offer));
    const beyond = healthy();
    const pool = jobMaster(beyond, JOB_1).slotPool.pool;
    const extra = AllocationID.parse('alloc-extra');
    pool.slots.push({
      allocationId: extra,
      taskManager: ResourceID.parse('te-3'),
      physicalSlotNumber: 0,
      resourceProfile: 'default',
      state: 'FREE',
      freeSince: run.now,
    });
    pool.slotToRequirementProfileMappings[extra] = 'UNKNOWN';
    pool.fulfilledResourceRequirements = { UNKNOWN: 3 };
    expectOnly(
      judge(poolTakesSlotsOnlyForRequirements, before, record, beyond),
      'pool of job-1 took alloc-extra from te-3#0 beyond its requirements (3 slots for 2 required of UNKNOWN)',
    );
    // While the job restarts, DeclarativeSlotPoolBridge accepts every offer.
    const restarting = healthy();
    jobMaster(restarting, JOB_1).slotPool.isJobRestarting = true;
    expect(judge(poolTakesSlotsOnlyForRequirements, restarting, record, beyond)).toEqual([]);
    // A job that requires three may take a third.
    pool.totalResourceRequirements = { UNKNOWN: 3 };
    expect(judge(poolTakesSlotsOnlyForRequirements, before, record, beyond)).toEqual([]);
  });

  invariantTest(tasksOnlyInActiveSlots, () => {
    const run = standalone();
    const [, second] = slotsOf(run.state, 'te-1');
    const task = second.tasks[0];
    if (task === undefined) throw new Error('te-1#1 runs no task');
    const submit = realDelivery(
      run,
      'submitTask',
      (m) => m.type === 'submitTask' && m.tdd.executionAttemptId === task,
    );
    expect(judgeReal(tasksOnlyInActiveSlots, submit)).toEqual([]);

    // By hand: te-1#1 is ACTIVE (the offer was accepted) with no task, then the task joins.
    const before = healthy();
    slotsOf(before, 'te-1')[1].tasks = [];
    const after = run.state;
    const envelope = envelopeOf(submit);
    expect(judge(tasksOnlyInActiveSlots, before, deliveryRecord(envelope), after)).toEqual([]);

    const intoAllocated = healthy();
    slotsOf(intoAllocated, 'te-1')[1].state = 'ALLOCATED';
    expectOnly(
      judge(tasksOnlyInActiveSlots, before, deliveryRecord(envelope), intoAllocated),
      `task ${task} joined te-1#1, which is ALLOCATED`,
    );
    expectOnly(
      judge(
        tasksOnlyInActiveSlots,
        before,
        timerRecord('te-1', 'resourceManagerHeartbeat/timeout/rm'),
        after,
      ),
      `task ${task} joined te-1#1 without a submitTask for it`,
    );
    const other = ExecutionAttemptID.parse('job-1-leader-1/1/9');
    if (!('msg' in envelope) || envelope.msg.type !== 'submitTask')
      throw new Error('no submitTask');
    const forAnother = {
      ...envelope,
      msg: { ...envelope.msg, tdd: { ...envelope.msg.tdd, executionAttemptId: other } },
    };
    expectOnly(
      judge(tasksOnlyInActiveSlots, before, deliveryRecord(forAnother), after),
      `task ${task} joined te-1#1 without a submitTask for it`,
    );
    // The task names another allocation than the slot it joined.
    const otherSlot = {
      ...envelope,
      msg: {
        ...envelope.msg,
        tdd: { ...envelope.msg.tdd, allocationId: AllocationID.parse('alloc-other') },
      },
    };
    expectOnly(
      judge(tasksOnlyInActiveSlots, before, deliveryRecord(otherSlot), after),
      `task ${task} for alloc-other joined te-1#1, which is ${slotsOf(after, 'te-1')[1].allocationId}`,
    );
    const fromStaleLeader = {
      ...envelope,
      msg: { ...envelope.msg, jobMasterId: JobMasterId.parse('job-1-leader-0') },
    };
    expectOnly(
      judge(tasksOnlyInActiveSlots, before, deliveryRecord(fromStaleLeader), after),
      `task ${task} joined te-1#1 from JobMaster job-1-leader-0, but job-1 is connected to job-1-leader-1`,
    );
  });

  invariantTest(staleMessagesChangeNothing, () => {
    const run = standalone();
    // A current requestSlot allocates a slot: not stale, so the change is fine.
    const allocation = realDelivery(run, 'requestSlot');
    expect(judgeReal(staleMessagesChangeNothing, allocation)).toEqual([]);

    // The same requestSlot under a ResourceManagerId the TaskExecutor is not connected to.
    const envelope = envelopeOf(allocation);
    if (!('msg' in envelope) || envelope.msg.type !== 'requestSlot')
      throw new Error('no requestSlot');
    const stale: ClusterEnvelope = {
      ...envelope,
      msg: { ...envelope.msg, resourceManagerId: ResourceManagerId.parse('rm-leader-0') },
    };
    const record = deliveryRecord(stale, allocation.record.time);
    expect(judge(staleMessagesChangeNothing, allocation.before, record, allocation.before)).toEqual(
      [],
    );
    expectOnly(
      judge(staleMessagesChangeNothing, allocation.before, record, allocation.after),
      `${envelope.to} changed on a stale requestSlot (ResourceManagerId rm-leader-0, the TaskExecutor is connected to rm-leader-1)`,
    );

    // A reply whose ask already ended must not change its caller either.
    const ack = realDelivery(run, 'requestSlot.acked');
    expect(judgeReal(staleMessagesChangeNothing, ack)).toEqual([]);
    const late = { envelope: envelopeOf(ack), lateReply: true };
    expect(judge(staleMessagesChangeNothing, ack.before, ack.record, ack.before, late)).toEqual([]);
    expectOnly(
      judge(staleMessagesChangeNothing, ack.before, ack.record, ack.after, late),
      'rm changed on a stale requestSlot.acked (a reply to an ask that already ended)',
    );
  });
});

describe('eventual invariants: hold on the settled cluster, report a planted violation', () => {
  invariantTest(viewsAgree, () => {
    const run = standalone();
    expect(viewsAgree.check(run.state, contextOf(run))).toEqual([]);
    expect(viewsAgree.check(active().state, contextOf(active()))).toEqual([]);

    // The ResourceManager believes te-1#0 is free; te-1 holds it for job-1.
    const rmForgot = healthy();
    trackedSlot(rmForgot, 'te-1#0').state = 'FREE';
    trackedSlot(rmForgot, 'te-1#0').jobId = null;
    slotManager(rmForgot).slotTracker.freeSlots.push('te-1#0');
    expectOnly(
      viewsAgree.check(rmForgot, contextOf(run)),
      'te-1#0 is allocated to job-1, but the ResourceManager has it FREE',
    );

    // The JobMaster believes one of its slots is at te-2.
    const jmMisplaced = healthy();
    const pool = jobMaster(jmMisplaced, JOB_1).slotPool.pool;
    const [slot] = pool.slots;
    if (slot === undefined) throw new Error('the pool of job-1 is empty');
    pool.slots[0] = { ...slot, taskManager: ResourceID.parse('te-2') };
    expectOnly(
      viewsAgree.check(jmMisplaced, contextOf(run)),
      `JobMaster of job-1 holds ${slot.allocationId} on te-2#${slot.physicalSlotNumber}, which that TaskExecutor does not hold for the job`,
    );
  });

  invariantTest(noLeakedSlot, () => {
    const run = standalone();
    expect(noLeakedSlot.check(run.state, contextOf(run))).toEqual([]);
    expect(noLeakedSlot.check(active().state, contextOf(active()))).toEqual([]);

    const leak = AllocationID.parse('alloc-leak');
    const notInPool = healthy();
    taskExecutor(notInPool, 'te-3').taskSlotTable.slots = [plantedSlot({ allocationId: leak })];
    expectOnly(
      noLeakedSlot.check(notInPool, contextOf(run)),
      "te-3#0 (alloc-leak, ALLOCATED) is held for job-1, but its JobMaster's pool does not have it",
    );

    const noLeader = healthy();
    taskExecutor(noLeader, 'te-3').taskSlotTable.slots = [
      plantedSlot({ allocationId: leak, jobId: JobID.parse('job-9') }),
    ];
    expectOnly(
      noLeakedSlot.check(noLeader, contextOf(run)),
      'te-3#0 (alloc-leak, ALLOCATED) is held for job-9, which no JobMaster leads',
    );

    // A slot being released is on its way out.
    const releasing = healthy();
    taskExecutor(releasing, 'te-3').taskSlotTable.slots = [
      plantedSlot({ allocationId: leak, state: 'RELEASING' }),
    ];
    expect(noLeakedSlot.check(releasing, contextOf(run))).toEqual([]);
  });

  invariantTest(requirementsSettle, () => {
    const run = standalone();
    expect(requirementsSettle.check(run.state, contextOf(run))).toEqual([]);
    expect(requirementsSettle.check(active().state, contextOf(active()))).toEqual([]);

    // job-2's second task never runs although three TaskExecutors hold both jobs.
    const stuck = healthy();
    const subtask = jobMaster(stuck, JOB_2).scheduler.subtasks[1];
    if (subtask === undefined) throw new Error('job-2 has no second task');
    subtask.state = 'SCHEDULED';
    expectOnly(
      requirementsSettle.check(stuck, contextOf(run)),
      'job-2 is RUNNING with tasks RUNNING, SCHEDULED although the cluster can hold every job (4 of 6 slots)',
    );

    const leaderless = healthy();
    const jm = leaderless.jobMasters[jobMasterEndpoint(JOB_2)];
    if (jm === undefined || jm === null) throw new Error('jm-job-2 does not run');
    jm.leader = null;
    expectOnly(
      requirementsSettle.check(leaderless, contextOf(run)),
      'job-2 has no leading JobMaster',
    );

    // A cluster of one TaskExecutor cannot hold both jobs: job-2 must have been told, once the
    // healing outlasted the slot request timeout.
    const small = { ...run.config, taskExecutors: 1 };
    const late = run.config.timeouts.slotRequestTimeoutMs + 1;
    expect(requirementsSettle.check(stuck, { config: small, now: run.now, healedMs: 1 })).toEqual(
      [],
    );
    expectOnly(
      requirementsSettle.check(stuck, { config: small, now: run.now, healedMs: late }),
      'job-2 is RUNNING',
      'was never told the cluster cannot hold it (4 slots needed, 2 there)',
    );
    jobMaster(stuck, JOB_2).scheduler.restarts = 1;
    expect(
      requirementsSettle.check(stuck, { config: small, now: run.now, healedMs: late }),
    ).toEqual([]);
  });

  invariantTest(noNeedlessWorkers, () => {
    const run = active();
    expect(noNeedlessWorkers.check(run.state, contextOf(run))).toEqual([]);

    // A worker requested that no pending slot needs.
    const needless = healthy(run);
    const rm = needless.resourceManager?.leader?.active ?? null;
    if (rm === null) throw new Error('the ResourceManager is not active');
    rm.pendingWorkerCount = 1;
    expectOnly(
      noNeedlessWorkers.check(needless, contextOf(run)),
      "1 workers are pending, but the slot manager's pending slots need 0",
    );

    // worker-1 idle, judged past 2 × taskmanager-timeout + one ask (and not just before).
    const idle = healthy(run);
    const [registration] = slotManager(idle).taskExecutorManager.registrations;
    if (registration === undefined) throw new Error('no worker registered');
    registration.idleSince = run.now;
    const timeouts = run.config.timeouts;
    const bound = 2 * timeouts.taskManagerTimeoutMs + timeouts.rpcTimeoutMs;
    expect(noNeedlessWorkers.check(idle, contextOf(run, { now: run.now + bound }))).toEqual([]);
    expectOnly(
      noNeedlessWorkers.check(idle, contextOf(run, { now: run.now + bound + 1_000 })),
      `${registration.resourceId} has been idle for 71 s, past the 30 s TaskManager timeout`,
    );

    // Standalone: TaskExecutors are not released (te-3 has been idle all along).
    const quiet = standalone();
    expect(
      noNeedlessWorkers.check(quiet.state, contextOf(quiet, { now: quiet.now + 3_600_000 })),
    ).toEqual([]);
  });
});

describe('the suite of invariants', () => {
  it('names each invariant once and documents the Flink guarantee it mirrors', () => {
    const names = ALL_INVARIANTS.map((inv) => inv.name);
    expect(new Set(names).size).toBe(names.length);
    for (const list of [ALWAYS_STATE, ALWAYS_STEP, EVENTUAL])
      expect(new Set(list.map((inv) => inv.name)).size).toBe(list.length);
    for (const inv of ALL_INVARIANTS) {
      expect(inv.name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(inv.guarantee.trim(), inv.name).not.toBe('');
      expect(inv.guarantee, inv.name).toMatch(/[A-Z][A-Za-z]+(#|\.|\b)/);
    }
    for (const inv of [...ALWAYS_STATE, ...ALWAYS_STEP]) expect(inv.kind, inv.name).toBe('always');
    for (const inv of EVENTUAL) expect(inv.kind, inv.name).toBe('eventually');
  });

  it('has a test here for every invariant', () => {
    expect([...tested].sort()).toEqual(ALL_INVARIANTS.map((inv) => inv.name).sort());
  });
});
