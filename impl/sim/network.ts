/**
 * The simulated RPC network over the world's in-flight messages: per-link FIFO order (Akka/Pekko
 * deliver messages between one sender and one receiver in order), directed partitions, and the
 * deadlines that bound how long a deliverable message may wait.
 */
import type { Envelope, EndpointId, World } from './world.js';
import { linkKey } from './world.js';

export function isBlocked(
  world: World<unknown, unknown>,
  from: EndpointId,
  to: EndpointId,
): boolean {
  return world.blockedLinks.includes(linkKey(from, to));
}

/** The sequence numbers of the oldest message on each link. */
export function linkHeads<M>(world: World<unknown, M>): Set<number> {
  const seen = new Set<string>();
  const heads = new Set<number>();
  for (const envelope of world.messages) {
    const link = linkKey(envelope.from, envelope.to);
    if (seen.has(link)) continue;
    seen.add(link);
    heads.add(envelope.seq);
  }
  return heads;
}

/** What can be delivered now: link heads in order, and the messages behind them by a reorder fault. */
export interface Deliverable<M> {
  readonly inOrder: Envelope<M>[];
  readonly outOfOrder: Envelope<M>[];
}

/**
 * The messages that may be delivered now: on an unblocked link, and (with a minimum latency) able
 * to arrive before the clock must stop for something else — a timer due, or another deliverable
 * message's deadline. The arrival limit is worked out only when some message has an earliest
 * arrival, so runs without a minimum latency pay nothing for it.
 */
export function deliverable<M>(world: World<unknown, M>): Deliverable<M> {
  const heads = linkHeads(world);
  const unblocked = world.messages.filter((e) => !isBlocked(world, e.from, e.to));
  let limit = Number.POSITIVE_INFINITY;
  if (unblocked.some((e) => e.deliverAfter !== undefined)) {
    for (const e of unblocked) if (heads.has(e.seq)) limit = Math.min(limit, e.deliverBy);
    for (const timer of world.timers) limit = Math.min(limit, timer.fireAt);
    limit = Math.max(limit, world.now);
  }
  const inOrder: Envelope<M>[] = [];
  const outOfOrder: Envelope<M>[] = [];
  for (const e of unblocked) {
    if (e.deliverAfter !== undefined && e.deliverAfter > limit) continue;
    (heads.has(e.seq) ? inOrder : outOfOrder).push(e);
  }
  return { inOrder, outOfOrder };
}

/**
 * The latest time the clock may reach: the earliest deadline of a message at the head of an
 * unblocked link. Messages held by a partition, or queued behind such a message, do not hold the
 * clock back.
 */
export function clockLimit<M>(world: World<unknown, M>): number {
  const heads = linkHeads(world);
  let limit = Number.POSITIVE_INFINITY;
  for (const e of world.messages)
    if (heads.has(e.seq) && !isBlocked(world, e.from, e.to)) limit = Math.min(limit, e.deliverBy);
  return limit;
}

export function findMessage<M>(world: World<unknown, M>, seq: number): Envelope<M> | undefined {
  return world.messages.find((e) => e.seq === seq);
}

export function removeMessage<M>(world: World<unknown, M>, seq: number): void {
  const index = world.messages.findIndex((e) => e.seq === seq);
  if (index >= 0) world.messages.splice(index, 1);
}

export function block(world: World<unknown, unknown>, from: EndpointId, to: EndpointId): void {
  const link = linkKey(from, to);
  if (!world.blockedLinks.includes(link)) {
    world.blockedLinks.push(link);
    world.blockedLinks.sort();
  }
}

export function heal(world: World<unknown, unknown>, a: EndpointId, b: EndpointId): void {
  const links = [linkKey(a, b), linkKey(b, a)];
  world.blockedLinks = world.blockedLinks.filter((link) => !links.includes(link));
}
