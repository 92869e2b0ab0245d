/**
 * What a step did, as plain data: the trace recorder writes one of these per line, and tests and
 * tools read them instead of peeking into the world.
 */
import type { Json } from './canonical.js';
import type { Step } from './step.js';
import type { EndpointId, Envelope, PendingAsk, Timer } from './world.js';

/** What happened to the message, timer or process that the step names. */
export type Outcome<M> =
  | { readonly kind: 'delivered'; readonly envelope: Envelope<M> }
  /** The receiver was down, or is a newer incarnation than the one the message was sent to. */
  | { readonly kind: 'discarded'; readonly envelope: Envelope<M>; readonly reason: string }
  /** A reply or failure for an ask that had already timed out or whose caller restarted. */
  | { readonly kind: 'lateReply'; readonly envelope: Envelope<M> }
  | { readonly kind: 'dropped'; readonly envelope: Envelope<M> }
  | { readonly kind: 'duplicated'; readonly envelope: Envelope<M>; readonly copySeq: number }
  | { readonly kind: 'delayed'; readonly envelope: Envelope<M>; readonly deliverBy: number }
  | { readonly kind: 'timerFired'; readonly timer: Timer }
  | { readonly kind: 'askTimedOut'; readonly ask: PendingAsk<M> }
  | { readonly kind: 'crashed'; readonly endpoint: EndpointId; readonly lostTimers: number }
  | { readonly kind: 'restarted'; readonly endpoint: EndpointId; readonly incarnation: number }
  | { readonly kind: 'partitioned'; readonly links: readonly string[] }
  | { readonly kind: 'healed'; readonly links: readonly string[] }
  | { readonly kind: 'clientActed'; readonly endpoint: EndpointId };

/** An effect after the simulator carried it out (with the sequence number it was given). */
export type AppliedEffect<M> =
  | { readonly kind: 'sent'; readonly envelope: Envelope<M> }
  | {
      readonly kind: 'timerArmed';
      readonly endpoint: EndpointId;
      readonly name: string;
      readonly fireAt: number;
      readonly data: Json;
    }
  | { readonly kind: 'timerCancelled'; readonly endpoint: EndpointId; readonly name: string }
  | { readonly kind: 'terminated'; readonly endpoint: EndpointId; readonly reason: string }
  | { readonly kind: 'processStarted'; readonly endpoint: EndpointId; readonly incarnation: number }
  | { readonly kind: 'processStopped'; readonly endpoint: EndpointId };

export interface StepRecord<M, A> {
  /** 1-based position of the step in the run. */
  readonly index: number;
  /** The clock after the step. */
  readonly time: number;
  readonly step: Step<A>;
  readonly outcome: Outcome<M>;
  readonly effects: readonly AppliedEffect<M>[];
}

/** The processes' first start, before any step. */
export interface StartRecord<M> {
  readonly effects: readonly AppliedEffect<M>[];
}
