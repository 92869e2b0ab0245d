/**
 * The interface between the simulator and the system it runs (the Flink components, or the echo
 * demonstration). The system owns its state `S` (plain data inside the world) and reacts to
 * events through handlers that mutate that state and record effects in `Out`. Handlers are
 * synchronous and deterministic; the simulator decides when each of them runs.
 */
import type { Json } from './canonical.js';
import type { AskRef, Out } from './effects.js';
import type { EndpointId, PendingAsk } from './world.js';

/** Where and when a handler runs. */
export interface HandlerContext {
  readonly endpoint: EndpointId;
  readonly incarnation: number;
  readonly now: number;
}

/** A message handed to its receiver; `ask` is set when the sender expects a reply. */
export interface Delivery<M> {
  readonly from: EndpointId;
  readonly msg: M;
  readonly ask: AskRef | null;
}

/** Why an ask ended without a reply. */
export type AskFailure = 'timeout' | 'unreachable';

export interface SimSystem<S, M, A extends Json> {
  /** A name for traces and messages. */
  readonly name: string;
  /** The endpoints, fixed for the run, in a stable order. */
  readonly endpoints: readonly EndpointId[];
  /** Which endpoints a `crash` fault may hit. */
  crashable(endpoint: EndpointId): boolean;
  /**
   * Endpoints whose processes another component starts and stops (a resource provider's workers):
   * they begin down, and the environment never restarts them.
   */
  readonly managed?: readonly EndpointId[];
  /**
   * Endpoints whose links the network never disturbs: no drop, duplicate, delay, reorder or
   * partition touches a message from or to them. For services that Flink reaches in-process
   * (leader election and retrieval call back into the contender and the listeners).
   */
  readonly faultFree?: readonly EndpointId[];
  /** The system's state before any endpoint started. */
  initialState(): S;
  /** An endpoint process starts (at the beginning of the run, and after each restart). */
  onStart(state: S, ctx: HandlerContext, out: Out<M>): void;
  /** An endpoint process died: forget everything it held in memory. */
  onCrash(state: S, endpoint: EndpointId): void;
  onMessage(state: S, ctx: HandlerContext, delivery: Delivery<M>, out: Out<M>): void;
  onReply(state: S, ctx: HandlerContext, ask: PendingAsk<M>, reply: M, out: Out<M>): void;
  onAskFailure(
    state: S,
    ctx: HandlerContext,
    ask: PendingAsk<M>,
    failure: AskFailure,
    out: Out<M>,
  ): void;
  onTimer(state: S, ctx: HandlerContext, name: string, data: Json, out: Out<M>): void;
  /** Client actions possible now, each at an endpoint that must be up. */
  clientActions(state: S): readonly { readonly endpoint: EndpointId; readonly action: A }[];
  onClientAction(state: S, ctx: HandlerContext, action: A, out: Out<M>): void;
}
