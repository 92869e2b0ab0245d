/**
 * `flink-slot-model explore`: the exhaustive bounded search of a small cluster (explorer/), with
 * progress and a summary in the manner of TLC: states generated and distinct, the depth reached,
 * states per second, the queue. On a failure: the shortest path to it in Flink's words, the trace
 * written for `check` and `view`, and the exit code 1. Exit code 0: no failure within the bounds;
 * 3: the bound on states stopped the search first (nothing was proved beyond what it saw).
 */
import type { Mutant } from '../impl/mutants.js';
import type { FaultBudget } from '../impl/sim/config.js';
import { recordPath } from '../explorer/counterexampleTrace.js';
import { loadExploreConfig, type ExploreConfig } from '../explorer/exploreConfig.js';
import { explore, type ExploreResult, type ExploreStats } from '../explorer/search.js';
import { describeEvent } from '../traces/check/lineFacts.js';
import { openTraceFile } from '../traces/traceFile.js';
import type { Console } from './simulate.js';

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

/** The configuration: the file (or the default), then the options. */
export function exploreConfig(options: ExploreOptions): ExploreConfig {
  const base = loadExploreConfig(options.config);
  const jobs =
    options.jobs === undefined && options.parallelism === undefined
      ? base.cluster.jobs
      : Array.from({ length: options.jobs ?? base.cluster.jobs.length }, (_, i) => ({
          parallelism: options.parallelism ?? base.cluster.jobs[i]?.parallelism ?? 1,
          submitted: true,
        }));
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
  io.out(describeBounds(config));
  const started = clock();
  const result = explore(config, {
    mutants,
    onDepth: (stats) => io.err(`Progress(${stats.depth}): ${progress(stats, clock() - started)}`),
  });
  const seconds = (clock() - started) / 1000;
  io.out('');
  io.out(
    `${result.stats.generated} states generated, ${result.stats.distinct} distinct states found, ${result.stats.queue} states left on queue.`,
  );
  io.out(
    `depth ${result.stats.depth} (widest level ${result.stats.widest} states); ${seconds.toFixed(1)} s, ${rate(result.stats.generated, seconds)} generated and ${rate(result.stats.distinct, seconds)} distinct states/s`,
  );
  return verdict(result, config, options, io, mutants);
}

function verdict(
  result: ExploreResult,
  config: ExploreConfig,
  options: ExploreOptions,
  io: Console,
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
      const output = openTraceFile(options.out, 'explore', options.force === true, io.out);
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
      if (replay.failure === null)
        io.out(
          '  (the replay did not fail: the explorer and a checked run disagree; please report)',
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
