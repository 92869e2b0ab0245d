/**
 * Checks a whole trace given as a stream of bytes (a file, standard input) or as text in memory
 * (tests, the benchmark, through the same path: the text is handed over in chunks, so lines cross
 * chunk boundaries as they do in a file).
 */
import { LineError, readLines, type RawLine } from './lineReader.js';
import type { CheckReport } from './report.js';
import { TraceChecker } from './traceChecker.js';

type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export function checkStream(source: Source, only?: readonly string[]): Promise<CheckReport> {
  return feedLines(source, new TraceChecker(only === undefined ? {} : { only }));
}

/**
 * Feeds every line of `source` to `checker` and returns its report; `afterLine` is awaited after
 * each line the checker took (the inspector paces a run with it).
 */
export async function feedLines(
  source: Source,
  checker: TraceChecker,
  afterLine?: (line: RawLine) => Promise<void>,
): Promise<CheckReport> {
  let last = 0;
  try {
    for await (const line of readLines(source)) {
      last = line.number;
      if (!checker.feed(line)) break;
      if (afterLine !== undefined) await afterLine(line);
    }
  } catch (error) {
    if (error instanceof LineError) checker.fail(error.line, error.message);
    else if (isReadError(error))
      checker.fail(last + 1, `cannot read on (${(error as NodeJS.ErrnoException).code})`);
    else throw error;
  }
  return checker.finish();
}

export function* chunks(text: string | Uint8Array, size = 1 << 16): Generator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export function checkText(
  text: string | Uint8Array,
  only?: readonly string[],
): Promise<CheckReport> {
  return checkStream(chunks(text), only);
}

function isReadError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
