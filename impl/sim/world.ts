/**
 * The global state of a simulation as plain data: the clock, the PRNG, every endpoint's status,
 * the messages in flight, the armed timers, the pending asks, the partitions, the faults injected
 * so far, and the components' own state. Nothing else influences what happens next, so a copy of
 * this object is a complete snapshot, and its canonical hash identifies the state.
 */
import type { FaultKind } from './config.js';
import type { Json } from './canonical.js';
import type { RngState } from './prng.js';

/** The name of an RPC endpoint (a process): `rm`, `te-1`, `jm-job-1`, `echo-a`. */
export type EndpointId = string;

export interface EndpointStatus {
  readonly up: boolean;
  /** Bumped by every restart; messages addressed to an older incarnation are not delivered. */
  readonly incarnation: number;
}

interface EnvelopeBase {
  /** Unique and increasing in send order; also the message's identity in steps and traces. */
  readonly seq: number;
  readonly from: EndpointId;
  readonly to: EndpointId;
  /** The receiver's incarnation when the message was sent. */
  readonly toIncarnation: number;
  /** Time cannot advance beyond this while the message is deliverable. */
  readonly deliverBy: number;
  /** The earliest the message can arrive (only with a minimum latency; absent: at once). */
  readonly deliverAfter?: number;
}

/** A one-way message (`void` RPC in Flink). */
export interface TellEnvelope<M> extends EnvelopeBase {
  readonly kind: 'tell';
  readonly msg: M;
}
/** A request that expects a reply (an RPC returning a future in Flink). */
export interface AskEnvelope<M> extends EnvelopeBase {
  readonly kind: 'ask';
  readonly askId: number;
  readonly msg: M;
}
/** The receiver's answer to an ask. */
export interface ReplyEnvelope<M> extends EnvelopeBase {
  readonly kind: 'reply';
  readonly askId: number;
  readonly msg: M;
}
/** The RPC layer's answer to an ask that reached no running receiver. */
export interface UnreachableEnvelope extends EnvelopeBase {
  readonly kind: 'unreachable';
  readonly askId: number;
}
export type Envelope<M> = TellEnvelope<M> | AskEnvelope<M> | ReplyEnvelope<M> | UnreachableEnvelope;

/** An ask whose caller still waits for its reply or timeout. */
export interface PendingAsk<M> {
  readonly askId: number;
  readonly caller: EndpointId;
  readonly callee: EndpointId;
  readonly request: M;
  /** Data the caller attached to the ask; handed back with the reply or the failure. */
  readonly context: Json;
}

/** An armed timer. One timer per (endpoint, name): arming again replaces it. */
export interface Timer {
  readonly endpoint: EndpointId;
  readonly name: string;
  readonly fireAt: number;
  /** Set for the ask-timeout timers the simulator arms for each ask. */
  readonly askId: number | null;
  readonly data: Json;
}

export interface World<S, M> {
  now: number;
  /** The next sequence number for messages and asks. */
  nextSeq: number;
  stepCount: number;
  rng: RngState;
  endpoints: Record<EndpointId, EndpointStatus>;
  /** In flight, in send order (ascending `seq`). */
  messages: Envelope<M>[];
  /** Armed timers, kept sorted by (endpoint, name). */
  timers: Timer[];
  /** Pending asks, in ascending `askId`. */
  asks: PendingAsk<M>[];
  /** Directed links that deliver nothing, as `from->to`, sorted. */
  blockedLinks: string[];
  faultCounts: Record<FaultKind, number>;
  system: S;
}

export function linkKey(from: EndpointId, to: EndpointId): string {
  return `${from}->${to}`;
}
