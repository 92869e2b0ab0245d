/**
 * The bug zoo's campaign: the property suite and the explorer against one mutant, each within the
 * mutant's budget (zoo/bugs.ts), with what caught it, how long and how many runs it took to the
 * first failure, and how short the counterexample is; and the same searches against the reference
 * implementation, which must stay clean. Time comes from the caller's clock (the command's
 * performance.now), never from the model.
 */
import type { Mutant } from '../impl/mutants.js';
import type { ExploreConfig } from '../explorer/exploreConfig.js';
import { explore } from '../explorer/search.js';
import type { CheckFailure } from '../properties/checkedRun.js';
import { runCase } from '../properties/propertyRun.js';
import { runSuite } from '../properties/suite.js';
import { ZOO } from './bugs.js';

export type Clock = () => number;

/** What caught a failure: the invariants broken, or the machine that diverged. */
export function caughtBy(failure: CheckFailure): string {
  // A conformance failure's `broken` is just ['conformance']: the machine is in its message.
  if (failure.kind === 'conformance' || failure.kind === 'exception') return failure.kind;
  return failure.broken.join(', ');
}

/** Whether `by` (from caughtBy) names one of the checks a bug is expected to be caught by. */
export function asExpected(by: string, expected: readonly string[]): boolean {
  const names = by.split(/[ ,]+/);
  return expected.some((e) => names.includes(e));
}

export interface SuiteFinding {
  readonly caught: boolean;
  readonly by: string | null;
  /** Generated runs to the first failure (the budget when none failed). */
  readonly runs: number;
  /** Milliseconds to the first failure (before shrinking), or of the whole budget. */
  readonly ms: number;
  /** Milliseconds of shrinking and explaining. */
  readonly shrinkMs: number;
  /** Steps of the shrunk counterexample. */
  readonly steps: number | null;
  readonly seed: number;
  readonly path: string | null;
  /** Whether the failing case (shrunk, unless not) passes with the mutant off: the defect broke it. */
  readonly referencePasses: boolean | null;
}

export interface ExplorerFinding {
  readonly caught: boolean;
  readonly by: string | null;
  /** Steps of the shortest counterexample. */
  readonly depth: number | null;
  readonly distinct: number;
  readonly ms: number;
}

export interface MutantFinding {
  readonly mutant: Mutant;
  readonly suite: SuiteFinding;
  /** Null: the mutant has no explorer bounds (zoo/bugs.ts says why). */
  readonly explorer: ExplorerFinding | null;
}

export interface CampaignOptions {
  readonly seed: number;
  /** Overrides every mutant's budget of runs. */
  readonly runs?: number;
  readonly explorer: boolean;
  readonly clock: Clock;
  /** False: the suite's first failing case as generated (the test's quick check), not shrunk. */
  readonly shrink?: boolean;
}

export function suiteFinding(
  mutants: readonly Mutant[],
  seed: number,
  runs: number,
  clock: Clock,
  traceStem: string | null,
  shrink = true,
): SuiteFinding {
  const started = clock();
  let firstFailure: number | null = null;
  const result = runSuite({
    seed,
    numRuns: runs,
    mutants,
    traceStem,
    shrink,
    progress: (_, passed) => {
      if (!passed && firstFailure === null) firstFailure = clock();
    },
  });
  const ended = clock();
  const failure = result.failure;
  const failedAt: number = firstFailure ?? ended;
  return {
    caught: failure !== null,
    by: failure === null ? null : caughtBy(failure.counterexample.failure),
    runs: result.runs,
    ms: failedAt - started,
    shrinkMs: ended - failedAt,
    steps: failure === null ? null : failure.counterexample.steps.length,
    seed: result.seed,
    path: failure?.path ?? null,
    referencePasses:
      failure === null || mutants.length === 0 ? null : runCase(failure.case).run.failure === null,
  };
}

export function explorerFinding(
  bounds: ExploreConfig,
  mutants: readonly Mutant[],
  clock: Clock,
): ExplorerFinding {
  const started = clock();
  const result = explore(bounds, { mutants });
  const ms = clock() - started;
  const violation = result.verdict === 'violation' ? result : null;
  return {
    caught: violation !== null,
    by: violation === null ? null : caughtBy(violation.failure),
    depth: violation === null ? null : violation.path.length,
    distinct: result.stats.distinct,
    ms,
  };
}

/** One mutant against the suite (within its runs) and the explorer (within its bounds). */
export function huntMutant(mutant: Mutant, options: CampaignOptions): MutantFinding {
  const entry = ZOO[mutant];
  const suite = suiteFinding(
    [mutant],
    options.seed,
    options.runs ?? entry.runs,
    options.clock,
    null,
    options.shrink ?? true,
  );
  const explorer =
    options.explorer && entry.bounds !== null
      ? explorerFinding(entry.bounds, [mutant], options.clock)
      : null;
  return { mutant, suite, explorer };
}

/** Whether the suite or the explorer caught it (each within its budget). */
export function isCaught(finding: MutantFinding): boolean {
  return finding.suite.caught || finding.explorer?.caught === true;
}

/** The reference's property suite runs as long as the largest budget among these mutants. */
export function referenceRuns(mutants: readonly Mutant[]): number {
  return Math.max(...mutants.map((m) => ZOO[m].runs));
}

/** The distinct explorer bounds of these mutants: the reference must be clean within each. */
export function referenceBounds(mutants: readonly Mutant[]): ExploreConfig[] {
  const seen = new Map<string, ExploreConfig>();
  for (const m of mutants) {
    const b = ZOO[m].bounds;
    if (b !== null) seen.set(JSON.stringify(b), b);
  }
  return [...seen.values()];
}
