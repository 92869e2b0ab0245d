/**
 * One run of the whole cluster with every check on: the conformance monitors after every step, the
 * always-invariants after every step, and, after a healing phase, the eventual ones. The main job
 * prints it; the property suite will generate it.
 *
 * A run has two phases. Under faults, a seeded policy picks among every enabled step for
 * `faultSteps` steps. Healing then stops every disturbance: partitions heal and crashed processes
 * restart first; after that only deliveries, timers, restarts and HA's own steps are taken (no new
 * fault, leader change or client action) until `healMs` of simulated time have passed, and
 * whatever is still in flight is delivered. The eventual checks then look at the quiet cluster.
 */
import { ConformanceError } from '../conformance/machineInstance.js';
import { ClusterMonitors } from '../conformance/clusterMonitors.js';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import {
  clusterRouting,
  flinkCluster,
  jobIds,
  type ClusterAction,
  type FlinkClusterConfig,
} from '../impl/cluster/flinkCluster.js';
import { jobMasterEndpoint } from '../impl/cluster/clusterProcesses.js';
import type { FlinkClusterState } from '../impl/cluster/flinkCluster.js';
import type { SimConfig } from '../impl/sim/config.js';
import { pickSeeded } from '../impl/sim/policy.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import { Simulation } from '../impl/sim/simulation.js';
import type { Step } from '../impl/sim/step.js';
import {
  duplicateAllocations,
  leakedSlots,
  runsAllTasks,
  viewDisagreements,
} from './clusterViews.js';

export type Phase = 'faults' | 'healing';

/** A healing phase this long has not settled: time is stuck behind an endless message exchange. */
const MAX_HEALING_STEPS = 200_000;

export interface CheckedRunOptions {
  readonly cluster: FlinkClusterConfig;
  /** The simulator's configuration; `maxSteps` is the length of the fault phase. */
  readonly sim: SimConfig;
  readonly seed: number;
  /** Simulated time the healing phase lasts. */
  readonly healMs: number;
  readonly onStart?: (record: StartRecord<ClusterMessage>) => void;
  readonly onStep?: (
    record: StepRecord<ClusterMessage, ClusterAction>,
    phase: Phase,
    state: FlinkClusterState,
  ) => void;
}

/** The first check that failed. */
export interface CheckFailure {
  /** `exception`: a component's handler threw (a defect of the implementation). */
  readonly kind: 'conformance' | 'invariant' | 'eventually' | 'exception';
  /** The step after which it failed (null: at the end of the run). */
  readonly step: number | null;
  readonly message: string;
}

export interface CheckedRunResult {
  readonly simulation: Simulation<FlinkClusterState, ClusterMessage, ClusterAction>;
  readonly faultSteps: number;
  readonly healingSteps: number;
  readonly healStartedAt: number;
  readonly failure: CheckFailure | null;
  /** The names of the checks that passed at the end (empty when one failed). */
  readonly passed: readonly string[];
}

const DISTURBANCES: ReadonlySet<Step<unknown>['kind']> = new Set([
  'drop',
  'duplicate',
  'delay',
  'reorder',
  'crash',
  'partition',
]);

export function checkedRun(options: CheckedRunOptions): CheckedRunResult {
  const system = flinkCluster(options.cluster);
  const routing = clusterRouting(options.cluster);
  const { simulation, record } = Simulation.start(system, options.sim, options.seed);
  const monitors = new ClusterMonitors(routing.topology, () => simulation.state.system);
  options.onStart?.(record);
  let failure: CheckFailure | null = null;
  try {
    monitors.observeStart(record.effects);
  } catch (error) {
    failure = asFailure(error, 0);
  }

  const take = (step: Step<ClusterAction>, phase: Phase): boolean => {
    let stepRecord: StepRecord<ClusterMessage, ClusterAction>;
    try {
      stepRecord = simulation.applyEnabled(step);
    } catch (error) {
      // A handler threw: a defect of the implementation, reported like any failed check.
      failure = asFailure(error, simulation.state.stepCount + 1);
      return false;
    }
    options.onStep?.(stepRecord, phase, simulation.state.system);
    try {
      monitors.observe(stepRecord);
    } catch (error) {
      failure = asFailure(error, stepRecord.index);
      return false;
    }
    const duplicates = duplicateAllocations(simulation.state.system);
    if (duplicates.length > 0) {
      failure = {
        kind: 'invariant',
        step: stepRecord.index,
        message: `an AllocationID is held twice: ${duplicates.join('; ')}`,
      };
      return false;
    }
    return true;
  };

  let faultSteps = 0;
  while (failure === null && faultSteps < options.sim.maxSteps) {
    const steps = simulation.enabledSteps();
    if (steps.length === 0) break;
    faultSteps += 1;
    if (!take(pickSeeded(simulation.state.rng, options.sim.weights, steps), 'faults')) break;
  }

  const healStartedAt = simulation.state.now;
  let healingSteps = 0;
  while (failure === null && simulation.state.now < healStartedAt + options.healMs) {
    const steps = simulation.enabledSteps().filter((s) => isHealing(s));
    if (steps.length === 0) break;
    if (healingSteps >= MAX_HEALING_STEPS) {
      failure = {
        kind: 'eventually',
        step: null,
        message: `the cluster did not settle: ${healingSteps} steps of healing reached ${simulation.state.now} ms of the ${healStartedAt + options.healMs} ms the healing lasts (messages exchanged without end; give the network a minimum latency)`,
      };
      break;
    }
    // Partitions heal and processes restart before anything else happens.
    const repair = steps.find((s) => s.kind === 'heal' || s.kind === 'restart');
    healingSteps += 1;
    if (!take(repair ?? pickSeeded(simulation.state.rng, options.sim.weights, steps), 'healing'))
      break;
  }

  // The eventual checks look at a quiet cluster: what is in flight arrives first (no time
  // passes), so that a view is not judged in the middle of an exchange.
  // A message that cannot arrive before the next timer waits for that timer.
  while (
    failure === null &&
    simulation.state.messages.length > 0 &&
    healingSteps < MAX_HEALING_STEPS
  ) {
    const steps = simulation.enabledSteps();
    const next =
      steps.find((s) => s.kind === 'deliver') ?? steps.find((s) => s.kind === 'fireTimer');
    if (next === undefined) break;
    healingSteps += 1;
    if (!take(next, 'healing')) break;
  }

  const passed: string[] = [];
  if (failure === null) {
    const state = simulation.state.system;
    const eventually: [string, readonly string[]][] = [
      ['views agree (TaskExecutors, ResourceManager, JobMasters)', viewDisagreements(state)],
      ['no leaked slot', leakedSlots(state)],
      liveness(options.cluster, state),
    ];
    for (const [name, problems] of eventually) {
      if (problems.length > 0 && failure === null)
        failure = { kind: 'eventually', step: null, message: `${name}: ${problems.join('; ')}` };
    }
    if (failure === null)
      passed.push(
        'conformance of every component to its machines, after every step',
        'no AllocationID held twice, after every step',
        ...eventually.map(([name]) => `after healing: ${name}`),
      );
  }
  return { simulation, faultSteps, healingSteps, healStartedAt, failure, passed };
}

/** Steps allowed while healing: no new disturbance, leader change or client action. */
function isHealing(step: Step<ClusterAction>): boolean {
  if (DISTURBANCES.has(step.kind)) return false;
  return step.kind !== 'client';
}

/**
 * Liveness when the cluster can hold every job: each job that did not end runs all its tasks. A
 * cluster too small for its jobs is not judged, and the check's name says so.
 */
function liveness(config: FlinkClusterConfig, state: FlinkClusterState): [string, string[]] {
  const capacity = workersAvailable(config, state) * config.slotsPerTaskExecutor;
  const problems: string[] = [];
  let demand = 0;
  for (const jobId of jobIds(config)) {
    const jm = state.jobMasters[jobMasterEndpoint(jobId)] ?? null;
    if (jm !== null && jm.terminated !== null) continue;
    if (!state.ha.submitted.includes(jobId)) continue; // never submitted: nothing to run
    const leader = jm?.leader ?? null;
    demand += leader?.scheduler.parallelism ?? 0;
    if (leader === null) problems.push(`${jobId} has no leading JobMaster`);
    else if (!runsAllTasks(leader.scheduler))
      problems.push(
        `${jobId} is ${leader.scheduler.jobStatus} with tasks ${leader.scheduler.subtasks.map((t) => t.state).join(', ') || 'none'}`,
      );
  }
  return demand > capacity
    ? [
        `every job runs or ended (not judged: the jobs need ${demand} slots, the cluster has ${capacity})`,
        [],
      ]
    : ['every job runs or ended', problems];
}

/**
 * How many TaskExecutors the cluster can still have: all of them when standalone; in active mode
 * the workers running plus those the provider has not handed out yet (a crashed worker's
 * ResourceID never comes back, so crashes use the provider's capacity up).
 */
function workersAvailable(config: FlinkClusterConfig, state: FlinkClusterState): number {
  if (config.mode === 'standalone') return config.taskExecutors;
  const running = Object.values(state.taskExecutors).filter((te) => te !== null).length;
  return running + config.taskExecutors - (state.resourceProvider?.used ?? 0);
}

function asFailure(error: unknown, step: number): CheckFailure {
  if (error instanceof ConformanceError)
    return { kind: 'conformance', step, message: error.message };
  if (error instanceof Error)
    return { kind: 'exception', step, message: `${error.name}: ${error.message}` };
  throw error;
}
