/**
 * Simulated runs written as Flink's logs (renderFlinkLogs.ts): the JobManager's and each
 * TaskExecutor's, as files of lines. A property-suite case can be rendered with a mutant on and
 * the checks off, so that the run goes on past the model's first finding to its end, as a real
 * cluster's would, and its logs show what a log check can see of the bug.
 */
import type { Mutant } from '../impl/mutants.js';
import type { PropertyCase } from '../properties/generators.js';
import { runCase } from '../properties/propertyRun.js';
import { FlinkLogRenderer } from './renderFlinkLogs.js';
import type { FlinkVersion } from './versions.js';

export interface CaseLogs {
  /** File name (`jobmanager`, `te-1`, …) → its lines. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** Whether the model's own checks passed on the run (null: the checks were off). */
  readonly passed: boolean | null;
}

export function caseFlinkLogs(
  c: PropertyCase,
  options: {
    readonly version: FlinkVersion;
    readonly mutants?: readonly Mutant[];
    /** False: no monitor or invariant, so the run goes on to its end. */
    readonly checks?: boolean;
  },
): CaseLogs {
  const renderer = new FlinkLogRenderer(options.version, c.cluster.slotsPerTaskExecutor);
  const checks = options.checks !== false;
  const result = runCase(c, {
    ...(options.mutants === undefined ? {} : { mutants: options.mutants }),
    checks,
    onStart: (_record, state) => renderer.clusterStarted(state),
    onStep: (record, _phase, world) => renderer.step(record, world.system),
  });
  return { files: renderer.files, passed: checks ? result.run.failure === null : null };
}
