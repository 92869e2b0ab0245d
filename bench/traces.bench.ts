/**
 * Benchmark of the trace checker (not a test: machines here are shared and noisy, so nothing is
 * asserted). It records one long run of the main job's cluster to a temporary file, then checks it
 * from the file, and prints events checked per second next to the simulator's own steps per
 * second on the same run in the same process (the run replayed with no monitor or invariant), and
 * the checker's heap after a quarter, half, three quarters and all of the trace: flat figures are
 * what "memory that does not grow with the trace" looks like.
 *
 *   npm run bench:traces [-- --steps N --seed S]
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMainJobConfig } from '../cli/mainJobConfig.js';
import { simulate } from '../cli/simulate.js';
import { checkedRun } from '../properties/checkedRun.js';
import { checkStream } from '../traces/check/checkStream.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const steps = option('--steps', 40_000);
const seed = option('--seed', 1);
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-bench-'));
const trace = join(dir, 'long.ndjson');
const quiet = { out: () => undefined, err: () => undefined };

// The simulator alone: the same run with nothing checked and nothing recorded.
const base = loadMainJobConfig(undefined);
const simStarted = performance.now();
const run = checkedRun({
  cluster: base.cluster,
  sim: { ...base.sim, maxSteps: steps },
  seed,
  healMs: base.healMs,
  checks: false,
});
const simSeconds = (performance.now() - simStarted) / 1000;
const simSteps = run.simulation.state.stepCount;

const recordStarted = performance.now();
simulate({ seed, steps, out: trace, force: true, timeline: false }, [], quiet);
const recordSeconds = (performance.now() - recordStarted) / 1000;
const bytes = statSync(trace).size;

/** The trace's bytes, noting the heap each time another quarter has been read. */
const heap: number[] = [];
async function* watched(): AsyncGenerator<Uint8Array> {
  let read = 0;
  let next = bytes / 4;
  for await (const chunk of createReadStream(trace, { highWaterMark: 1 << 16 })) {
    const data = chunk as Buffer;
    read += data.length;
    yield data;
    if (read >= next) {
      heap.push(heapMiB());
      next += bytes / 4;
    }
  }
}

const heapBefore = heapMiB();
const checkStarted = performance.now();
const report = await checkStream(watched());
const checkSeconds = (performance.now() - checkStarted) / 1000;
rmSync(dir, { recursive: true });
if (report.verdict !== 'conforms')
  throw new Error(`the long trace does not check: ${JSON.stringify(report)}`);

const events = report.steps;
console.log(
  `trace checker benchmark: the main job's cluster, seed ${seed}, ${steps} steps under faults and healing (${events} steps, ${(bytes / 2 ** 20).toFixed(1)} MiB of trace), Node ${process.version}`,
);
console.log('| measurement | steps or events/s | ratio to the simulator |');
console.log('|---|---:|---:|');
const simRate = simSteps / simSeconds;
const rows: [string, number][] = [
  ['simulator alone (baseline: nothing checked or recorded)', simRate],
  ['simulate: checked and recorded to the trace file', events / recordSeconds],
  ['check: the trace file through machines and invariants', events / checkSeconds],
];
for (const [label, rate] of rows)
  console.log(`| ${label} | ${rate.toFixed(0)} | ${(rate / simRate).toFixed(2)} |`);
console.log(
  `checker heap${gc === undefined ? ' (run with --expose-gc for figures after collection)' : ' after collection'}: ${heapBefore.toFixed(1)} MiB before, then ${heap.map((h) => h.toFixed(1)).join(' / ')} MiB after each quarter of the trace`,
);
console.log(
  `peak resident memory of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
