/**
 * The property suite: fast-check generates cases (cluster, fault profile, decisions), runs each as
 * a checked run, and on a failure shrinks it to a minimal case, which is explained (counterexample
 * steps in Flink's words, trace file) with the seed and path that replay it exactly. Across the
 * runs it counts the races each run contained (races.ts).
 */
import fc from 'fast-check';
import type { Mutant } from '../impl/mutants.js';
import { explain, formatReport, type Counterexample } from './counterexample.js';
import { caseArbitrary, DEFAULT_MAX_DECISIONS, type PropertyCase } from './generators.js';
import { runCase } from './propertyRun.js';
import { RACES, type Race } from './races.js';

export interface SuiteOptions {
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check's replay path of a counterexample (with its seed): run that case only. */
  readonly path?: string;
  readonly mutants?: readonly Mutant[];
  /** The longest interleaving, in decisions. */
  readonly maxDecisions?: number;
  /** Builds the replay command printed with a failure, from the seed and path. */
  readonly replay?: (seed: number, path: string) => string;
  /** Where a failure's trace goes: runs/<stem>.ndjson (null: no trace file). */
  readonly traceStem?: string | null;
  /** False: report the first failing case as it was generated, without shrinking it. */
  readonly shrink?: boolean;
  /** After each generated run (not the shrinking ones): its index and whether it passed. */
  readonly progress?: (run: number, passed: boolean) => void;
}

export interface SuiteFailure {
  readonly case: PropertyCase;
  readonly path: string;
  readonly counterexample: Counterexample;
  readonly report: string;
}

export interface SuiteResult {
  readonly seed: number;
  /** Generated runs before the first failure (or all of them). */
  readonly runs: number;
  readonly steps: number;
  /** Per race, how many of those runs contained it. */
  readonly races: ReadonlyMap<Race, number>;
  readonly failure: SuiteFailure | null;
}

/** The command that replays a campaign's counterexample (the path holds only for its length). */
export function cliReplay(
  seed: number,
  path: string,
  maxDecisions: number = DEFAULT_MAX_DECISIONS,
): string {
  const length = maxDecisions === DEFAULT_MAX_DECISIONS ? '' : ` --max-decisions ${maxDecisions}`;
  return `npx flink-slot-model properties --seed ${seed} --path ${path}${length}`;
}

export function runSuite(options: SuiteOptions): SuiteResult {
  const mutants = options.mutants ?? [];
  const races = new Map<Race, number>(Object.keys(RACES).map((r) => [r as Race, 0]));
  let runs = 0;
  let steps = 0;
  let failing = false;
  const property = fc.property(caseArbitrary(options.maxDecisions), (c) => {
    const result = runCase(c, { mutants });
    const passed = result.run.failure === null;
    // Shrinking re-runs smaller cases: only the generated runs count towards the statistics.
    if (!failing) {
      runs += 1;
      steps += result.run.simulation.state.stepCount;
      for (const race of result.races) races.set(race, (races.get(race) ?? 0) + 1);
      options.progress?.(runs, passed);
      if (!passed) failing = true;
    }
    return passed;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns,
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.shrink === false ? { endOnFailure: true } : {}),
  });
  let failure: SuiteFailure | null = null;
  if (details.failed) {
    if (details.counterexample === null || details.counterexamplePath === null) {
      const error: unknown = details.errorInstance;
      throw error instanceof Error ? error : new Error(`property suite: ${String(error)}`);
    }
    const [shrunk] = details.counterexample;
    const path = details.counterexamplePath;
    const replay =
      options.replay?.(details.seed, path) ?? cliReplay(details.seed, path, options.maxDecisions);
    const stem = options.traceStem === undefined ? `property-${details.seed}` : options.traceStem;
    const counterexample = explain(shrunk, mutants, stem);
    if (counterexample === null)
      throw new Error(`property suite: the shrunk case passed when run again (${replay})`);
    failure = {
      case: shrunk,
      path,
      counterexample,
      report: formatReport(shrunk, mutants, counterexample, replay),
    };
  }
  return { seed: details.seed, runs, steps, races, failure };
}

/** The statistics as a table: each race with its share of the runs. */
export function formatRaces(result: SuiteResult): string[] {
  return [...result.races].map(
    ([race, n]) =>
      `${race.padEnd(34)} ${String(n).padStart(5)} of ${result.runs} runs (${((100 * n) / Math.max(1, result.runs)).toFixed(1)}%)  ${RACES[race]}`,
  );
}
