/**
 * A log file as entries: a line that starts an entry (logLayout.ts) and the lines that continue it
 * (a stack trace, `Caused by:`, a message with line feeds). Lines before the first entry belong to
 * none and are reported as such. Reads line by line, holding one entry at a time, so a log of any
 * length is read in memory bounded by its longest entry; bytes that are not UTF-8 are read as
 * U+FFFD rather than ending the read (a log is not ours to refuse).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readEntryHead, type EntryHead, type LayoutName } from './logLayout.js';

/** Continuation lines kept per entry; the rest are counted (a stack trace needs no more). */
const KEPT_CONTINUATION = 40;

export interface LogEntry {
  /** 1-based line of the entry's first line in its file. */
  readonly line: number;
  readonly head: EntryHead;
  /** The lines after the first (up to KEPT_CONTINUATION). */
  readonly continuation: readonly string[];
  /** How many lines the entry spans. */
  readonly lines: number;
}

export type FileItem =
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  /** A line before the file's first entry: no entry to continue. */
  | { readonly kind: 'orphan'; readonly line: number; readonly text: string };

export async function* readEntries(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<FileItem> {
  let layout: LayoutName | null = null;
  let head: EntryHead | null = null;
  let start = 0;
  let continuation: string[] = [];
  let count = 0;
  let number = 0;
  for await (const raw of lines) {
    number++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const next = readEntryHead(text, layout);
    if (next !== null) {
      if (head !== null)
        yield { kind: 'entry', entry: { line: start, head, continuation, lines: count } };
      layout = next.layout;
      head = next;
      start = number;
      continuation = [];
      count = 1;
    } else if (head === null) {
      if (text.trim() !== '') yield { kind: 'orphan', line: number, text };
    } else {
      count++;
      if (continuation.length < KEPT_CONTINUATION) continuation.push(text);
    }
  }
  if (head !== null)
    yield { kind: 'entry', entry: { line: start, head, continuation, lines: count } };
}

/** The lines of a file or stream, decoded leniently. */
export async function* linesOf(source: string | Readable): AsyncGenerator<string> {
  // Opened only when read: readline drops lines that arrive before its iterator exists.
  const input = typeof source === 'string' ? createReadStream(source) : source;
  yield* createInterface({ input, crlfDelay: Infinity });
}

/** The entry's text as one string: its message and the lines continuing it. */
export function entryText(entry: LogEntry): string {
  return entry.continuation.length === 0
    ? entry.head.message
    : [entry.head.message, ...entry.continuation].join('\n');
}
