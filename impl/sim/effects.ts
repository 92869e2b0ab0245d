/**
 * What a component may do in response to an event, as data. Handlers never touch the network or
 * the clock: they record effects in an `Out`, and the simulator carries them out after the handler
 * returns (Stateright's `Out`, xstate's actions-as-data). This keeps components pure functions of
 * (state, event) and lets the trace record exactly what each step caused.
 */
import type { Json } from './canonical.js';
import type { EndpointId } from './world.js';

/** Identifies an ask being answered; handed to the receiver with the request. */
export interface AskRef {
  readonly askId: number;
  readonly caller: EndpointId;
}

export type Effect<M> =
  | { readonly kind: 'tell'; readonly to: EndpointId; readonly msg: M }
  | {
      readonly kind: 'ask';
      readonly to: EndpointId;
      readonly msg: M;
      readonly timeoutMs: number;
      readonly context: Json;
    }
  | { readonly kind: 'reply'; readonly ask: AskRef; readonly msg: M }
  | {
      readonly kind: 'armTimer';
      readonly name: string;
      readonly delayMs: number;
      readonly data: Json;
    }
  | { readonly kind: 'cancelTimer'; readonly name: string }
  | { readonly kind: 'terminate'; readonly reason: string }
  | { readonly kind: 'startProcess'; readonly endpoint: EndpointId }
  | { readonly kind: 'stopProcess'; readonly endpoint: EndpointId };

/** Collects the effects of one handler call, in order. */
export class Out<M> {
  readonly effects: Effect<M>[] = [];

  /** A one-way message. */
  tell(to: EndpointId, msg: M): void {
    this.effects.push({ kind: 'tell', to, msg });
  }

  /** A request; the reply or the failure comes back with `context`. */
  ask(to: EndpointId, msg: M, timeoutMs: number, context: Json = null): void {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      throw new RangeError(`ask timeout must be a non-negative integer, got ${timeoutMs}`);
    }
    this.effects.push({ kind: 'ask', to, msg, timeoutMs, context });
  }

  /** Answers an ask, now or in a later handler call. */
  reply(ask: AskRef, msg: M): void {
    this.effects.push({ kind: 'reply', ask, msg });
  }

  /** Arms the endpoint's timer `name`, replacing one armed under the same name. */
  armTimer(name: string, delayMs: number, data: Json = null): void {
    if (!Number.isInteger(delayMs) || delayMs < 0) {
      throw new RangeError(`timer delay must be a non-negative integer, got ${delayMs}`);
    }
    this.effects.push({ kind: 'armTimer', name, delayMs, data });
  }

  /**
   * The process exits (Flink's `onFatalError`): once the handler returns, the endpoint goes down
   * as in a crash, losing its state, timers and pending asks, and may later be restarted. Effects
   * recorded after this one are discarded.
   */
  terminate(reason: string): void {
    this.effects.push({ kind: 'terminate', reason });
  }

  /**
   * A resource provider starts the process of a managed endpoint (a new incarnation, which runs
   * its start handler in this step). Starting one that runs changes nothing.
   */
  startProcess(endpoint: EndpointId): void {
    this.effects.push({ kind: 'startProcess', endpoint });
  }

  /** A resource provider stops the process of a managed endpoint, as a crash does. */
  stopProcess(endpoint: EndpointId): void {
    this.effects.push({ kind: 'stopProcess', endpoint });
  }

  /** Cancels the endpoint's timer `name`; nothing happens if none is armed. */
  cancelTimer(name: string): void {
    this.effects.push({ kind: 'cancelTimer', name });
  }
}
