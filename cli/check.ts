/**
 * `flink-slot-model check <trace>`: streams a recorded trace (a file, or `-` for standard input)
 * through the checker and prints its report, as text or (`--json`) as one JSON object. Exit code
 * 0: the trace conforms; 1: a divergence or a broken invariant; 2: input it cannot use.
 */
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { checkStream } from '../traces/check/checkStream.js';
import { formatReport } from '../traces/check/report.js';
import type { Console } from './simulate.js';
import { UsageError } from './usageError.js';

export interface CheckCommandOptions {
  readonly json?: boolean;
  readonly only?: readonly string[];
}

export async function check(
  trace: string,
  options: CheckCommandOptions,
  io: Console,
  stdin: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> = process.stdin,
): Promise<number> {
  const source = trace === '-' ? stdin : openTrace(trace);
  const report = await checkStream(source, options.only);
  const name = trace === '-' ? '(standard input)' : trace;
  if (options.json === true) io.out(JSON.stringify(report));
  else if (report.error !== null) for (const line of formatReport(name, report)) io.err(line);
  else for (const line of formatReport(name, report)) io.out(line);
  return report.exitCode;
}

/**
 * A trace (or, `what`, a log) file as a byte stream (opened now: destroy it if it is not read to
 * its end); a UsageError naming it when it cannot be read.
 */
export function openTrace(path: string, what: 'trace' | 'log' = 'trace'): ReadStream {
  let kind: string;
  try {
    const stat = statSync(path);
    kind =
      stat.isFile() || stat.isFIFO() ? 'ok' : stat.isDirectory() ? 'a directory' : 'not a file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read the ${what} (${code ?? 'error'})`}`,
    );
  }
  if (kind !== 'ok') throw new UsageError(`${path}: ${kind}, not a ${what} file`);
  return createReadStream(path, { highWaterMark: 1 << 16 });
}
