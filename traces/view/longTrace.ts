/**
 * A long trace of the main job's cluster for the viewer's browser test and benchmark: the seeded
 * run of `flink-slot-model simulate` (faults, then healing) recorded line by line to a file, but
 * with the run's own monitors and invariants off (`checks: false`), since the view command checks
 * the trace anyway; recording 100 000 steps this way takes about half the time `simulate` does.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { loadMainJobConfig } from '../../cli/mainJobConfig.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { ClusterAction } from '../../impl/cluster/flinkCluster.js';
import { checkedRun } from '../../properties/checkedRun.js';
import { ChangedStates } from '../componentStates.js';
import { TraceRecorder } from '../recorder.js';

/** Records `steps` steps under faults (then healing) of seed `seed` to `path`; returns `path`. */
export function recordLongTrace(path: string, steps: number, seed = 3): string {
  const base = loadMainJobConfig(undefined);
  const sim = { ...base.sim, maxSteps: steps };
  const fd = openSync(path, 'w');
  try {
    const recorder = new TraceRecorder<ClusterMessage, ClusterAction>(
      {
        system: 'flink-cluster',
        config: { sim, system: { cluster: base.cluster, healMs: base.healMs } },
        seed,
        choices: null,
      },
      (line) => writeSync(fd, `${line}\n`),
    );
    const states = new ChangedStates();
    const result = checkedRun({
      cluster: base.cluster,
      sim,
      seed,
      healMs: base.healMs,
      checks: false,
      onStart: (record, state) => recorder.start(record, states.changed(state)),
      onStep: (record, _phase, state) => recorder.step(record, states.changed(state)),
    });
    const world = result.simulation.state;
    recorder.end(
      { steps: world.stepCount, time: world.now, reason: 'healed', hash: result.simulation.hash() },
      world.now - result.healStartedAt,
    );
  } finally {
    closeSync(fd);
  }
  return path;
}
