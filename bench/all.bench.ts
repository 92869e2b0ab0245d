/**
 * `npm run bench`: one table of the project's speeds (not a test: machines here are shared and
 * noisy, so nothing is asserted), each figure next to a baseline measured in the same process:
 *
 * - the simulator's steps per second, against xstate's own `transition()` on the same machines
 *   taking the events the monitors fed them in the same run (what one machine step costs alone);
 * - property interleavings per second, against the same generated cases run with nothing checked;
 * - the explorer's distinct states per second and its time to cover a depth, against a naive
 *   search of the same bounds without state keys (a tree search, no hashing or symmetry);
 * - the trace checker's events per second, against the simulator alone on the same run.
 *
 * Each row also gives the most heap it was seen to use (sampled as it runs, after a collection
 * when run with --expose-gc, as `npm run bench` does). Each pair is warmed up first (a shorter
 * run of both), so that neither side pays alone for compiling the code they share.
 *
 *   npm run bench [-- --steps N --runs N --depth N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { loadMainJobConfig, type MainJobConfig } from '../cli/mainJobConfig.js';
import { simulate } from '../cli/simulate.js';
import { loadExploreConfig } from '../explorer/exploreConfig.js';
import { explore } from '../explorer/search.js';
import { checkedRun } from '../properties/checkedRun.js';
import { caseArbitrary } from '../properties/generators.js';
import { runCase } from '../properties/propertyRun.js';
import { chunks, feedLines } from '../traces/check/checkStream.js';
import { TraceChecker } from '../traces/check/traceChecker.js';
import { machineSteps, replayTransitions } from './machineEvents.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const gc = (globalThis as { gc?: () => void }).gc;
let peak = 0;
/** Notes the heap in use now (called as the measured work goes on). */
const sample = () => void (peak = Math.max(peak, process.memoryUsage().heapUsed));

interface Row {
  readonly section: string;
  readonly label: string;
  readonly count: number;
  readonly unit: string;
  readonly seconds: number;
  readonly peakMiB: number;
  readonly baseline?: Row;
}

/** Runs `work` (which returns how many units it did), timing it and watching the heap. */
function measure(
  section: string,
  label: string,
  unit: string,
  work: () => number,
  baseline?: Row,
): Row {
  gc?.();
  peak = process.memoryUsage().heapUsed;
  const started = performance.now();
  const count = work();
  const seconds = (performance.now() - started) / 1000;
  sample();
  return {
    section,
    label,
    count,
    unit,
    seconds,
    peakMiB: peak / 2 ** 20,
    ...(baseline === undefined ? {} : { baseline }),
  };
}

const steps = option('--steps', 4000);
const runs = option('--runs', 20);
const depth = option('--depth', 8);
const seed = 1;
const base = loadMainJobConfig(undefined);
const main: MainJobConfig = { ...base, sim: { ...base.sim, maxSteps: steps } };
const rows: Row[] = [];

// The simulator, against the machines alone.
const transitions = machineSteps(main, seed, steps);
replayTransitions(transitions); // warm-up
// The recorded transitions are few and quick: replay them often enough to time them.
const repeat = Math.max(1, Math.ceil(200_000 / Math.max(1, transitions.length)));
const machines = measure(
  'simulator',
  "xstate transition() on the model's machines (baseline)",
  'transitions',
  () => {
    let count = 0;
    for (let i = 0; i < repeat; i++) count += replayTransitions(transitions);
    return count;
  },
);
/** A run takes a fraction of a second: runs are timed this many at a time, for a steadier rate. */
const RUNS = 5;
const simulatorRun =
  (checks: boolean, runs = RUNS, healMs = 0) =>
  () => {
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const run = checkedRun({
        cluster: main.cluster,
        sim: main.sim,
        seed,
        healMs,
        checks,
        onStep: (r) => r.index % 500 === 0 && sample(),
      });
      count += run.simulation.state.stepCount;
    }
    return count;
  };
simulatorRun(false, 1)(); // warm-up
simulatorRun(true, 1)();
const simulator = measure(
  'simulator',
  'simulator steps, nothing checked',
  'steps',
  simulatorRun(false),
  machines,
);
rows.push(
  machines,
  simulator,
  measure(
    'simulator',
    'simulator steps, with monitors and invariants',
    'steps',
    simulatorRun(true),
    machines,
  ),
);

// The property suite, against the same cases unchecked.
const cases = fc.sample(caseArbitrary(), { numRuns: runs, seed });
const propertyRuns =
  (checks: boolean, of = cases) =>
  () => {
    for (const c of of) {
      runCase(c, { checks });
      sample();
    }
    return of.length;
  };
// warm-up
propertyRuns(false, cases.slice(0, 3))();
propertyRuns(true, cases.slice(0, 3))();
const unchecked = measure(
  'properties',
  'the same cases, nothing checked (baseline)',
  'interleavings',
  propertyRuns(false),
);
rows.push(
  unchecked,
  measure(
    'properties',
    'property interleavings, every invariant checked',
    'interleavings',
    propertyRuns(true),
    unchecked,
  ),
);

// The explorer, against a tree search of the same bounds.
const bounds = { ...loadExploreConfig(undefined), maxDepth: depth };
const search =
  (naive: boolean, maxDepth = depth) =>
  () =>
    explore({ ...bounds, maxDepth }, { naive, onDepth: sample }).stats.distinct;
// warm-up
search(true, Math.min(depth, 5))();
search(false, Math.min(depth, 5))();
const naive = measure(
  'explorer',
  `naive search to depth ${depth}: no state keys (baseline)`,
  'states',
  search(true),
);
rows.push(
  naive,
  measure(
    'explorer',
    `explorer to depth ${depth}: keys, symmetry, renamed ids`,
    'states',
    search(false),
    naive,
  ),
);

// The trace checker, against the simulator on the same run.
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-bench-'));
const trace = join(dir, 'run.ndjson');
simulate({ seed, steps, out: trace, force: true, timeline: false }, [], {
  out: () => undefined,
  err: () => undefined,
});
const text = readFileSync(trace);
rmSync(dir, { recursive: true });
const alone = measure(
  'checker',
  `the simulator alone on that run, ${RUNS} times (baseline)`,
  'steps',
  simulatorRun(false, RUNS, main.healMs),
);
const checkRun = () =>
  feedLines(chunks(text), new TraceChecker(), (line) => {
    if (line.number % 500 === 0) sample();
    return Promise.resolve();
  });
await checkRun(); // warm-up
gc?.();
peak = process.memoryUsage().heapUsed;
const checkStarted = performance.now();
const report = await checkRun();
const checkSeconds = (performance.now() - checkStarted) / 1000;
sample();
if (report.verdict !== 'conforms')
  throw new Error(`the run's trace does not check: ${report.verdict}`);
const checker: Row = {
  section: 'checker',
  label: 'trace checker: machines and invariants, from the trace',
  count: report.steps,
  unit: 'events',
  seconds: checkSeconds,
  peakMiB: peak / 2 ** 20,
  baseline: alone,
};
rows.push(alone, checker);
print(rows);

function print(table: readonly Row[]): void {
  console.log(
    `benchmark, Node ${process.version}: main job seed ${seed}, ${steps} steps; ${runs} property cases; explorer depth ${depth}`,
  );
  console.log(
    '| part | measurement | count | seconds | per second | ratio to baseline | peak heap MiB |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const row of table) {
    const rate = row.count / row.seconds;
    const ratio =
      row.baseline === undefined ? 1 : rate / (row.baseline.count / row.baseline.seconds);
    console.log(
      `| ${row.section} | ${row.label} | ${row.count} ${row.unit} | ${row.seconds.toFixed(2)} | ${rate.toFixed(0)} | ${ratio.toFixed(2)} | ${row.peakMiB.toFixed(0)} |`,
    );
  }
  const [tree, keyed] = table.filter((row) => row.section === 'explorer');
  if (tree !== undefined && keyed !== undefined)
    console.log(
      `explorer: depth ${depth} covered with ${keyed.count} distinct states in ${keyed.seconds.toFixed(1)} s; the naive search needed ${tree.count} states and ${tree.seconds.toFixed(1)} s (${(tree.seconds / keyed.seconds).toFixed(1)}× the time)`,
    );
  console.log(
    `peak resident memory of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}
