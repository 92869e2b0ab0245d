/**
 * One checked run of the simulated cluster, written as Flink's logs (renderFlinkLogs.ts): the
 * JobManager's and each TaskExecutor's, as files of lines. The run's own verdict comes with them,
 * so a test can say whether the model's checks saw the same run fail.
 */
import type { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import type { SimConfig } from '../impl/sim/config.js';
import type { Mutant } from '../impl/mutants.js';
import { checkedRun } from '../properties/checkedRun.js';
import { FlinkLogRenderer } from './renderFlinkLogs.js';
import type { FlinkVersion } from './versions.js';

export interface SimulatedLogs {
  /** File name (`jobmanager`, `te-1`, …) → its lines. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** Whether the model's own checks passed on the run. */
  readonly passed: boolean;
}

export function simulatedLogs(options: {
  readonly cluster: FlinkClusterConfig;
  readonly sim: SimConfig;
  readonly seed: number;
  readonly healMs: number;
  readonly version: FlinkVersion;
  readonly mutants?: readonly Mutant[];
}): SimulatedLogs {
  const renderer = new FlinkLogRenderer(options.version, options.cluster.slotsPerTaskExecutor);
  const result = checkedRun({
    cluster: options.cluster,
    sim: options.sim,
    seed: options.seed,
    healMs: options.healMs,
    ...(options.mutants === undefined ? {} : { mutants: options.mutants }),
    onStart: (_record, state) => {
      renderer.processStarted('rm', 0);
      for (const [endpoint, te] of Object.entries(state.taskExecutors))
        if (te !== null) renderer.processStarted(endpoint, 0);
      renderer.observeSlots(0, state);
    },
    onStep: (record, _phase, state) => renderer.step(record, state),
  });
  return { files: renderer.files, passed: result.failure === null };
}
