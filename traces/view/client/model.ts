/**
 * The embedded view data (../viewData.ts) decoded once into typed arrays, with the indexes the
 * drawing needs to find what lies in a window of rows without looking at every message: messages
 * are sorted by the row they were sent in, and the few that stay in flight for long are kept in a
 * list of their own, so a window is found by one binary search plus a bounded scan.
 */
import { deltaDecode, type ViewData } from '../viewData.js';

/** A message in flight for more rows than this is "long" (see longMessages). */
export const LONG_SPAN = 512;

export interface Messages {
  readonly count: number;
  readonly seq: Int32Array;
  readonly kind: Int32Array;
  readonly type: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly sent: Int32Array;
  readonly end: Int32Array;
  readonly fate: Int32Array;
  readonly ask: Int32Array;
  readonly detail: Int32Array;
  readonly note: Int32Array;
  /** Indices of the messages that span more than LONG_SPAN rows. */
  readonly long: Int32Array;
}

export interface Events {
  readonly count: number;
  readonly row: Int32Array;
  readonly kind: Int32Array;
  readonly lifeline: Int32Array;
  readonly other: Int32Array;
  readonly label: Int32Array;
}

export interface Slots {
  readonly count: number;
  readonly lane: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly state: Int32Array;
  readonly allocation: Int32Array;
  readonly job: Int32Array;
  /** Where each lane's intervals start in the columns (lanes + 1 entries). */
  readonly laneStart: Int32Array;
}

export interface Model {
  readonly data: ViewData;
  readonly strings: readonly string[];
  readonly rows: {
    readonly count: number;
    readonly line: Int32Array;
    readonly step: Int32Array;
    readonly time: Float64Array;
  };
  readonly messages: Messages;
  readonly events: Events;
  readonly slots: Slots;
}

const ints = (values: readonly number[]) => Int32Array.from(values);

export function decode(data: ViewData): Model {
  const m = data.messages;
  const sent = Int32Array.from(deltaDecode(m.sent));
  const end = sent.map((s, i) => s + (m.span[i] ?? 0));
  const long: number[] = [];
  for (let i = 0; i < sent.length; i++) if ((m.span[i] ?? 0) > LONG_SPAN) long.push(i);
  const s = data.slots;
  const laneStart = new Int32Array(data.lanes.names.length + 1);
  for (const lane of s.lane) laneStart[lane + 1] = (laneStart[lane + 1] ?? 0) + 1;
  for (let i = 1; i < laneStart.length; i++)
    laneStart[i] = (laneStart[i] ?? 0) + (laneStart[i - 1] ?? 0);
  return {
    data,
    strings: data.strings,
    rows: {
      count: data.rows.line.length,
      line: Int32Array.from(deltaDecode(data.rows.line)),
      step: Int32Array.from(deltaDecode(data.rows.step)),
      time: Float64Array.from(deltaDecode(data.rows.time)),
    },
    messages: {
      count: sent.length,
      seq: Int32Array.from(deltaDecode(m.seq)),
      kind: ints(m.kind),
      type: ints(m.type),
      from: ints(m.from),
      to: ints(m.to),
      sent,
      end,
      fate: ints(m.fate),
      ask: ints(m.ask),
      detail: ints(m.detail),
      note: ints(m.note),
      long: Int32Array.from(long),
    },
    events: {
      count: data.events.row.length,
      row: Int32Array.from(deltaDecode(data.events.row)),
      kind: ints(data.events.kind),
      lifeline: ints(data.events.lifeline),
      other: ints(data.events.other),
      label: ints(data.events.label),
    },
    slots: {
      count: s.lane.length,
      lane: ints(s.lane),
      from: ints(s.from),
      to: ints(s.to),
      state: ints(s.state),
      allocation: ints(s.allocation),
      job: ints(s.job),
      laneStart,
    },
  };
}

/** The first index in [lo, hi) whose value is at least `value` (hi if none): values ascend. */
export function lowerBound(
  values: ArrayLike<number>,
  value: number,
  lo = 0,
  hi = values.length,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls `visit` for every message with a part in rows [first, last]. */
export function messagesInRows(
  messages: Messages,
  first: number,
  last: number,
  visit: (index: number) => void,
): void {
  const { sent, end } = messages;
  for (let i = lowerBound(sent, first - LONG_SPAN); i < messages.count; i++) {
    const from = sent[i] ?? 0;
    if (from > last) break;
    if ((end[i] ?? 0) >= first && (end[i] ?? 0) - from <= LONG_SPAN) visit(i);
  }
  for (const i of messages.long) if ((sent[i] ?? 0) <= last && (end[i] ?? 0) >= first) visit(i);
}
