/**
 * The trace view's data as the page embeds it: what the builder (traces/view/viewBuilder.ts, in
 * Node) writes and the browser client (traces/view/client/) reads. Both sides import this file, so
 * it has no imports and nothing Node- or DOM-specific.
 *
 * A trace of 100 000 steps has about as many messages and timer firings, so the data is laid out
 * compactly: one array per field (columns) rather than one object per event, strings (message
 * types, AllocationIDs, labels) once in a string table and referred to by index, endpoints by their
 * lifeline index, and columns that only grow (rows, send rows) as differences from the previous
 * value, which are mostly 0 or 1.
 */

export const VIEW_DATA_VERSION = 1;

/**
 * What became of a message: delivered (in time, or as a late reply), discarded, dropped, still in
 * flight when the trace ended, or (in a partial trace) unobserved: sent to a component the trace
 * does not observe, so what became of it is not in the trace.
 */
export const FATES = [
  'delivered',
  'lateReply',
  'discarded',
  'dropped',
  'inFlight',
  'unobserved',
] as const;
export type Fate = (typeof FATES)[number];

export const ENVELOPE_KINDS = ['tell', 'ask', 'reply', 'unreachable'] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

/** The injected faults, as the trace's step kinds name them. */
export const FAULT_KINDS = [
  'drop',
  'duplicate',
  'delay',
  'reorder',
  'crash',
  'restart',
  'partition',
  'heal',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What is marked on a lifeline: a fault, a timer firing (an ask's timeout is one), a client's action. */
export const EVENT_KINDS = [...FAULT_KINDS, 'timer', 'askTimeout', 'client'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Flink's `TaskSlotState`; a free slot has no TaskSlot, and no interval in the data. */
export const SLOT_STATES = ['ALLOCATED', 'ACTIVE', 'RELEASING'] as const;
export type SlotState = (typeof SLOT_STATES)[number];

/** No string, no lifeline: -1 in an index column. */
export const NONE = -1;

export interface ViewCounts {
  readonly steps: number;
  readonly lifelines: number;
  readonly lanes: number;
  /** Distinct envelopes (sequence numbers): every one sent, every duplicate's copy. */
  readonly messages: number;
  /** Of the messages, the copies a duplicate fault made. */
  readonly copies: number;
  /** Steps that injected a fault (or restarted a process, or healed a partition). */
  readonly faults: number;
  /** fireTimer steps (an ask's timeout included). */
  readonly timers: number;
}

export interface ViolationData {
  /** The row of the step the checker found it at (0: the processes' start). */
  readonly row: number;
  readonly line: number;
  readonly step: number;
  /** Simulated ms of that step. */
  readonly time: number;
  readonly kind: 'divergence' | 'invariant';
  /** The checker's own words for this finding (traces/check/report.ts). */
  readonly words: readonly string[];
  /** The lifeline of the component the finding is about (or the step hit), or NONE. */
  readonly lifeline: number;
}

export interface ViewData {
  readonly version: typeof VIEW_DATA_VERSION;
  /** The trace's name as the user gave it (a path, or standard input). */
  readonly name: string;
  readonly strings: readonly string[];
  /**
   * Lifelines left to right; `secondary` (1) for ha and provider, drawn fainter; `observed` (1)
   * for a component the trace observed: every one in a full trace, the header's in a partial one.
   */
  readonly lifelines: {
    readonly names: readonly string[];
    readonly secondary: readonly number[];
    readonly observed: readonly number[];
  };
  /** Slot lanes left to right, grouped by TaskExecutor: `te-1#0`, and each one's lifeline. */
  readonly lanes: { readonly names: readonly string[]; readonly lifeline: readonly number[] };
  /** One row per step (row 0: the processes' start). Delta-coded. */
  readonly rows: {
    readonly line: readonly number[];
    readonly step: readonly number[];
    readonly time: readonly number[];
  };
  /**
   * One entry per message, in the order they were put on the network. `sent` is delta-coded;
   * the message ends `span` rows later (delivered, discarded or dropped there, the last row if
   * it was still in flight, or its own row if its receiver was not observed). `type`, `detail` (the ids it carries) and `note` index `strings`.
   */
  readonly messages: {
    readonly seq: readonly number[];
    readonly kind: readonly number[];
    readonly type: readonly number[];
    readonly from: readonly number[];
    readonly to: readonly number[];
    readonly sent: readonly number[];
    readonly span: readonly number[];
    readonly fate: readonly number[];
    /** The ask a reply answers (askId), else 0. */
    readonly ask: readonly number[];
    readonly detail: readonly number[];
    readonly note: readonly number[];
  };
  /** Faults, timer firings and client actions, by row (delta-coded). */
  readonly events: {
    readonly row: readonly number[];
    readonly kind: readonly number[];
    readonly lifeline: readonly number[];
    /** The other end: a message's sender, a partition's or heal's other side; else NONE. */
    readonly other: readonly number[];
    readonly label: readonly number[];
  };
  /** Slot intervals [from, to) by lane, then by row; a free slot has none. */
  readonly slots: {
    readonly lane: readonly number[];
    readonly from: readonly number[];
    readonly to: readonly number[];
    readonly state: readonly number[];
    readonly allocation: readonly number[];
    readonly job: readonly number[];
  };
  /** When a component was down (its observed state null), [from, to) by lifeline. */
  readonly down: {
    readonly lifeline: readonly number[];
    readonly from: readonly number[];
    readonly to: readonly number[];
  };
  readonly violation: ViolationData | null;
  /** The checker's whole report, as `flink-slot-model check` prints it. */
  readonly report: readonly string[];
  readonly counts: ViewCounts;
}

/** Differences from the previous value (the first from 0). */
export function deltaEncode(values: readonly number[]): number[] {
  const out = new Array<number>(values.length);
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    out[i] = value - previous;
    previous = value;
  }
  return out;
}

/** The values back from their differences (what deltaEncode wrote). */
export function deltaDecode(deltas: readonly number[]): number[] {
  const out = new Array<number>(deltas.length);
  let value = 0;
  for (let i = 0; i < deltas.length; i++) {
    value += deltas[i] ?? 0;
    out[i] = value;
  }
  return out;
}
