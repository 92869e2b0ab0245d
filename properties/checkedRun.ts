/**
 * One run of the whole cluster with every check on: the conformance monitors and the
 * always-invariants after every step and, after a healing phase, the eventual invariants. The main
 * job runs it with a seeded policy; the property suite with a generated interleaving.
 *
 * A run has two phases. Under faults, a driver picks among the enabled steps (the seeded policy
 * for `sim.maxSteps` steps, or the property suite's decisions). Healing then stops every
 * disturbance: partitions heal and crashed processes restart first; after that only deliveries,
 * timers and restarts are taken (no new fault, leader change or client action) until `healMs` of
 * simulated time have passed, and whatever is still in flight is delivered. The eventual checks
 * then look at the quiet cluster.
 */
import { ConformanceError } from '../conformance/machineInstance.js';
import { ClusterMonitors } from '../conformance/clusterMonitors.js';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import {
  clusterRouting,
  flinkCluster,
  type ClusterAction,
  type FlinkClusterConfig,
  type FlinkClusterState,
} from '../impl/cluster/flinkCluster.js';
import type { Mutant } from '../impl/mutants.js';
import type { SimConfig } from '../impl/sim/config.js';
import { pickSeeded } from '../impl/sim/policy.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import { Simulation } from '../impl/sim/simulation.js';
import type { Step } from '../impl/sim/step.js';
import type { World } from '../impl/sim/world.js';
import type { Violation } from './invariant.js';
import { eventualViolations, InvariantChecker, pendingDelivery } from './invariantChecker.js';
import { ALWAYS_STATE, ALWAYS_STEP, EVENTUAL } from './invariants/index.js';
import { pending } from './pending.js';

export type Phase = 'faults' | 'healing';

export type ClusterSimulation = Simulation<FlinkClusterState, ClusterMessage, ClusterAction>;
export type ClusterWorld = Readonly<World<FlinkClusterState, ClusterMessage>>;

/** A healing phase this long has not settled: time is stuck behind an endless message exchange. */
const MAX_HEALING_STEPS = 200_000;

/** Chooses the steps of the fault phase. */
export interface FaultDriver {
  /** The next step among `steps` (never empty), or null to end the fault phase. */
  next(
    simulation: ClusterSimulation,
    steps: readonly Step<ClusterAction>[],
  ): Step<ClusterAction> | null;
}

/** The main job's driver: the seeded policy, for `sim.maxSteps` steps. */
export function seededDriver(sim: SimConfig): FaultDriver {
  let taken = 0;
  return {
    next: (simulation, steps) =>
      taken++ < sim.maxSteps ? pickSeeded(simulation.state.rng, sim.weights, steps) : null,
  };
}

/**
 * How healing picks among the healing steps: `seeded` by the seeded policy, `ordered` always the
 * oldest deliverable message, else the earliest timer, else a restart (the property suite: a
 * counterexample's healing replays without any randomness).
 */
export type HealingOrder = 'seeded' | 'ordered';

export interface CheckedRunOptions {
  readonly cluster: FlinkClusterConfig;
  /** The simulator's configuration; `maxSteps` is the length of the seeded fault phase. */
  readonly sim: SimConfig;
  readonly seed: number;
  /** Simulated time the healing phase lasts. */
  readonly healMs: number;
  /** The fault phase's driver; the seeded policy by default. */
  readonly driver?: FaultDriver;
  readonly healing?: HealingOrder;
  /** Broken variants of the components (impl/mutants.ts), for the canary tests. */
  readonly mutants?: readonly Mutant[];
  /**
   * False: the same run with no monitor and no invariant (the benchmark's baseline); it then
   * fails only when a handler throws.
   */
  readonly checks?: boolean;
  readonly onStart?: (record: StartRecord<ClusterMessage>, state: FlinkClusterState) => void;
  /** Called just before each step (the world as it is then). */
  readonly onBeforeStep?: (world: ClusterWorld, step: Step<ClusterAction>) => void;
  readonly onStep?: (
    record: StepRecord<ClusterMessage, ClusterAction>,
    phase: Phase,
    state: FlinkClusterState,
    world: ClusterWorld,
  ) => void;
}

/** The first check that failed. */
export interface CheckFailure {
  /** `exception`: a component's handler threw (a defect of the implementation). */
  readonly kind: 'conformance' | 'invariant' | 'eventually' | 'exception';
  /** The step after which it failed (null: at the end of the run). */
  readonly step: number | null;
  /** What broke, in one paragraph. */
  readonly message: string;
  /** The invariants broken (for `invariant` and `eventually`), or the machine (`conformance`). */
  readonly broken: readonly string[];
  /** For `eventually`: why the cluster had not converged (see pending.ts). */
  readonly pending: readonly string[];
}

export interface CheckedRunResult {
  readonly simulation: ClusterSimulation;
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

/** The failure of a step (or of the end) that broke these invariants. */
export function violationFailure(
  kind: 'invariant' | 'eventually',
  step: number | null,
  violations: readonly Violation[],
  why: readonly string[],
): CheckFailure {
  return {
    kind,
    step,
    message: violations.map((v) => `${v.invariant}: ${v.problems.join('; ')}`).join(' | '),
    broken: violations.map((v) => v.invariant),
    pending: why,
  };
}

export function checkedRun(options: CheckedRunOptions): CheckedRunResult {
  const system = flinkCluster(options.cluster, options.mutants);
  const routing = clusterRouting(options.cluster, options.mutants);
  const { simulation, record } = Simulation.start(system, options.sim, options.seed);
  const checks = options.checks !== false;
  const monitors = new ClusterMonitors(routing.topology, () => simulation.state.system);
  const invariants = new InvariantChecker();
  let healStartedAt: number | null = null;
  const context = () => ({
    config: options.cluster,
    now: simulation.state.now,
    healedMs: healStartedAt === null ? 0 : simulation.state.now - healStartedAt,
  });
  options.onStart?.(record, simulation.state.system);
  let failure: CheckFailure | null = null;
  try {
    if (checks) monitors.observeStart(record.effects);
  } catch (error) {
    failure = asFailure(error, 0);
  }

  const take = (step: Step<ClusterAction>, phase: Phase): boolean => {
    let stepRecord: StepRecord<ClusterMessage, ClusterAction>;
    try {
      if (checks)
        invariants.before(simulation.state.system, step, pendingDelivery(simulation.state, step));
      options.onBeforeStep?.(simulation.state, step);
      stepRecord = simulation.applyEnabled(step);
    } catch (error) {
      // A handler threw: a defect of the implementation, reported like any failed check.
      failure = asFailure(error, simulation.state.stepCount + 1);
      return false;
    }
    options.onStep?.(stepRecord, phase, simulation.state.system, simulation.state);
    if (!checks) return true;
    try {
      monitors.observe(stepRecord);
    } catch (error) {
      failure = asFailure(error, stepRecord.index);
      return false;
    }
    const violations = invariants.after(stepRecord, simulation.state.system, context());
    if (violations.length > 0) {
      failure = violationFailure('invariant', stepRecord.index, violations, []);
      return false;
    }
    return true;
  };

  const driver = options.driver ?? seededDriver(options.sim);
  let faultSteps = 0;
  while (failure === null) {
    const steps = simulation.enabledSteps();
    if (steps.length === 0) break;
    const step = driver.next(simulation, steps);
    if (step === null) break;
    faultSteps += 1;
    if (!take(step, 'faults')) break;
  }

  healStartedAt = simulation.state.now;
  let healingSteps = 0;
  while (failure === null && simulation.state.now < healStartedAt + options.healMs) {
    const steps = simulation.enabledSteps().filter((s) => isHealing(s));
    if (steps.length === 0) break;
    if (healingSteps >= MAX_HEALING_STEPS) {
      failure = {
        kind: 'eventually',
        step: null,
        message: `the cluster did not settle: ${healingSteps} steps of healing reached ${simulation.state.now} ms of the ${healStartedAt + options.healMs} ms the healing lasts (messages exchanged without end; give the network a minimum latency)`,
        broken: [],
        pending: pending(simulation.state.system, options.cluster),
      };
      break;
    }
    // Partitions heal and processes restart before anything else happens.
    const repair = steps.find((s) => s.kind === 'heal' || s.kind === 'restart');
    const next =
      repair ??
      (options.healing === 'ordered'
        ? orderedStep(steps)
        : pickSeeded(simulation.state.rng, options.sim.weights, steps));
    healingSteps += 1;
    if (!take(next, 'healing')) break;
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
  if (failure === null && checks) {
    const violations = eventualViolations(simulation.state.system, context());
    if (violations.length > 0)
      failure = violationFailure(
        'eventually',
        null,
        violations,
        pending(simulation.state.system, options.cluster),
      );
    else
      passed.push(
        'conformance of every component to its machines, after every step',
        ...[...ALWAYS_STATE, ...ALWAYS_STEP].map((inv) => `${inv.name}, after every step`),
        ...EVENTUAL.map((inv) => `${inv.name}, after healing`),
      );
  }
  return { simulation, faultSteps, healingSteps, healStartedAt, failure, passed };
}

/** Steps allowed while healing: no new disturbance, leader change or client action. */
function isHealing(step: Step<ClusterAction>): boolean {
  if (DISTURBANCES.has(step.kind)) return false;
  return step.kind !== 'client';
}

/** The oldest deliverable message, else the earliest timer, else whatever comes first. */
export function orderedStep<A>(steps: readonly Step<A>[]): Step<A> {
  const step =
    steps.find((s) => s.kind === 'deliver') ??
    steps.find((s) => s.kind === 'fireTimer') ??
    steps[0];
  if (step === undefined) throw new Error('orderedStep needs at least one enabled step');
  return step;
}

/** The failure of a step whose monitors diverged or whose handler threw (anything else is rethrown). */
export function asFailure(error: unknown, step: number): CheckFailure {
  if (error instanceof ConformanceError)
    return {
      kind: 'conformance',
      step,
      message: error.message,
      broken: ['conformance'],
      pending: [],
    };
  if (error instanceof Error)
    return {
      kind: 'exception',
      step,
      message: `${error.name}: ${error.message}`,
      broken: [],
      pending: [],
    };
  throw error;
}
