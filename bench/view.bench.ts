/**
 * Benchmark of the trace viewer's build (not a test: machines here are shared and noisy, so
 * nothing is asserted). It checks one trace alone (the checker's pass, the bulk of the work), then
 * builds its view in the same pass (checker and view builder), renders the page, and prints events
 * per second of each, the builder's own share, the page's size and the heap it held.
 *
 *   npx tsx bench/view.bench.ts --trace runs/seed-3.ndjson
 *   npx tsx bench/view.bench.ts [--steps N --seed S]    (records a run first: traces/view/longTrace.ts)
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkStream } from '../traces/check/checkStream.js';
import { buildView } from '../traces/view/buildView.js';
import { recordLongTrace } from '../traces/view/longTrace.js';
import { renderHtml } from '../traces/view/renderHtml.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const given = option('--trace');
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-bench-view-'));
const trace = given ?? join(dir, 'long.ndjson');
if (given === undefined) {
  const steps = Number(option('--steps') ?? 100_000);
  const seed = Number(option('--seed') ?? 3);
  console.log(`recording the main job's cluster, seed ${seed}, ${steps} steps under faults…`);
  recordLongTrace(trace, steps, seed);
}
const read = () => createReadStream(trace, { highWaterMark: 1 << 16 });

const checkStarted = performance.now();
const report = await checkStream(read());
const checkSeconds = (performance.now() - checkStarted) / 1000;

const buildStarted = performance.now();
const { data } = await buildView(read(), trace);
const buildSeconds = (performance.now() - buildStarted) / 1000;
if (data === null) throw new Error(`the trace is unusable: ${JSON.stringify(report.error)}`);
const heap = process.memoryUsage().heapUsed / 2 ** 20;

const renderStarted = performance.now();
const html = renderHtml(data);
const renderSeconds = (performance.now() - renderStarted) / 1000;
if (given === undefined) rmSync(dir, { recursive: true });

const events = report.steps;
const builderSeconds = buildSeconds - checkSeconds;
console.log(`trace viewer benchmark: ${trace}, ${events} steps, Node ${process.version}`);
console.log(
  `check alone: ${(events / checkSeconds).toFixed(0)} events/s (${checkSeconds.toFixed(2)} s)`,
);
console.log(
  `view build (check and view builder in one pass): ${(events / buildSeconds).toFixed(0)} events/s (${buildSeconds.toFixed(2)} s); the builder's share ${builderSeconds.toFixed(2)} s, ${(events / Math.max(builderSeconds, 1e-3)).toFixed(0)} events/s`,
);
console.log(
  `render: ${renderSeconds.toFixed(2)} s (the client bundled with esbuild included), page ${(html.length / 2 ** 20).toFixed(2)} MiB for ${data.counts.messages} messages, ${data.counts.timers} timer firings, ${data.counts.faults} faults, ${data.counts.lanes} slot lanes`,
);
console.log(`heap after the build, the view held: ${heap.toFixed(0)} MiB`);
