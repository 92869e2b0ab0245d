/**
 * Reads a log trace written by `convert` (logTrace.ts) back, line by line; a line that is not JSON
 * or does not fit the format is a one-line error naming the line.
 */
import type { z } from 'zod';
import {
  LOG_TRACE_FORMAT,
  LogEvent,
  LogTraceEnd,
  LogTraceHeader,
  type LogTrace,
} from './logTrace.js';

export class LogTraceError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a trace's first line is a log trace's header (else it is the simulator's format). */
export function isLogTraceHeader(firstLine: string): boolean {
  try {
    const value: unknown = JSON.parse(firstLine);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { format?: unknown }).format === LOG_TRACE_FORMAT
    );
  } catch {
    return false;
  }
}

export async function readLogTrace(
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<LogTrace> {
  let header: LogTrace['header'] | null = null;
  let end: LogTrace['end'] | null = null;
  const events: LogEvent[] = [];
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    if (end !== null) throw new LogTraceError(number, 'a line after the end line');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new LogTraceError(number, 'not JSON');
    }
    const schema: z.ZodType<LogTrace['header'] | LogTrace['end'] | LogEvent> =
      header === null
        ? LogTraceHeader
        : (value as { kind?: unknown }).kind === 'end'
          ? LogTraceEnd
          : LogEvent;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LogTraceError(
        number,
        `${header === null ? 'the header' : 'a line'} does not fit the log trace format: ${issue === undefined ? '' : `${issue.path.join('.') || '(line)'}: ${issue.message}`}`,
      );
    }
    const data = parsed.data;
    if (data.kind === 'event') {
      const files = header?.files.length ?? 0;
      if (data.file >= files)
        throw new LogTraceError(
          number,
          `the event names file ${data.file}, the header lists ${files}`,
        );
      if (data.seq !== events.length + 1)
        throw new LogTraceError(
          number,
          `the event is number ${data.seq}, expected ${events.length + 1}`,
        );
    }
    if (data.kind === 'header') header = data;
    else if (data.kind === 'end') end = data;
    else events.push(data);
  }
  if (header === null) throw new LogTraceError(1, 'empty: a log trace starts with its header line');
  if (end === null) throw new LogTraceError(number, 'the log trace has no end line (cut short?)');
  return { header, events, end };
}
