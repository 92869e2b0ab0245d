/**
 * `flink-slot-model view <trace>`: writes one self-contained HTML page showing a recorded trace as
 * a sequence diagram with slot lanes, faults and timers, and the checker's first violation
 * (traces/view/). The trace is streamed through the checker and the view builder in one pass.
 *
 * Where the page goes: `-o file.html`; without it, beside the trace as `<name>.html` (the name
 * without `.ndjson`), or the first free `<name>-2.html`, `-3`, …; an existing file is overwritten
 * only with --force. `-o -`, or a trace read from standard input (`-`) without -o, sends the page
 * to standard output and the messages to standard error.
 *
 * Exit codes: 0 the page was written, whether the trace conforms or violates the model (a page of
 * a violation is what the command is for; the output says it shows one); 2 nothing was written:
 * input the checker cannot use (its one-line error with file and line), a missing trace, or an
 * output file that exists.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatReport } from '../traces/check/report.js';
import { buildView } from '../traces/view/buildView.js';
import { renderHtml } from '../traces/view/renderHtml.js';
import type { ViewCounts, ViewData } from '../traces/view/viewData.js';
import { buildLogView } from '../flinklog/logView.js';
import { isLogTraceFile, readLogTraceFile } from './flinkLogs.js';
import type { Console } from './simulate.js';
import { openTrace } from './check.js';
import { UsageError } from './usageError.js';

export interface ViewCommandOptions {
  /** The page's file, or `-` for standard output. */
  readonly output?: string;
  readonly force?: boolean;
}

export async function view(
  trace: string,
  options: ViewCommandOptions,
  io: Console,
  stdin: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> = process.stdin,
): Promise<number> {
  const toStandardOutput =
    options.output === '-' || (trace === '-' && options.output === undefined);
  const target = toStandardOutput ? null : (options.output ?? freePageBeside(trace));
  // Refused before the trace is read: a long trace is not processed for a page that cannot be written.
  if (target !== null && options.force !== true && existsSync(target)) throw exists(target);
  const name = trace === '-' ? '(standard input)' : trace;
  let data: ViewData;
  if (trace !== '-' && isLogTraceFile(trace)) {
    // A converted log trace (`convert`): read (a UsageError naming the line it cannot read) and checked.
    const { trace: logTrace, report } = await readLogTraceFile(trace);
    data = buildLogView(logTrace, report, trace);
  } else {
    const built = await buildView(trace === '-' ? stdin : openTrace(trace), name);
    if (built.data === null) {
      for (const line of formatReport(name, built.report)) io.err(line);
      return 2;
    }
    data = built.data;
  }
  const html = renderHtml(data);
  const say = toStandardOutput ? io.err : io.out;
  if (target === null) io.out(html.replace(/\n$/, ''));
  else writePage(target, html, options.force === true);
  say(
    `wrote ${target ?? 'the page to standard output'}: ${describeCounts(data.counts, Buffer.byteLength(html))}`,
  );
  say(
    data.violation === null
      ? 'the checker found no violation'
      : `the page shows a violation: ${data.violation.words[0] ?? ''}`,
  );
  return 0;
}

function describeCounts(c: ViewCounts, bytes: number): string {
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return (
    `${n(c.lanes, 'slot lane')}, ${n(c.messages, 'message')}, ${n(c.faults, 'fault')}, ` +
    `${n(c.timers, 'timer firing')} over ${n(c.steps, 'step')} (${Math.ceil(bytes / 1024)} KiB)`
  );
}

/** `<dir>/<name>.html` beside the trace, or the first of `<name>-2.html`, `-3`, … that is free. */
function freePageBeside(trace: string): string {
  const stem = basename(trace).replace(/\.ndjson$/, '');
  const at = (suffix: string) => join(dirname(trace), `${stem}${suffix}.html`);
  let page = at('');
  for (let k = 2; existsSync(page); k++) page = at(`-${k}`);
  return page;
}

function writePage(target: string, html: string, force: boolean): void {
  try {
    writeFileSync(target, html, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EEXIST') throw exists(target);
    throw new UsageError(`${target}: cannot write the page (${code})`);
  }
}

function exists(target: string): UsageError {
  return new UsageError(`${target}: the file exists; choose another name or pass --force`);
}
