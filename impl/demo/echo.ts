/**
 * The simulator's demonstration system: two echo endpoints that ping each other on a timer with
 * asks (replied to, or timed out, or failed as unreachable), and send one-way notes when a client
 * tells them to. It exercises every mechanism of the simulator (tells, asks, replies, ask
 * timeouts, timers, crash and restart, partitions, client actions) without any Flink logic, so
 * that the simulator can be tested on its own. It is not part of the Flink model.
 */
import { z } from 'zod';
import type { Json } from '../sim/canonical.js';
import type { Out } from '../sim/effects.js';
import type { AskFailure, Delivery, HandlerContext, SimSystem } from '../sim/system.js';
import type { EndpointId, PendingAsk } from '../sim/world.js';

export const ECHO_A = 'echo-a';
export const ECHO_B = 'echo-b';
const PING_TIMER = 'ping';

export const EchoConfig = z.strictObject({
  /** Each endpoint asks its peer every this many milliseconds. */
  pingIntervalMs: z.number().int().min(1).default(1_000),
  /** How long an endpoint waits for its peer's echo. */
  askTimeoutMs: z.number().int().min(0).default(300),
  /** How many notes the client may ask each endpoint to send. */
  maxNotes: z.number().int().min(0).default(3),
});
export type EchoConfig = z.infer<typeof EchoConfig>;

export type EchoMessage =
  | { readonly type: 'echo'; readonly n: number }
  | { readonly type: 'echo.replied'; readonly n: number }
  | { readonly type: 'note'; readonly n: number };

export type EchoAction = { readonly type: 'sendNote' };

/** What one endpoint remembers; all of it is lost in a crash. */
export interface EchoEndpointState {
  /** Pings sent, also the number of the next ping. */
  pingsSent: number;
  /** Pings whose echo came back, by number. */
  echoed: number[];
  timedOut: number;
  unreachable: number;
  /** Pings of the peer answered. */
  answered: number;
  notesSent: number;
  notesReceived: number[];
}

/** Notes sent survive crashes so that the client's budget of notes is per run. */
export interface EchoState {
  endpoints: Record<EndpointId, EchoEndpointState>;
  notesRequested: Record<EndpointId, number>;
}

function freshEndpoint(): EchoEndpointState {
  return {
    pingsSent: 0,
    echoed: [],
    timedOut: 0,
    unreachable: 0,
    answered: 0,
    notesSent: 0,
    notesReceived: [],
  };
}

function peerOf(endpoint: EndpointId): EndpointId {
  return endpoint === ECHO_A ? ECHO_B : ECHO_A;
}

function endpointState(state: EchoState, endpoint: EndpointId): EchoEndpointState {
  const found = state.endpoints[endpoint];
  if (found === undefined) throw new Error(`echo: unknown endpoint ${endpoint}`);
  return found;
}

export function echoSystem(config: EchoConfig): SimSystem<EchoState, EchoMessage, EchoAction> {
  return {
    name: 'echo',
    endpoints: [ECHO_A, ECHO_B],
    crashable: () => true,
    initialState: () => ({
      endpoints: { [ECHO_A]: freshEndpoint(), [ECHO_B]: freshEndpoint() },
      notesRequested: { [ECHO_A]: 0, [ECHO_B]: 0 },
    }),
    onStart(state, ctx, out) {
      state.endpoints[ctx.endpoint] = freshEndpoint();
      out.armTimer(PING_TIMER, config.pingIntervalMs);
    },
    onCrash(state, endpoint) {
      state.endpoints[endpoint] = freshEndpoint();
    },
    onMessage(state, ctx, delivery, out) {
      onMessage(endpointState(state, ctx.endpoint), delivery, out);
    },
    onReply(state, ctx, ask, reply) {
      if (
        reply.type !== 'echo.replied' ||
        ask.request.type !== 'echo' ||
        reply.n !== ask.request.n
      ) {
        throw new Error(`echo: reply ${JSON.stringify(reply)} does not answer ask #${ask.askId}`);
      }
      endpointState(state, ctx.endpoint).echoed.push(reply.n);
    },
    onAskFailure(state, ctx, _ask: PendingAsk<EchoMessage>, failure: AskFailure) {
      const self = endpointState(state, ctx.endpoint);
      if (failure === 'timeout') self.timedOut += 1;
      else self.unreachable += 1;
    },
    onTimer(state, ctx: HandlerContext, name: string, _data: Json, out) {
      if (name !== PING_TIMER) throw new Error(`echo: unknown timer ${name}`);
      const self = endpointState(state, ctx.endpoint);
      out.ask(peerOf(ctx.endpoint), { type: 'echo', n: self.pingsSent }, config.askTimeoutMs);
      self.pingsSent += 1;
      out.armTimer(PING_TIMER, config.pingIntervalMs);
    },
    clientActions(state) {
      return [ECHO_A, ECHO_B]
        .filter((endpoint) => (state.notesRequested[endpoint] ?? 0) < config.maxNotes)
        .map((endpoint) => ({ endpoint, action: { type: 'sendNote' } as const }));
    },
    onClientAction(state, ctx, _action, out) {
      state.notesRequested[ctx.endpoint] = (state.notesRequested[ctx.endpoint] ?? 0) + 1;
      const self = endpointState(state, ctx.endpoint);
      out.tell(peerOf(ctx.endpoint), { type: 'note', n: self.notesSent });
      self.notesSent += 1;
    },
  };
}

function onMessage(
  self: EchoEndpointState,
  delivery: Delivery<EchoMessage>,
  out: Out<EchoMessage>,
): void {
  const { msg } = delivery;
  switch (msg.type) {
    case 'echo':
      if (delivery.ask === null) throw new Error('echo: an echo must be an ask');
      self.answered += 1;
      out.reply(delivery.ask, { type: 'echo.replied', n: msg.n });
      return;
    case 'note':
      self.notesReceived.push(msg.n);
      return;
    case 'echo.replied':
      throw new Error('echo: a reply arrived as a request');
  }
}

/** The demonstration's built-in configuration: a few of every fault, so a run shows each one. */
export const ECHO_DEMO_CONFIG = {
  sim: {
    maxSteps: 400,
    faults: { drop: 3, duplicate: 2, delay: 2, reorder: 2, crash: 1, partition: 1 },
  },
  echo: {},
} as const;
