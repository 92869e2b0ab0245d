/**
 * One run of the property suite: a generated case (cluster, fault profile, decisions) run as a
 * checked run — the decisions drive the fault phase, healing goes in a fixed order, so the run
 * depends on the case alone — with the race observer labelling what happened.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type {
  ClusterAction,
  FlinkClusterConfig,
  FlinkClusterState,
} from '../impl/cluster/flinkCluster.js';
import type { Mutant } from '../impl/mutants.js';
import { FAULT_KINDS, simConfig, type SimConfig } from '../impl/sim/config.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import { checkedRun, type CheckedRunResult, type ClusterWorld, type Phase } from './checkedRun.js';
import type { PropertyCase } from './generators.js';
import { orphanedRequirements, stalePendingSlots } from './invariants/eventual.js';
import { DecisionDriver, type TakenDecision } from './interleaving.js';
import { RaceObserver, type Race } from './races.js';

/** The simulator's configuration for a case: budgets for the kinds the profile switches on. */
export function caseSimConfig(c: PropertyCase): SimConfig {
  const faults = Object.fromEntries(
    FAULT_KINDS.map((kind) => [kind, c.profile[kind] > 0 ? c.decisions.length : 0]),
  );
  // Every message takes at least 1 ms, as in the main job: endless exchanges cannot freeze time.
  return simConfig({ maxSteps: 0, faults, network: { minLatencyMs: 1 } });
}

/**
 * How long healing lasts: past the longest timeout that must expire for the cluster to settle
 * (heartbeats, job and slot request timeouts, the idle TaskManager check twice over), plus a
 * minute for the registrations and requests that follow.
 */
export function caseHealMs(cluster: FlinkClusterConfig): number {
  const t = cluster.timeouts;
  return (
    Math.max(
      t.heartbeatTimeoutMs,
      t.slotRequestTimeoutMs,
      t.jobTimeoutMs,
      2 * t.taskManagerTimeoutMs + t.rpcTimeoutMs,
      t.idleSlotTimeoutMs,
    ) + 60_000
  );
}

export interface PropertyRunResult {
  readonly run: CheckedRunResult;
  readonly taken: readonly TakenDecision[];
  readonly races: ReadonlySet<Race>;
  readonly healMs: number;
}

export interface PropertyRunOptions {
  readonly mutants?: readonly Mutant[];
  /** False: no monitor, invariant or race label (the benchmark's baseline). */
  readonly checks?: boolean;
  readonly onStart?: (record: StartRecord<ClusterMessage>, state: FlinkClusterState) => void;
  readonly onStep?: (
    record: StepRecord<ClusterMessage, ClusterAction>,
    phase: Phase,
    world: ClusterWorld,
  ) => void;
}

export function runCase(c: PropertyCase, options: PropertyRunOptions = {}): PropertyRunResult {
  const driver = new DecisionDriver(c.decisions);
  const checks = options.checks !== false;
  const races = new RaceObserver();
  const healMs = caseHealMs(c.cluster);
  const run = checkedRun({
    cluster: c.cluster,
    sim: caseSimConfig(c),
    seed: 0,
    healMs,
    driver,
    healing: 'ordered',
    ...(options.mutants === undefined ? {} : { mutants: options.mutants }),
    ...(options.onStart === undefined ? {} : { onStart: options.onStart }),
    checks,
    onBeforeStep: (world, step) => {
      if (checks) races.before(world, step);
    },
    onStep: (record, phase, _state, world) => {
      if (checks) races.after(record, world);
      options.onStep?.(record, phase, world);
    },
  });
  const end = run.simulation.state.system;
  if (checks && stalePendingSlots(end) !== null) races.seen.add('stalePendingSlots');
  if (checks && orphanedRequirements(end).length > 0) races.seen.add('orphanedRequirements');
  return { run, taken: driver.taken, races: races.seen, healMs };
}
