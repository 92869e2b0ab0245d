/**
 * A probe system for the simulator's own tests: each endpoint logs every event it sees into the
 * shared state, answers every ask with `<type>.replied`, and otherwise does what the test tells
 * it to through optional hooks. Tests then assert on the log.
 */
import type { Json } from '../canonical.js';
import type { Out } from '../effects.js';
import type { Delivery, HandlerContext, SimSystem } from '../system.js';
import type { EndpointId } from '../world.js';

export interface ProbeMessage {
  readonly type: string;
  readonly n?: number;
}

export interface ProbeState {
  /** One line per event, `<endpoint> <event>`, in the order they happened. */
  log: string[];
}

export type ProbeAction = { readonly type: string };

export interface ProbeHooks {
  readonly endpoints?: readonly EndpointId[];
  readonly managed?: readonly EndpointId[];
  readonly faultFree?: readonly EndpointId[];
  onStart?(ctx: HandlerContext, out: Out<ProbeMessage>): void;
  onMessage?(ctx: HandlerContext, delivery: Delivery<ProbeMessage>, out: Out<ProbeMessage>): void;
  onTimer?(ctx: HandlerContext, name: string, out: Out<ProbeMessage>): void;
  clientActions?(state: ProbeState): readonly { endpoint: EndpointId; action: ProbeAction }[];
  onClientAction?(ctx: HandlerContext, action: ProbeAction, out: Out<ProbeMessage>): void;
}

function describe(msg: ProbeMessage): string {
  return msg.n === undefined ? msg.type : `${msg.type}#${msg.n}`;
}

export function probeSystem(
  hooks: ProbeHooks = {},
): SimSystem<ProbeState, ProbeMessage, ProbeAction> {
  return {
    name: 'probe',
    endpoints: hooks.endpoints ?? ['a', 'b'],
    ...(hooks.managed === undefined ? {} : { managed: hooks.managed }),
    ...(hooks.faultFree === undefined ? {} : { faultFree: hooks.faultFree }),
    crashable: () => true,
    initialState: () => ({ log: [] }),
    onStart(state, ctx, out) {
      state.log.push(`${ctx.endpoint} started (incarnation ${ctx.incarnation})`);
      hooks.onStart?.(ctx, out);
    },
    onCrash(state, endpoint) {
      state.log.push(`${endpoint} crashed`);
    },
    onMessage(state, ctx, delivery, out) {
      const kind = delivery.ask === null ? 'tell' : 'ask';
      state.log.push(`${ctx.endpoint} got ${kind} ${describe(delivery.msg)} from ${delivery.from}`);
      if (hooks.onMessage !== undefined) hooks.onMessage(ctx, delivery, out);
      else if (delivery.ask !== null) {
        out.reply(delivery.ask, {
          type: `${delivery.msg.type}.replied`,
          ...(delivery.msg.n === undefined ? {} : { n: delivery.msg.n }),
        });
      }
    },
    onReply(state, ctx, ask, reply) {
      state.log.push(
        `${ctx.endpoint} got reply ${describe(reply)} to ${describe(ask.request)} (context ${JSON.stringify(ask.context)})`,
      );
    },
    onAskFailure(state, ctx, ask, failure) {
      state.log.push(`${ctx.endpoint} ask ${describe(ask.request)} failed: ${failure}`);
    },
    onTimer(state, ctx, name, data: Json, out) {
      state.log.push(
        `${ctx.endpoint} timer ${name} fired at ${ctx.now} (data ${JSON.stringify(data)})`,
      );
      hooks.onTimer?.(ctx, name, out);
    },
    clientActions: (state) => hooks.clientActions?.(state) ?? [],
    onClientAction(state, ctx, action, out) {
      state.log.push(`${ctx.endpoint} client ${action.type}`);
      hooks.onClientAction?.(ctx, action, out);
    },
  };
}
