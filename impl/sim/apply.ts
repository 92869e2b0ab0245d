/**
 * Carries out one step on the world: the environment's part (move the clock, move or lose a
 * message, crash or restart a process, cut or heal a link) and then the handler of the component
 * that the step reaches, whose effects are applied in the order it recorded them.
 */
import type { Json } from './canonical.js';
import type { SimConfig } from './config.js';
import { Out, type Effect } from './effects.js';
import { block, findMessage, heal, removeMessage } from './network.js';
import type { AppliedEffect, Outcome, StepRecord } from './record.js';
import type { Step } from './step.js';
import type { HandlerContext, SimSystem } from './system.js';
import { ASK_TIMEOUT_PREFIX, armTimer, askTimerName, cancelTimer, findTimer } from './timers.js';
import type { EndpointId, Envelope, World } from './world.js';
import { linkKey } from './world.js';

/** Everything `applyStep` needs besides the world. */
export interface Scene<S, M, A extends Json> {
  readonly system: SimSystem<S, M, A>;
  readonly config: SimConfig;
}

export function applyStep<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  step: Step<A>,
): StepRecord<M, A> {
  const effects: AppliedEffect<M>[] = [];
  const outcome = applyEnvironment(world, scene, step, effects);
  world.stepCount += 1;
  return { index: world.stepCount, time: world.now, step, outcome, effects };
}

function applyEnvironment<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  step: Step<A>,
  effects: AppliedEffect<M>[],
): Outcome<M> {
  switch (step.kind) {
    case 'deliver':
      return deliver(world, scene, takeMessage(world, step.seq), effects);
    case 'reorder':
      world.faultCounts.reorder += 1;
      return deliver(world, scene, takeMessage(world, step.seq), effects);
    case 'drop':
      world.faultCounts.drop += 1;
      return { kind: 'dropped', envelope: takeMessage(world, step.seq) };
    case 'duplicate':
      return duplicate(world, scene, step.seq);
    case 'delay':
      return delay(world, scene, step.seq);
    case 'fireTimer':
      return fireTimer(world, scene, step.endpoint, step.name, effects);
    case 'crash':
      return crash(world, scene, step.endpoint);
    case 'restart':
      return restart(world, scene, step.endpoint, effects);
    case 'partition': {
      world.faultCounts.partition += 1;
      block(world, step.from, step.to);
      if (step.twoWay) block(world, step.to, step.from);
      const links = [linkKey(step.from, step.to)];
      if (step.twoWay) links.push(linkKey(step.to, step.from));
      return { kind: 'partitioned', links };
    }
    case 'heal': {
      const before = world.blockedLinks;
      heal(world, step.a, step.b);
      return { kind: 'healed', links: before.filter((l) => !world.blockedLinks.includes(l)) };
    }
    case 'client':
      runHandler(world, scene, step.endpoint, effects, (ctx, out) =>
        scene.system.onClientAction(world.system, ctx, step.action, out),
      );
      return { kind: 'clientActed', endpoint: step.endpoint };
  }
}

function takeMessage<M>(world: World<unknown, M>, seq: number): Envelope<M> {
  const envelope = findMessage(world, seq);
  if (envelope === undefined) throw new Error(`no message #${seq} in flight`);
  removeMessage(world, seq);
  return envelope;
}

function deliver<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  envelope: Envelope<M>,
  effects: AppliedEffect<M>[],
): Outcome<M> {
  // A message takes at least the minimum latency: its arrival moves the clock.
  if (envelope.deliverAfter !== undefined) world.now = Math.max(world.now, envelope.deliverAfter);
  const receiver = world.endpoints[envelope.to];
  if (receiver === undefined || !receiver.up || receiver.incarnation !== envelope.toIncarnation) {
    const reason = receiver?.up === true ? 'receiver restarted since' : 'receiver down';
    // An ask that reaches no running process fails at the caller (RecipientUnreachableException).
    if (envelope.kind === 'ask') {
      send(
        world,
        scene,
        envelope.to,
        envelope.from,
        { kind: 'unreachable', askId: envelope.askId },
        effects,
      );
    }
    return { kind: 'discarded', envelope, reason };
  }
  switch (envelope.kind) {
    case 'tell':
    case 'ask': {
      const ask = envelope.kind === 'ask' ? { askId: envelope.askId, caller: envelope.from } : null;
      runHandler(world, scene, envelope.to, effects, (ctx, out) =>
        scene.system.onMessage(
          world.system,
          ctx,
          { from: envelope.from, msg: envelope.msg, ask },
          out,
        ),
      );
      return { kind: 'delivered', envelope };
    }
    case 'reply':
    case 'unreachable': {
      const ask = takeAsk(world, envelope.askId, envelope.to);
      if (ask === undefined) return { kind: 'lateReply', envelope };
      cancelTimer(world, ask.caller, askTimerName(ask.askId));
      runHandler(world, scene, envelope.to, effects, (ctx, out) => {
        if (envelope.kind === 'reply')
          scene.system.onReply(world.system, ctx, ask, envelope.msg, out);
        else scene.system.onAskFailure(world.system, ctx, ask, 'unreachable', out);
      });
      return { kind: 'delivered', envelope };
    }
  }
}

function takeAsk<M>(world: World<unknown, M>, askId: number, caller: EndpointId) {
  const index = world.asks.findIndex((a) => a.askId === askId && a.caller === caller);
  if (index < 0) return undefined;
  const [ask] = world.asks.splice(index, 1);
  return ask;
}

function duplicate<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  seq: number,
): Outcome<M> {
  world.faultCounts.duplicate += 1;
  const original = findMessage(world, seq);
  if (original === undefined) throw new Error(`no message #${seq} in flight`);
  const copy = {
    ...original,
    seq: world.nextSeq++,
    deliverBy:
      world.now + Math.max(scene.config.network.latencyMs, scene.config.network.minLatencyMs),
    ...(scene.config.network.minLatencyMs > 0
      ? { deliverAfter: world.now + scene.config.network.minLatencyMs }
      : {}),
  };
  world.messages.push(copy);
  return { kind: 'duplicated', envelope: original, copySeq: copy.seq };
}

function delay<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  seq: number,
): Outcome<M> {
  world.faultCounts.delay += 1;
  const index = world.messages.findIndex((e) => e.seq === seq);
  const original = world.messages[index];
  if (original === undefined) throw new Error(`no message #${seq} in flight`);
  const deliverBy = Math.max(original.deliverBy, world.now + scene.config.network.delayMs);
  world.messages[index] = { ...original, deliverBy };
  return { kind: 'delayed', envelope: original, deliverBy };
}

function fireTimer<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
  name: string,
  effects: AppliedEffect<M>[],
): Outcome<M> {
  const timer = findTimer(world, endpoint, name);
  if (timer === undefined) throw new Error(`no timer ${endpoint}/${name} armed`);
  cancelTimer(world, endpoint, name);
  world.now = Math.max(world.now, timer.fireAt);
  if (timer.askId !== null) {
    const ask = takeAsk(world, timer.askId, endpoint);
    if (ask === undefined) throw new Error(`ask timer ${name} without its pending ask`);
    runHandler(world, scene, endpoint, effects, (ctx, out) =>
      scene.system.onAskFailure(world.system, ctx, ask, 'timeout', out),
    );
    return { kind: 'askTimedOut', ask };
  }
  runHandler(world, scene, endpoint, effects, (ctx, out) =>
    scene.system.onTimer(world.system, ctx, name, timer.data, out),
  );
  return { kind: 'timerFired', timer };
}

function crash<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
): Outcome<M> {
  world.faultCounts.crash += 1;
  const lostTimers = goDown(world, scene, endpoint);
  return { kind: 'crashed', endpoint, lostTimers };
}

/** The process stops: its status, timers, pending asks and state are gone. Returns lost timers. */
function goDown<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
): number {
  const status = statusOf(world, endpoint);
  world.endpoints[endpoint] = { ...status, up: false };
  const lostTimers = world.timers.filter((t) => t.endpoint === endpoint).length;
  world.timers = world.timers.filter((t) => t.endpoint !== endpoint);
  world.asks = world.asks.filter((a) => a.caller !== endpoint);
  scene.system.onCrash(world.system, endpoint);
  return lostTimers;
}

function restart<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
  effects: AppliedEffect<M>[],
): Outcome<M> {
  const incarnation = statusOf(world, endpoint).incarnation + 1;
  world.endpoints[endpoint] = { up: true, incarnation };
  runHandler(world, scene, endpoint, effects, (ctx, out) =>
    scene.system.onStart(world.system, ctx, out),
  );
  return { kind: 'restarted', endpoint, incarnation };
}

function checkManaged<S, M, A extends Json>(scene: Scene<S, M, A>, endpoint: EndpointId): void {
  if (!(scene.system.managed ?? []).includes(endpoint)) {
    throw new Error(`${endpoint} is not a managed endpoint: no component may start or stop it`);
  }
}

function statusOf(world: World<unknown, unknown>, endpoint: EndpointId) {
  const status = world.endpoints[endpoint];
  if (status === undefined) throw new Error(`unknown endpoint ${endpoint}`);
  return status;
}

/** Runs one handler at `endpoint` and applies the effects it recorded. */
export function runHandler<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
  applied: AppliedEffect<M>[],
  handler: (ctx: HandlerContext, out: Out<M>) => void,
): void {
  const ctx: HandlerContext = {
    endpoint,
    incarnation: statusOf(world, endpoint).incarnation,
    now: world.now,
  };
  const out = new Out<M>();
  handler(ctx, out);
  for (const effect of out.effects) {
    if (effect.kind === 'terminate') {
      goDown(world, scene, endpoint);
      applied.push({ kind: 'terminated', endpoint, reason: effect.reason });
      return;
    }
    applyEffect(world, scene, endpoint, effect, applied);
  }
}

function applyEffect<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  endpoint: EndpointId,
  effect: Effect<M>,
  applied: AppliedEffect<M>[],
): void {
  switch (effect.kind) {
    case 'tell':
      send(world, scene, endpoint, effect.to, { kind: 'tell', msg: effect.msg }, applied);
      return;
    case 'ask': {
      const askId = world.nextSeq;
      world.asks.push({
        askId,
        caller: endpoint,
        callee: effect.to,
        request: effect.msg,
        context: effect.context,
      });
      armTimer(world, endpoint, askTimerName(askId), world.now + effect.timeoutMs, null, askId);
      send(world, scene, endpoint, effect.to, { kind: 'ask', askId, msg: effect.msg }, applied);
      return;
    }
    case 'reply':
      send(
        world,
        scene,
        endpoint,
        effect.ask.caller,
        { kind: 'reply', askId: effect.ask.askId, msg: effect.msg },
        applied,
      );
      return;
    case 'armTimer': {
      if (effect.name.startsWith(ASK_TIMEOUT_PREFIX)) {
        throw new Error(`timer name ${effect.name} uses the simulator's reserved prefix`);
      }
      const fireAt = world.now + effect.delayMs;
      armTimer(world, endpoint, effect.name, fireAt, effect.data, null);
      applied.push({ kind: 'timerArmed', endpoint, name: effect.name, fireAt, data: effect.data });
      return;
    }
    case 'cancelTimer':
      cancelTimer(world, endpoint, effect.name);
      applied.push({ kind: 'timerCancelled', endpoint, name: effect.name });
      return;
    case 'terminate':
      throw new Error('terminate is handled by runHandler');
    case 'startProcess': {
      checkManaged(scene, effect.endpoint);
      if (statusOf(world, effect.endpoint).up) return;
      const incarnation = statusOf(world, effect.endpoint).incarnation + 1;
      world.endpoints[effect.endpoint] = { up: true, incarnation };
      applied.push({ kind: 'processStarted', endpoint: effect.endpoint, incarnation });
      runHandler(world, scene, effect.endpoint, applied, (ctx, out) =>
        scene.system.onStart(world.system, ctx, out),
      );
      return;
    }
    case 'stopProcess':
      checkManaged(scene, effect.endpoint);
      if (!statusOf(world, effect.endpoint).up) return;
      goDown(world, scene, effect.endpoint);
      applied.push({ kind: 'processStopped', endpoint: effect.endpoint });
      return;
  }
}

type Body<M> =
  | { kind: 'tell'; msg: M }
  | { kind: 'ask'; askId: number; msg: M }
  | { kind: 'reply'; askId: number; msg: M }
  | { kind: 'unreachable'; askId: number };

function send<S, M, A extends Json>(
  world: World<S, M>,
  scene: Scene<S, M, A>,
  from: EndpointId,
  to: EndpointId,
  body: Body<M>,
  applied: AppliedEffect<M>[],
): void {
  const envelope: Envelope<M> = {
    ...body,
    seq: body.kind === 'ask' ? body.askId : world.nextSeq,
    from,
    to,
    toIncarnation: statusOf(world, to).incarnation,
    deliverBy:
      world.now + Math.max(scene.config.network.latencyMs, scene.config.network.minLatencyMs),
    ...(scene.config.network.minLatencyMs > 0
      ? { deliverAfter: world.now + scene.config.network.minLatencyMs }
      : {}),
  };
  world.nextSeq = envelope.seq + 1;
  world.messages.push(envelope);
  applied.push({ kind: 'sent', envelope });
}
