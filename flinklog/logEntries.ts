/**
 * A log file as entries: a line that starts an entry (logLayout.ts) and the lines that continue it
 * (a stack trace, `Caused by:`, a message with line feeds). Lines before the first entry belong to
 * none and are reported as such. Reads line by line, holding one open entry per container, so a log
 * of any length is read in memory bounded by its longest entries; bytes that are not UTF-8 are read as
 * U+FFFD rather than ending the read (a log is not ours to refuse).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readEntryHead, splitPrefix, type EntryHead, type LayoutName } from './logLayout.js';

/** Continuation lines kept per entry; the rest are counted (a stack trace needs no more). */
const KEPT_CONTINUATION = 40;

export interface LogEntry {
  /** 1-based line of the entry's first line in its file. */
  readonly line: number;
  readonly head: EntryHead;
  /** The container a docker-compose prefix named (null: none). */
  readonly container: string | null;
  /** The lines after the first (up to KEPT_CONTINUATION). */
  readonly continuation: readonly string[];
  /** How many lines the entry has. */
  readonly lines: number;
  /** The file's line its last line was (past other containers' lines in between). */
  readonly lastLine: number;
}

export type FileItem =
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  /** A line before the file's first entry: no entry to continue. */
  | { readonly kind: 'orphan'; readonly line: number; readonly text: string };

interface Open {
  readonly line: number;
  readonly head: EntryHead;
  readonly container: string | null;
  readonly continuation: string[];
  count: number;
  lastLine: number;
}

/**
 * A line continues the open entry of its container (docker-compose interleaves the containers'
 * lines, a stack trace's too); a line with no container continues the latest entry.
 */
export async function* readEntries(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<FileItem> {
  const layouts = new Map<string | null, LayoutName>();
  const open = new Map<string | null, Open>();
  let latest: Open | null = null;
  let number = 0;
  const done = (o: Open): FileItem => ({
    kind: 'entry',
    entry: {
      line: o.line,
      head: o.head,
      container: o.container,
      continuation: o.continuation,
      lines: o.count,
      lastLine: o.lastLine,
    },
  });
  for await (const raw of lines) {
    number++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const { container } = splitPrefix(text);
    const head = readEntryHead(text, layouts.get(container) ?? null);
    if (head !== null) {
      const before = open.get(container);
      if (before !== undefined) yield done(before);
      layouts.set(container, head.layout);
      const entry: Open = {
        line: number,
        head,
        container,
        continuation: [],
        count: 1,
        lastLine: number,
      };
      open.set(container, entry);
      latest = entry;
      continue;
    }
    const owner = (container === null ? null : open.get(container)) ?? latest;
    if (owner === null) {
      if (text.trim() !== '') yield { kind: 'orphan', line: number, text };
      continue;
    }
    owner.count++;
    owner.lastLine = number;
    if (owner.continuation.length < KEPT_CONTINUATION) owner.continuation.push(text);
  }
  for (const o of [...open.values()].sort((x, y) => x.line - y.line)) yield done(o);
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
