/**
 * `npm run bench:logs`: how fast Flink logs convert and check, against reading the same lines
 * into entries alone (the layout work every line pays), in the same process. The logs are a real
 * cluster's (flinklog/samples/, Flink 2.0.0: a JobManager and a TaskManager, nine lines in ten not
 * about slots) repeated with fresh ids and later stamps, so each copy is one more job's slot
 * lifecycle. Not a test: nothing is asserted (machines here are shared and noisy).
 *
 *   npm run bench:logs [-- --copies N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { convertLogs } from '../flinklog/convert.js';
import { readEntries } from '../flinklog/logEntries.js';
import { buildLogReport } from '../flinklog/logReport.js';

const i = process.argv.indexOf('--copies');
const copies = i < 0 ? 400 : Math.max(1, Number(process.argv[i + 1]) || 400);
const sample = (f: string) =>
  readFileSync(join(import.meta.dirname, '..', 'flinklog', 'samples', f), 'utf8').split('\n');
const jm = sample('flink-2.0.0-docker-compose-standalone-jm.log');
const tm = sample('flink-2.0.0-docker-compose-standalone-tm.log');

/** Copy k: every 32-hex id gets k in its last digits, every stamp k hours later. */
function copy(lines: readonly string[], k: number): string[] {
  const tag = k.toString(16).padStart(6, '0');
  return lines.map((l) =>
    l
      .replace(/\b[0-9a-f]{32}\b/g, (id) => id.slice(0, 26) + tag)
      .replace(/^(\d{4}-\d{2}-)(\d{2}) (\d{2})/, (_m, ym: string, d: string, h: string) => {
        const hours = Number(h) + k;
        return `${ym}${String(Number(d) + Math.floor(hours / 24)).padStart(2, '0')} ${String(hours % 24).padStart(2, '0')}`;
      }),
  );
}

const files = {
  jm: Array.from({ length: copies }, (_, k) => copy(jm, k)).flat(),
  tm: Array.from({ length: copies }, (_, k) => copy(tm, k)).flat(),
};
const lines = files.jm.length + files.tm.length;

async function time(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function entriesOnly(): Promise<void> {
  for (const f of Object.values(files)) for await (const item of readEntries(f)) void item;
}

let peak = 0;
async function convertAndCheck(): Promise<void> {
  const trace = await convertLogs(Object.entries(files).map(([path, l]) => ({ path, lines: l })));
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const report = buildLogReport(trace);
  if (report.verdict !== 'conforms')
    throw new Error(`the copies should conform: ${report.verdict}`);
}

// Warm both up once (the code they share compiles), then measure.
await entriesOnly();
await convertAndCheck();
const baseline = await time(entriesOnly);
const measured = await time(convertAndCheck);
const rate = (s: number) => Math.round(lines / s).toLocaleString('en');
console.log(
  `${copies} copies of a real Flink 2.0.0 cluster's logs: ${lines.toLocaleString('en')} lines`,
);
console.log(`  reading entries alone (baseline): ${rate(baseline)} lines/s`);
console.log(
  `  convert and check:                ${rate(measured)} lines/s (${(baseline / measured).toFixed(2)} of the baseline)`,
);
console.log(`  heap after converting: ${(peak / 2 ** 20).toFixed(0)} MiB`);
