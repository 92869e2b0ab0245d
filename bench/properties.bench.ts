/**
 * Benchmark of the property suite (not a test: machines here are shared and noisy, so nothing is
 * asserted): property interleavings per second and simulator steps per second, each next to a
 * baseline measured in the same process on the same generated cases — the same runs driven by the
 * same decisions with no monitor, invariant or race label (`checks: false`) — so the ratio shows
 * what checking costs.
 *
 *   npm run bench:properties [-- --runs N --seed S]
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { caseArbitrary, type PropertyCase } from '../properties/generators.js';
import { runCase } from '../properties/propertyRun.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The same case, driven the same way, with nothing checked: what the checks cost. */
function unchecked(c: PropertyCase): number {
  const result = runCase(c, { checks: false });
  if (result.run.failure !== null)
    throw new Error(`bench case threw: ${result.run.failure.message}`);
  return result.run.simulation.state.stepCount;
}

function measure(label: string, cases: readonly PropertyCase[], run: (c: PropertyCase) => number) {
  const started = performance.now();
  let steps = 0;
  for (const c of cases) steps += run(c);
  const seconds = (performance.now() - started) / 1000;
  return {
    label,
    runsPerSecond: cases.length / seconds,
    stepsPerSecond: steps / seconds,
    steps,
  };
}

const runs = option('--runs', 60);
const seed = option('--seed', 1);
const cases = fc.sample(caseArbitrary(), { numRuns: runs, seed });
// Warm up both paths so that the JIT does not favour the one measured second.
for (const c of cases.slice(0, 3)) {
  unchecked(c);
  runCase(c);
}
const baseline = measure('baseline: the same runs, unchecked', cases, unchecked);
const checked = measure('property runs: monitors + 14 invariants every step', cases, (c) => {
  const result = runCase(c);
  if (result.run.failure !== null)
    throw new Error(`bench case failed: ${result.run.failure.message}`);
  return result.run.simulation.state.stepCount;
});
console.log(
  `property suite benchmark: ${runs} generated cases (seed ${seed}), Node ${process.version}`,
);
console.log('| measurement | interleavings/s | steps/s | steps | ratio to baseline |');
console.log('|---|---:|---:|---:|---:|');
for (const m of [baseline, checked])
  console.log(
    `| ${m.label} | ${m.runsPerSecond.toFixed(2)} | ${m.stepsPerSecond.toFixed(0)} | ${m.steps} | ${(m.stepsPerSecond / baseline.stepsPerSecond).toFixed(2)} |`,
  );
// Garbage collection makes heap deltas meaningless per measurement; the process's peak is not.
console.log(
  `peak resident memory of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
