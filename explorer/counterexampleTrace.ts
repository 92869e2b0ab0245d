/**
 * A counterexample of the explorer as a trace (traces/FORMAT.md) that `check` and `view` read:
 * the path is played again as a checked run (properties/checkedRun.ts, with the same mutants)
 * whose fault phase takes exactly the path's steps, recorded as the main job records its runs. The
 * header names the choice sequence (each step's index among the steps enabled before it), so the
 * trace says how to replay it; the replay must fail where the explorer saw the failure, which
 * makes the trace a witness rather than a story.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import {
  flinkCluster,
  type ClusterAction,
  type FlinkClusterConfig,
} from '../impl/cluster/flinkCluster.js';
import type { Mutant } from '../impl/mutants.js';
import { canonicalJson } from '../impl/sim/canonical.js';
import type { SimConfig } from '../impl/sim/config.js';
import type { StepRecord } from '../impl/sim/record.js';
import { Simulation } from '../impl/sim/simulation.js';
import type { Step } from '../impl/sim/step.js';
import { checkedRun, type CheckFailure } from '../properties/checkedRun.js';
import { ChangedStates } from '../traces/componentStates.js';
import { TraceRecorder, type LineSink } from '../traces/recorder.js';

export interface RecordedPath {
  /** The failure the replay ended in (null: it did not fail, which the caller must report). */
  readonly failure: CheckFailure | null;
  /** Each step's record, in order (for describing the path in Flink's words). */
  readonly records: readonly StepRecord<ClusterMessage, ClusterAction>[];
}

/** Each step's index among the steps enabled before it, from the start. */
export function choicesOf(
  cluster: FlinkClusterConfig,
  sim: SimConfig,
  path: readonly Step<ClusterAction>[],
  mutants: readonly Mutant[] = [],
): number[] {
  const { simulation } = Simulation.start(flinkCluster(cluster, mutants), sim, 0);
  return path.map((step, at) => {
    const wanted = canonicalJson(step);
    const index = simulation.enabledSteps().findIndex((s) => canonicalJson(s) === wanted);
    if (index < 0) throw new Error(`explorer: step ${at + 1} of the path is not enabled on replay`);
    simulation.applyEnabled(step);
    return index;
  });
}

/** Plays the path as a checked run, writing its trace line by line to `sink`. */
export function recordPath(
  cluster: FlinkClusterConfig,
  sim: SimConfig,
  path: readonly Step<ClusterAction>[],
  sink: LineSink,
  mutants: readonly Mutant[] = [],
): RecordedPath {
  const recorder = new TraceRecorder<ClusterMessage, ClusterAction>(
    {
      system: 'flink-cluster',
      config: { sim, system: { cluster, healMs: 0 } },
      seed: 0,
      choices: choicesOf(cluster, sim, path, mutants),
    },
    sink,
  );
  const states = new ChangedStates();
  const records: StepRecord<ClusterMessage, ClusterAction>[] = [];
  let taken = 0;
  const run = checkedRun({
    cluster,
    sim,
    seed: 0,
    healMs: 0,
    mutants,
    driver: { next: () => path[taken++] ?? null },
    onStart: (record, state) => recorder.start(record, states.changed(state)),
    onStep: (record, _phase, state) => {
      records.push(record);
      recorder.step(record, states.changed(state));
    },
  });
  const world = run.simulation.state;
  recorder.end({
    steps: world.stepCount,
    time: world.now,
    reason: run.failure === null ? 'choicesExhausted' : 'checkFailed',
    hash: run.simulation.hash(),
  });
  return { failure: run.failure, records };
}
