/**
 * Splits a byte stream into trace lines without holding more than one line: a file of any size is
 * read in constant memory. A line longer than the limit, or bytes that are not UTF-8, end the read
 * with a LineError naming the line; CRLF line ends and a byte-order mark are accepted.
 */

/** The longest line a trace may have (the start line of a large cluster is well below this). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface RawLine {
  /** 1-based. */
  readonly number: number;
  readonly text: string;
  /** False for a last line the input ended in the middle of (no line feed after it). */
  readonly terminated: boolean;
}

/** The input cannot be read as lines; `line` is where reading stopped. */
export class LineError extends Error {
  override readonly name = 'LineError';

  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const LINE_FEED = 0x0a;

export async function* readLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxBytes = MAX_LINE_BYTES,
): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let number = 1;
  const take = (last: Uint8Array, terminated: boolean): RawLine => {
    const bytes =
      pending.length === 0 ? last : concat([...pending, last], pendingBytes + last.length);
    pending = [];
    pendingBytes = 0;
    let text: string;
    try {
      // The decoder drops a byte-order mark at the start of each call: only line 1 may have one.
      text = decoder.decode(bytes);
    } catch {
      throw new LineError(number, 'not UTF-8 text (binary data?)');
    }
    if (number > 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      throw new LineError(number, 'a byte-order mark in the middle of the input');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { number: number++, text, terminated };
  };
  for await (const chunk of source) {
    let bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    for (;;) {
      const end = bytes.indexOf(LINE_FEED);
      const length = end < 0 ? bytes.length : end;
      if (pendingBytes + length > maxBytes)
        throw new LineError(number, `longer than ${maxBytes} bytes: not a trace line`);
      if (end < 0) {
        if (bytes.length > 0) {
          pending.push(bytes);
          pendingBytes += bytes.length;
        }
        break;
      }
      yield take(bytes.subarray(0, end), true);
      bytes = bytes.subarray(end + 1);
    }
  }
  if (pendingBytes > 0) yield take(new Uint8Array(0), false);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
