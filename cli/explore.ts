/**
 * `flink-slot-model explore`: the exhaustive bounded search of a small cluster (explorer/), with
 * progress and a summary in the manner of TLC: states generated and distinct, the depth reached,
 * states per second, the queue. On a failure: the shortest path to it in Flink's words, the trace
 * written for `check` and `view`, and the exit code 1. Exit code 0: no failure within the bounds;
 * 3: the bound on states stopped the search first (nothing was proved beyond what it saw). With
 * `--out -` the trace goes to standard output and everything else to standard error, as for
 * `simulate`. Also the command's options (`addExploreCommand`), which cli/main.ts registers.
 */
import type { Command } from 'commander';
import type { Mutant } from '../impl/mutants.js';
import type { FaultBudget } from '../impl/sim/config.js';
import { recordPath } from '../explorer/counterexampleTrace.js';
import { loadExploreConfig, type ExploreConfig } from '../explorer/exploreConfig.js';
import { explore, type ExploreResult, type ExploreStats } from '../explorer/search.js';
import { describeEvent } from '../traces/check/lineFacts.js';
import { openTraceFile, refuseExistingTraceFile } from '../traces/traceFile.js';
import { sizedJobs, withClusterSize } from './clusterOptions.js';
import { parseFaults } from './mainJobConfig.js';
import type { Console } from './simulate.js';
import { parseNonNegativeInt, parsePositiveInt } from './usageError.js';

export interface ExploreOptions {
  readonly config?: string;
  readonly taskExecutors?: number;
  readonly slots?: number;
  readonly jobs?: number;
  readonly parallelism?: number;
  readonly faults?: FaultBudget;
  readonly leaderChanges?: number;
  readonly depth?: number;
  readonly maxStates?: number;
  readonly maxTime?: number;
  readonly symmetry?: boolean;
  readonly out?: string;
  readonly force?: boolean;
}

export const EXPLORE_INCOMPLETE = 3;

/** The longest a search goes without a progress line (within one depth). */
const PROGRESS_MS = 10_000;

/** The configuration: the file (or the default), then the options. */
export function exploreConfig(options: ExploreOptions): ExploreConfig {
  const base = loadExploreConfig(options.config);
  const jobs = sizedJobs(base.cluster.jobs, options, 1);
  const given = <T>(value: T | undefined, fallback: T) => value ?? fallback;
  return {
    ...base,
    cluster: {
      ...base.cluster,
      jobs,
      taskExecutors: given(options.taskExecutors, base.cluster.taskExecutors),
      slotsPerTaskExecutor: given(options.slots, base.cluster.slotsPerTaskExecutor),
      leaderChanges: given(options.leaderChanges, base.cluster.leaderChanges),
    },
    sim: { ...base.sim, faults: given(options.faults, base.sim.faults) },
    maxDepth: given(options.depth, base.maxDepth),
    maxStates: given(options.maxStates, base.maxStates),
    maxTimeMs: options.maxTime === undefined ? base.maxTimeMs : options.maxTime * 1000,
    symmetry: given(options.symmetry, base.symmetry),
  };
}

export function exploreCommand(
  options: ExploreOptions,
  io: Console,
  clock: () => number = () => performance.now(),
  mutants: readonly Mutant[] = [],
): number {
  const config = exploreConfig(options);
  refuseExistingTraceFile(options.out, options.force === true);
  // With the trace on standard output (--out -), everything else goes to standard error.
  const print = options.out === '-' ? io.err : io.out;
  print(describeBounds(config));
  const started = clock();
  let lastLine = started;
  const line = (depth: number, stats: Readonly<ExploreStats>) => {
    lastLine = clock();
    io.err(`Progress(${depth}): ${progress(stats, lastLine - started)}`);
  };
  const result = explore(config, {
    mutants,
    onDepth: (stats) => line(stats.depth, stats),
    // Within a long depth too, as TLC reports: at most one line every PROGRESS_MS.
    onProgress: (stats) => {
      if (clock() - lastLine >= PROGRESS_MS) line(stats.depth + 1, stats);
    },
  });
  const seconds = (clock() - started) / 1000;
  print('');
  print(
    `${result.stats.generated} states generated, ${result.stats.distinct} distinct states found, ${result.stats.queue} states left on queue.`,
  );
  print(
    `depth ${result.stats.depth} (widest level ${result.stats.widest} states); ${seconds.toFixed(1)} s, ${rate(result.stats.generated, seconds)} generated and ${rate(result.stats.distinct, seconds)} distinct states/s`,
  );
  return verdict(result, config, options, { out: print, trace: io.out }, mutants);
}

/** Where the human output goes, and where a trace given as `-` goes. */
interface Outputs {
  readonly out: (line: string) => void;
  readonly trace: (line: string) => void;
}

function verdict(
  result: ExploreResult,
  config: ExploreConfig,
  options: ExploreOptions,
  io: Outputs,
  mutants: readonly Mutant[],
): number {
  switch (result.verdict) {
    case 'clean':
      io.out(
        `verdict: NO FAILURE within the bounds: every invariant and every component's conformance held on every step from every state reached${result.limitedBy.length > 0 ? ` (the search stopped at ${result.limitedBy.join(' and ')})` : ', and no state is left to expand'}`,
      );
      return 0;
    case 'incomplete':
      io.out(
        `verdict: INCOMPLETE: the search kept ${config.maxStates} states (--max-states) before reaching depth ${config.maxDepth}; no failure among them`,
      );
      return EXPLORE_INCOMPLETE;
    case 'violation': {
      io.out(
        `verdict: FAILURE (${result.failure.kind}) after ${result.path.length} steps: ${result.failure.message}`,
      );
      const output = openTraceFile(options.out, 'explore', options.force === true, io.trace);
      const replay = recordPath(
        config.cluster,
        config.sim,
        result.path,
        (l) => output.write(l),
        mutants,
      );
      output.close();
      io.out('the shortest path to it:');
      replay.records.forEach((record, i) =>
        io.out(`  ${String(i + 1).padStart(3)}. ${describeEvent(record)}`),
      );
      if (replay.failure?.step !== result.path.length)
        io.out(
          `  (the replay ${replay.failure === null ? 'did not fail' : `failed at step ${replay.failure.step}`}: the explorer and a checked run disagree; please report)`,
        );
      if (output.path !== null) {
        io.out(`trace: ${output.path}`);
        io.out(`  check it: npx flink-slot-model check ${output.path}`);
        io.out(`  see it:   npx flink-slot-model view ${output.path}`);
      }
      return 1;
    }
  }
}

function describeBounds(config: ExploreConfig): string {
  const { cluster, sim } = config;
  const faults = Object.entries(sim.faults)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  return (
    `flink-slot-model explore: a ${cluster.mode} cluster of ${cluster.taskExecutors} TaskExecutors × ${cluster.slotsPerTaskExecutor} slots, ` +
    `${cluster.jobs.length} jobs (parallelism ${cluster.jobs.map((j) => j.parallelism).join(', ')}), ` +
    `faults: ${faults.length === 0 ? 'none' : faults.join(', ')}, leader changes ${cluster.leaderChanges}, client actions ${cluster.jobActions}; ` +
    `breadth first to depth ${config.maxDepth}${config.maxTimeMs === null ? '' : `, up to ${config.maxTimeMs} ms of simulated time`}, at most ${config.maxStates} states; ` +
    `${config.symmetry && cluster.mode === 'standalone' ? 'TaskExecutors interchangeable' : 'no symmetry'}${config.renameIds ? ', minted ids renamed' : ''}`
  );
}

function progress(stats: Readonly<ExploreStats>, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  return `${stats.generated} states generated (${rate(stats.generated, seconds)}/s), ${stats.distinct} distinct states found, ${stats.queue} states left on queue; ${seconds.toFixed(1)} s`;
}

function rate(count: number, seconds: number): string {
  return seconds > 0 ? Math.round(count / seconds).toString() : '-';
}

/** The `explore` command on the command line: its options, laid over the configuration. */
export function addExploreCommand(
  program: Command,
  io: Console,
  setExitCode: (code: number) => void,
): void {
  withClusterSize(
    program
      .command('explore')
      .description(
        'search every interleaving of a small cluster breadth first, within bounds, checking every invariant and every machine on every step; print the shortest path to a failure and write its trace',
      )
      .option(
        '--config <file>',
        'JSON configuration laid over the built-in default (explorer/exploreConfig.ts)',
      ),
    { taskExecutors: 2, slots: 1, jobs: 1, parallelism: 1 },
    { taskExecutors: 8, slots: 8, jobs: 4, parallelism: 16 },
  )
    .option(
      '--faults <mix>',
      'fault budgets: none, light, heavy, or kind=count,… (default drop=1)',
      parseFaults,
    )
    .option(
      '--leader-changes <n>',
      'leader changes HA may cause (default 0)',
      parseNonNegativeInt('--leader-changes'),
    )
    .option(
      '--depth <n>',
      'the longest path, in steps (default 30)',
      parseNonNegativeInt('--depth', 10_000),
    )
    .option(
      '--max-states <n>',
      'stop, incomplete, after this many distinct states (default 1000000)',
      parsePositiveInt('--max-states'),
    )
    .option(
      '--max-time <seconds>',
      'do not expand states past this simulated time',
      parseNonNegativeInt('--max-time'),
    )
    .option('--no-symmetry', 'do not treat the TaskExecutors as interchangeable')
    .option(
      '--out <file>',
      "where a counterexample's trace goes (- for standard output, the rest then on standard error); default: a new file under runs/",
    )
    .option('--force', 'overwrite an existing trace file')
    .action((options: ExploreOptions & { symmetry: boolean }) => {
      const { symmetry, ...rest } = options;
      setExitCode(exploreCommand(symmetry ? rest : { ...rest, symmetry }, io));
    });
}
