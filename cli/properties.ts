/**
 * `flink-slot-model properties` (and `npm run test:deep`): a campaign of the property suite —
 * generated clusters, fault profiles and interleavings, every invariant checked — with progress,
 * the statistics of the races the runs contained, and on a failure the shrunk counterexample in
 * Flink's words, its trace, and the one-line command that replays it.
 */
import { DEFAULT_MAX_DECISIONS } from '../properties/generators.js';
import { ALL_INVARIANTS } from '../properties/invariants/index.js';
import { formatRaces, runSuite } from '../properties/suite.js';
import type { Console } from './simulate.js';
import { UsageError } from './usageError.js';

export interface PropertiesOptions {
  readonly seed: number;
  readonly runs: number;
  /** fast-check's path of a counterexample: replay that case only. */
  readonly path?: string;
  readonly maxDecisions: number;
}

export function properties(options: PropertiesOptions, io: Console): number {
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path))
    throw new UsageError(
      `--path must be a fast-check path such as 4:0:2 (printed with a counterexample), got "${options.path}"`,
    );
  const replaying = options.path !== undefined;
  io.out(
    replaying
      ? `flink-slot-model properties: replaying the counterexample at path ${options.path} of seed ${options.seed}`
      : `flink-slot-model properties: ${options.runs} generated runs from seed ${options.seed} (1–4 TaskExecutors × 1–3 slots, 1–3 jobs, standalone or active, Flink's timeouts short or default; up to ${options.maxDecisions} decisions each), ${ALL_INVARIANTS.length} invariants`,
  );
  const every = options.runs >= 50 ? Math.ceil(options.runs / 10) : 0;
  let failedRuns = 0;
  const result = runSuite({
    seed: options.seed,
    numRuns: options.runs,
    maxDecisions: options.maxDecisions,
    ...(options.path === undefined ? {} : { path: options.path }),
    progress: (run, passed) => {
      if (!passed) failedRuns += 1;
      if (every > 0 && run % every === 0 && run < options.runs)
        io.err(
          `… ${run} of ${options.runs} runs${failedRuns > 0 ? ' (a failure: shrinking it)' : ''}`,
        );
    },
  });
  io.out('');
  if (result.failure !== null) {
    io.out(result.failure.report);
    io.out('');
    io.out(`verdict: FAILED after ${result.runs} runs (${result.steps} steps)`);
    return 1;
  }
  io.out(`verdict: PASSED — ${result.runs} runs, ${result.steps} steps, every invariant held`);
  io.out('races, as a share of the runs:');
  for (const line of formatRaces(result)) io.out(`  ${line}`);
  io.out(
    `replay: npx flink-slot-model properties --seed ${result.seed} --runs ${options.runs}${options.maxDecisions === DEFAULT_MAX_DECISIONS ? '' : ` --max-decisions ${options.maxDecisions}`}`,
  );
  return 0;
}
