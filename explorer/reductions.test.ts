/**
 * What makes the explorer fast must not make it wrong:
 * - the reductions lose no state: a search with interchangeable TaskExecutors and renamed ids
 *   reaches exactly the keys an unreduced search's states have (both number messages by link);
 * - one key, one future: whenever a successor is dropped for a key kept before, its own successors
 *   have the same keys as the kept state's (this catches a reading that merges states whose next
 *   steps differ — a number, name or id read apart from what it refers to — and a reading that
 *   fails to merge renamings of one state);
 * - successors share what their step cannot change, and exploring never changes a state it came
 *   from, for every kind of step (faults, crashes, restarts, client actions, active workers);
 * - a copy of the monitors follows its own history without touching the original's.
 */
import { describe, expect, it } from 'vitest';
import { ClusterMonitors } from '../conformance/clusterMonitors.js';
import { clusterRouting, flinkCluster, FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import { applyStep } from '../impl/sim/apply.js';
import { canonicalJson } from '../impl/sim/canonical.js';
import { simConfig, type FaultBudget } from '../impl/sim/config.js';
import { enabledSteps } from '../impl/sim/enabled.js';
import { pickSeeded } from '../impl/sim/policy.js';
import { STEP_KINDS } from '../impl/sim/step.js';
import { Simulation } from '../impl/sim/simulation.js';
import { cloneMonitors } from './cloneMonitors.js';
import { loadExploreConfig } from './exploreConfig.js';
import { explore } from './search.js';
import { StateKeys } from './stateKey.js';
import { successorWorld, type ClusterState } from './worldCopy.js';

describe('the reductions lose no state', { timeout: 120_000 }, () => {
  it.each([
    ['two TaskExecutors, one job', { taskExecutors: 2, slotsPerTaskExecutor: 1 }, 14],
    [
      'three TaskExecutors, two jobs',
      {
        taskExecutors: 3,
        slotsPerTaskExecutor: 1,
        jobs: [
          { parallelism: 1, submitted: true },
          { parallelism: 1, submitted: true },
        ],
      },
      8,
    ],
  ])('%s: the reduced search reaches every key of the unreduced one', (_, cluster, maxDepth) => {
    const base = loadExploreConfig(undefined);
    const bounds = { ...base, cluster: { ...base.cluster, ...cluster }, maxDepth };
    const symmetric = Array.from({ length: bounds.cluster.taskExecutors }, (_, i) => `te-${i + 1}`);
    const reducedKeys = new StateKeys({ symmetric, renameIds: true });
    const keysOf = (symmetry: boolean) => {
      const keys = new Set<string>();
      const result = explore(
        { ...bounds, symmetry, renameIds: symmetry },
        { onState: (world) => keys.add(reducedKeys.key(world)) },
      );
      expect(result.verdict).toBe('clean');
      return { keys, distinct: result.stats.distinct };
    };
    const reduced = keysOf(true);
    const unreduced = keysOf(false);
    expect(unreduced.distinct).toBeGreaterThan(reduced.distinct);
    expect(reduced.keys.size).toBe(reduced.distinct);
    expect([...reduced.keys].sort()).toEqual([...unreduced.keys].sort());
  });
});

describe('one key, one future', { timeout: 120_000 }, () => {
  it.each([
    ['the built-in default', 0, { drop: 1 }, 10],
    ['a leader change, a crash and a duplicate', 1, { crash: 1, duplicate: 1 }, 7],
  ])(
    '%s: states that share a key have successors that share keys',
    (_, leaderChanges, faults: Partial<FaultBudget>, maxDepth) => {
      const base = loadExploreConfig(undefined);
      const bounds = {
        ...base,
        cluster: { ...base.cluster, leaderChanges },
        sim: { ...base.sim, faults: { ...base.sim.faults, ...faults } },
        maxDepth,
      };
      const system = flinkCluster(bounds.cluster);
      const keys = new StateKeys({ symmetric: ['te-1', 'te-2'], renameIds: true });
      const successorKeys = (world: ClusterState) =>
        enabledSteps(world, system, bounds.sim)
          .map((step) => {
            const next = successorWorld(world, step);
            applyStep(next, { system, config: bounds.sim }, step);
            return keys.key(next);
          })
          .sort();
      const kept = new Map<string, ClusterState>();
      let compared = 0;
      explore(bounds, {
        onState: (world) => kept.set(keys.key(world), world),
        onRevisit: (world) => {
          const first = kept.get(keys.key(world));
          if (first === undefined || compared >= 1500) return;
          compared += 1;
          expect(successorKeys(world)).toEqual(successorKeys(first));
        },
      });
      expect(compared).toBeGreaterThan(500);
    },
  );
});

describe('successor worlds', () => {
  it.each([
    ['standalone', { mode: 'standalone', taskExecutors: 2 }],
    ['active', { mode: 'active', taskExecutors: 2 }],
  ] as const)('never change the %s state they come from, whatever the step', (_, given) => {
    const cluster = FlinkClusterConfig.parse({
      ...given,
      leaderChanges: 2,
      jobActions: 2,
      jobEnds: true,
    });
    const sim = simConfig({
      faults: { drop: 5, duplicate: 5, delay: 5, reorder: 5, crash: 5, partition: 5 },
    });
    const system = flinkCluster(cluster);
    const scene = { system, config: sim };
    const { simulation } = Simulation.start(system, sim, 7);
    const kinds = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const world = simulation.state as ClusterState;
      const before = canonicalJson(world);
      const steps = enabledSteps(world, system, sim);
      if (steps.length === 0) break;
      for (const step of steps) {
        const successor = successorWorld(world, step);
        // Before its step, a successor is the world it came from (the PRNG too).
        if (i % 10 === 0) expect(canonicalJson(successor)).toBe(before);
        applyStep(successor, scene, step);
        kinds.add(step.kind);
      }
      expect(canonicalJson(world), `after the successors of step ${i}`).toBe(before);
      simulation.applyEnabled(pickSeeded(simulation.state.rng, sim.weights, steps));
    }
    // Every kind but a reorder (a delivery too, behind another message: the run may take none).
    for (const kind of STEP_KINDS.filter((k) => k !== 'reorder'))
      expect(kinds, kind).toContain(kind);
  });
});

describe('a copy of the monitors', () => {
  it('follows its own history and leaves the original as it was', () => {
    const cluster = FlinkClusterConfig.parse({ taskExecutors: 2, slotsPerTaskExecutor: 1 });
    const sim = simConfig({ faults: { drop: 2, crash: 1 } });
    const system = flinkCluster(cluster);
    const run = () => {
      const start = Simulation.start(system, sim, 3);
      const monitors = new ClusterMonitors(
        clusterRouting(cluster).topology,
        () => start.simulation.state.system,
      );
      monitors.observeStart(start.record.effects);
      return { simulation: start.simulation, monitors };
    };
    const a = run();
    const b = run();
    const steps = (n: number, target: ReturnType<typeof run>, monitors: ClusterMonitors) => {
      for (let i = 0; i < n; i++) {
        const enabled = target.simulation.enabledSteps();
        monitors.observe(
          target.simulation.applyEnabled(
            pickSeeded(target.simulation.state.rng, sim.weights, enabled),
          ),
        );
      }
    };
    steps(60, a, a.monitors);
    steps(60, b, b.monitors);
    // The copy takes 40 more steps of a's run; the original must still be where b is.
    const copy = cloneMonitors(a.monitors);
    steps(40, a, copy);
    expect(canonicalJson(snapshotOf(a.monitors))).toBe(canonicalJson(snapshotOf(b.monitors)));
    expect(canonicalJson(snapshotOf(copy))).not.toBe(canonicalJson(snapshotOf(b.monitors)));
  });
});

/** The machines' states of every monitor, as plain data. */
function snapshotOf(monitors: ClusterMonitors): unknown {
  const states: Record<string, unknown> = {};
  const visit = (value: unknown, path: string, seen: Set<unknown>) => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if ('_nodes' in value && 'value' in value) {
      states[path] = {
        value: (value as { value: unknown }).value,
        context: (value as unknown as { context: unknown }).context,
      };
      return;
    }
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    for (const [k, v] of entries) visit(v, `${path}.${String(k)}`, seen);
  };
  visit(monitors, '', new Set());
  return states;
}
