/**
 * Exhaustive bounded exploration of a small cluster, breadth first, over the steps the simulator
 * offers (impl/sim/enabled.ts: every deliverable message, every due timer, every fault the budgets
 * still allow, every client action), as TLC explores a TLA+ specification. Every step from every
 * state reached is taken, the conformance monitors (one copy per state, carrying its history) and
 * the always-invariants judge it, and the successor is kept unless a state with the same key
 * (explorer/stateKey.ts: message numbering, interchangeable TaskExecutors, minted ids) was kept
 * before. Breadth first, the first failure found is one of the fewest steps from the start.
 *
 * Bounds: the cluster (TaskExecutors, slots, jobs), the fault budgets (the simulator counts them),
 * the depth in steps, optionally the simulated time (a state past it is checked, not expanded) and
 * the number of distinct states (past it the search stops and says it is incomplete).
 */
import { ClusterMonitors } from '../conformance/clusterMonitors.js';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterRouting } from '../impl/cluster/clusterProcesses.js';
import {
  clusterRouting,
  flinkCluster,
  type ClusterAction,
  type FlinkClusterConfig,
  type FlinkClusterState,
} from '../impl/cluster/flinkCluster.js';
import type { Mutant } from '../impl/mutants.js';
import { applyStep, type Scene } from '../impl/sim/apply.js';
import { enabledSteps } from '../impl/sim/enabled.js';
import { Simulation } from '../impl/sim/simulation.js';
import type { Step } from '../impl/sim/step.js';
import { asFailure, violationFailure, type CheckFailure } from '../properties/checkedRun.js';
import { InvariantChecker, pendingDelivery } from '../properties/invariantChecker.js';
import { cloneMonitors } from './cloneMonitors.js';
import type { ExploreConfig } from './exploreConfig.js';
import { StateKeys } from './stateKey.js';
import { successorWorld, type ClusterState } from './worldCopy.js';

type ClusterStep = Step<ClusterAction>;

export interface ExploreStats {
  /** States kept (one per key). */
  distinct: number;
  /** Successors computed (every step from every expanded state). */
  generated: number;
  /** The depth being expanded. */
  depth: number;
  /** States kept and not yet taken to be expanded. */
  queue: number;
  /** The most distinct states at one depth. */
  widest: number;
}

export type ExploreResult =
  | {
      readonly verdict: 'clean';
      readonly stats: ExploreStats;
      readonly limitedBy: readonly string[];
    }
  | { readonly verdict: 'incomplete'; readonly stats: ExploreStats }
  | {
      readonly verdict: 'violation';
      readonly stats: ExploreStats;
      /** What broke, on the path's last step (`step` is the path's length). */
      readonly failure: CheckFailure;
      /** The steps from the start to the failure, the last one failing. */
      readonly path: readonly ClusterStep[];
    };

export interface ExploreHooks {
  /** Broken variants of the components, for the canary tests and the bug zoo. */
  readonly mutants?: readonly Mutant[];
  /** Called after each depth is done. */
  readonly onDepth?: (stats: Readonly<ExploreStats>) => void;
  /** Called every PROGRESS_EVERY successors, for progress within a long depth. */
  readonly onProgress?: (stats: Readonly<ExploreStats>) => void;
  /** Called with every state kept, the start first (tests compare searches with it). */
  readonly onState?: (world: Readonly<ClusterState>) => void;
  /** Called with every successor dropped because a state with its key was kept before. */
  readonly onRevisit?: (world: Readonly<ClusterState>) => void;
  /**
   * Keep every successor, with no key and no visited set (a tree search): the benchmark's naive
   * baseline, which shows what the keys save.
   */
  readonly naive?: boolean;
}

/** How many successors between two calls of `onProgress`. */
const PROGRESS_EVERY = 1000;

interface Node {
  readonly world: ClusterState;
  readonly monitors: ClusterMonitors;
  /** Index of this state in the path table. */
  readonly id: number;
}

/** How each kept state was first reached: its parent's index and the step (the root has none). */
class PathTable {
  private readonly parents: number[] = [-1];
  private readonly steps: (ClusterStep | null)[] = [null];

  add(parent: number, step: ClusterStep): number {
    this.parents.push(parent);
    this.steps.push(step);
    return this.parents.length - 1;
  }

  pathTo(id: number): ClusterStep[] {
    const path: ClusterStep[] = [];
    for (let at = id; at > 0; at = this.parents[at] ?? 0) {
      const step = this.steps[at];
      if (step !== null && step !== undefined) path.push(step);
    }
    return path.reverse();
  }
}

export function explore(bounds: ExploreConfig, hooks: ExploreHooks = {}): ExploreResult {
  const system = flinkCluster(bounds.cluster, hooks.mutants);
  const routing = clusterRouting(bounds.cluster, hooks.mutants);
  const scene: Scene<FlinkClusterState, ClusterMessage, ClusterAction> = {
    system,
    config: bounds.sim,
  };
  const keys = stateKeys(bounds, routing);
  // The monitors read the component states through this: pointed at the state being checked.
  const start = Simulation.start(system, bounds.sim, 0);
  const holder: { world: ClusterState } = { world: start.simulation.snapshot() };
  const rootMonitors = new ClusterMonitors(routing.topology, () => holder.world.system);
  rootMonitors.observeStart(start.record.effects);
  const invariants = new InvariantChecker();
  const paths = new PathTable();
  const seen = new Set<string>([keys.key(holder.world)]);
  hooks.onState?.(holder.world);
  const stats: ExploreStats = { distinct: 1, generated: 0, depth: 0, queue: 1, widest: 1 };
  let level: Node[] = [{ world: holder.world, monitors: rootMonitors, id: 0 }];
  let cutByTime = false;

  while (level.length > 0 && stats.depth < bounds.maxDepth) {
    const next: Node[] = [];
    for (const node of level) {
      stats.queue -= 1;
      if (bounds.maxTimeMs !== null && node.world.now > bounds.maxTimeMs) {
        cutByTime = true;
        continue;
      }
      for (const step of enabledSteps(node.world, system, bounds.sim)) {
        const world = successorWorld(node.world, step);
        holder.world = world;
        const monitors = cloneMonitors(node.monitors);
        stats.generated += 1;
        if (stats.generated % PROGRESS_EVERY === 0) hooks.onProgress?.(stats);
        const failure = takeStep(
          world,
          step,
          stats.depth + 1,
          scene,
          monitors,
          invariants,
          bounds.cluster,
        );
        if (failure !== null)
          return { verdict: 'violation', stats, failure, path: [...paths.pathTo(node.id), step] };
        const key = hooks.naive === true ? null : keys.key(world);
        if (key !== null && seen.has(key)) {
          hooks.onRevisit?.(world);
          continue;
        }
        // A new state past the bound: the search stops without keeping it (a space of exactly
        // `maxStates` states is searched to the end).
        if (stats.distinct >= bounds.maxStates) return { verdict: 'incomplete', stats };
        if (key !== null) seen.add(key);
        stats.distinct += 1;
        hooks.onState?.(world);
        next.push({ world, monitors, id: paths.add(node.id, step) });
        stats.queue += 1;
      }
    }
    stats.depth += 1;
    stats.widest = Math.max(stats.widest, next.length);
    hooks.onDepth?.(stats);
    level = next;
  }
  const limitedBy = [
    ...(level.length > 0 ? [`depth ${bounds.maxDepth}`] : []),
    ...(cutByTime ? [`simulated time ${bounds.maxTimeMs} ms`] : []),
  ];
  return { verdict: 'clean', stats, limitedBy };
}

/** The keys of a search: the TaskExecutors are interchangeable only in a standalone cluster. */
function stateKeys(bounds: ExploreConfig, routing: ClusterRouting): StateKeys {
  return new StateKeys({
    symmetric:
      bounds.symmetry && bounds.cluster.mode === 'standalone'
        ? routing.topology.taskExecutors.map((c) => c.resourceId as string)
        : [],
    renameIds: bounds.renameIds,
  });
}

/**
 * Applies one step to `world` and judges it as a checked run judges its steps (the same failures,
 * properties/checkedRun.ts); the failure, or null. `depth` is the step's place in its path.
 */
function takeStep(
  world: ClusterState,
  step: ClusterStep,
  depth: number,
  scene: Scene<FlinkClusterState, ClusterMessage, ClusterAction>,
  monitors: ClusterMonitors,
  invariants: InvariantChecker,
  config: FlinkClusterConfig,
): CheckFailure | null {
  try {
    invariants.before(world.system, step, pendingDelivery(world, step));
    const record = applyStep(world, scene, step);
    monitors.observe(record);
    const context = { config, now: world.now, healedMs: 0 };
    const violations = invariants.after(record, world.system, context);
    return violations.length === 0 ? null : violationFailure('invariant', depth, violations, []);
  } catch (error) {
    return asFailure(error, depth);
  }
}
