/**
 * `check --flink-log <file>…` and `convert <file>…`: a cluster's Flink logs (a JobManager log and
 * TaskManager logs) converted into a log trace (flinklog/convert.ts) and checked against the model
 * in relaxed mode (flinklog/checkLogTrace.ts); `check` of a converted log trace checks it again.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { convertLogs } from '../flinklog/convert.js';
import { linesOf } from '../flinklog/logEntries.js';
import { buildLogReport, formatLogReport, type LogCheckReport } from '../flinklog/logReport.js';
import { logTraceLines, type LogTrace } from '../flinklog/logTrace.js';
import { isLogTraceHeader, LogTraceError, readLogTrace } from '../flinklog/readLogTrace.js';
import { openTraceFile } from '../traces/traceFile.js';
import { TraceToLogsError, traceToFlinkLogs } from '../flinklog/traceToFlinkLogs.js';
import { FLINK_VERSIONS, type FlinkVersion } from '../flinklog/versions.js';
import { openTrace } from './check.js';
import type { Console } from './simulate.js';
import { UsageError } from './usageError.js';

export interface FlinkLogCheckOptions {
  readonly json?: boolean;
  /** Seconds a TaskManager may keep a finished job's slot (default: heartbeat + slot timeout). */
  readonly grace?: number;
}

/** The logs as sources, each file opened first (a UsageError naming one that cannot be read). */
function sources(paths: readonly string[]) {
  return paths.map((path) => ({ path, lines: linesOf(openTrace(path, 'log')) }));
}

export async function checkFlinkLogs(
  paths: readonly string[],
  options: FlinkLogCheckOptions,
  io: Console,
): Promise<number> {
  const trace = await convertLogs(sources(paths));
  return print(buildLogReport(trace, graceOption(options)), options, io);
}

/** A converted log trace and its check; a UsageError naming the line it cannot read. */
export async function readLogTraceFile(
  path: string,
  options: FlinkLogCheckOptions = {},
): Promise<{ trace: LogTrace; report: LogCheckReport }> {
  let trace: LogTrace;
  try {
    trace = await readLogTrace(linesOf(path));
  } catch (error) {
    if (error instanceof LogTraceError)
      throw new UsageError(`${path}:${error.line}: ${error.message}`);
    throw error;
  }
  return { trace, report: buildLogReport(trace, graceOption(options)) };
}

/** `check <file>` of a converted log trace. */
export async function checkLogTraceFile(
  path: string,
  options: FlinkLogCheckOptions,
  io: Console,
): Promise<number> {
  const { report } = await readLogTraceFile(path, options);
  return print(report, options, io);
}

function graceOption(options: FlinkLogCheckOptions): { graceMs?: number } {
  return options.grace === undefined ? {} : { graceMs: options.grace * 1000 };
}

function print(result: LogCheckReport, options: FlinkLogCheckOptions, io: Console): number {
  if (options.json === true) io.out(JSON.stringify(result));
  else
    for (const line of formatLogReport(result))
      (result.verdict === 'unusable' ? io.err : io.out)(line);
  return result.exitCode;
}

export interface ConvertOptions {
  readonly output?: string;
  readonly force?: boolean;
}

export async function convert(
  paths: readonly string[],
  options: ConvertOptions,
  io: Console,
): Promise<number> {
  // A log the user gave is never written over, even with --force.
  if (options.output !== undefined && options.output !== '-') {
    const target = resolve(options.output);
    if (paths.some((p) => resolve(p) === target))
      throw new UsageError(
        `${options.output}: that is one of the logs read; choose another output`,
      );
  }
  const trace = await convertLogs(sources(paths));
  if (!trace.header.files.some((f) => f.entries > 0))
    throw new UsageError(
      `${paths.join(', ')}: no line in a Flink log layout; is this a Flink log?`,
    );
  const out = openTraceFile(options.output ?? '-', 'flink-logs', options.force === true, io.out);
  for (const line of logTraceLines(trace)) out.write(line);
  out.close();
  const recognised = trace.events.length;
  const summary = `converted ${trace.header.files.length} file(s): ${recognised} events recognised, ${trace.end.unknown.entries} entries not recognised${out.path === null ? '' : `; wrote ${out.path}`}`;
  io.err(summary);
  return 0;
}

/** Whether a file starts with a log trace's header (read from its first 64 KiB). */
export function isLogTraceFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // the simulator's checker names the problem
  }
  try {
    const buffer = Buffer.alloc(1 << 16);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n');
    return isLogTraceHeader(end < 0 ? text : text.slice(0, end));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

export interface RenderLogsOptions {
  readonly release?: string;
  readonly output?: string;
  readonly force?: boolean;
}

/**
 * `render-logs <trace>`: a simulator trace written as the Flink logs of its cluster, one file per
 * process (`jobmanager.log`, `te-1.log`, …) in a directory, for `check --flink-log`.
 */
export async function renderLogs(
  trace: string,
  options: RenderLogsOptions,
  io: Console,
): Promise<number> {
  const release = options.release ?? '1.17';
  if (!(FLINK_VERSIONS as readonly string[]).includes(release))
    throw new UsageError(`--release must be one of ${FLINK_VERSIONS.join(', ')}, got "${release}"`);
  const input = openTrace(trace);
  let files: ReadonlyMap<string, readonly string[]>;
  try {
    files = await traceToFlinkLogs(linesOf(input), release as FlinkVersion);
  } catch (error) {
    if (error instanceof TraceToLogsError)
      throw new UsageError(`${trace}:${error.line}: ${error.message}`);
    throw error;
  }
  const dir =
    options.output ??
    join(dirname(trace), `${basename(trace).replace(/\.ndjson$/, '')}-flink-logs`);
  if (existsSync(dir) && readdirSync(dir).length > 0 && options.force !== true)
    throw new UsageError(
      `${dir}: the directory exists and is not empty; choose another or pass --force`,
    );
  mkdirSync(dir, { recursive: true });
  for (const [name, lines] of files)
    writeFileSync(join(dir, `${name}.log`), lines.map((l) => `${l}\n`).join(''));
  io.out(
    `wrote ${files.size} Flink ${release} log(s) to ${dir}: ${[...files.keys()].map((f) => `${f}.log`).join(', ')}`,
  );
  io.out(`check them with: flink-slot-model check --flink-log ${join(dir, '*.log')}`);
  return 0;
}
