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

/** Heads of unblocked links, whatever their earliest arrival. */
function unblockedHeads<M>(world: World<unknown, M>): Envelope<M>[] {
  const heads = linkHeads(world);
  return world.messages.filter((e) => heads.has(e.seq) && !isBlocked(world, e.from, e.to));
}

/**
 * The latest time a delivery may move the clock to: no timer may be overtaken, and no other
 * deliverable message's deadline passed.
 */
function arrivalLimit<M>(world: World<unknown, M>): number {
  let limit = clockLimit(world);
  for (const timer of world.timers) limit = Math.min(limit, timer.fireAt);
  return Math.max(limit, world.now);
}

/** Whether the message can arrive before the clock must stop for something else. */
function canArrive<M>(envelope: Envelope<M>, limit: number): boolean {
  return envelope.deliverAfter === undefined || envelope.deliverAfter <= limit;
}

/**
 * Messages that may be delivered in order now: the head of an unblocked link, if it can arrive
 * before the next timer is due.
 */
export function deliverableInOrder<M>(world: World<unknown, M>): Envelope<M>[] {
  const limit = arrivalLimit(world);
  return unblockedHeads(world).filter((e) => canArrive(e, limit));
}

/** Messages behind an older one on an unblocked link: deliverable only by a reorder fault. */
export function deliverableOutOfOrder<M>(world: World<unknown, M>): Envelope<M>[] {
  const heads = linkHeads(world);
  const limit = arrivalLimit(world);
  return world.messages.filter(
    (e) => !heads.has(e.seq) && !isBlocked(world, e.from, e.to) && canArrive(e, limit),
  );
}

/**
 * The latest time the clock may reach: the earliest deadline of a message at the head of an
 * unblocked link. Messages held by a partition, or queued behind such a message, do not hold the
 * clock back.
 */
export function clockLimit<M>(world: World<unknown, M>): number {
  let limit = Number.POSITIVE_INFINITY;
  for (const envelope of unblockedHeads(world)) limit = Math.min(limit, envelope.deliverBy);
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
