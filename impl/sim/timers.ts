/**
 * Simulated timers. Each endpoint has at most one timer per name (arming again replaces it, as
 * Flink's `DefaultTimerService` does per key); the simulator also keeps one ask-timeout timer per
 * pending ask. Timers fire in deadline order, and only when no deliverable message is due first.
 */
import type { Json } from './canonical.js';
import { clockLimit } from './network.js';
import type { EndpointId, Timer, World } from './world.js';

/** The name of the simulator's timer for an ask; components may not use this prefix. */
export const ASK_TIMEOUT_PREFIX = 'ask#';

export function askTimerName(askId: number): string {
  return `${ASK_TIMEOUT_PREFIX}${askId}`;
}

function compareTimers(a: Timer, b: Timer): number {
  if (a.endpoint !== b.endpoint) return a.endpoint < b.endpoint ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

export function armTimer(
  world: World<unknown, unknown>,
  endpoint: EndpointId,
  name: string,
  fireAt: number,
  data: Json,
  askId: number | null,
): void {
  cancelTimer(world, endpoint, name);
  const timer: Timer = { endpoint, name, fireAt, askId, data };
  const index = world.timers.findIndex((t) => compareTimers(timer, t) < 0);
  if (index < 0) world.timers.push(timer);
  else world.timers.splice(index, 0, timer);
}

export function cancelTimer(
  world: World<unknown, unknown>,
  endpoint: EndpointId,
  name: string,
): void {
  const index = world.timers.findIndex((t) => t.endpoint === endpoint && t.name === name);
  if (index >= 0) world.timers.splice(index, 1);
}

export function findTimer(
  world: World<unknown, unknown>,
  endpoint: EndpointId,
  name: string,
): Timer | undefined {
  return world.timers.find((t) => t.endpoint === endpoint && t.name === name);
}

/**
 * The timers that may fire now: those with the earliest deadline, provided no deliverable
 * message must arrive before that deadline. Timers due at the same instant may fire in any order.
 */
export function dueTimers(world: World<unknown, unknown>): Timer[] {
  let earliest = Number.POSITIVE_INFINITY;
  for (const timer of world.timers) earliest = Math.min(earliest, timer.fireAt);
  if (earliest === Number.POSITIVE_INFINITY || earliest > clockLimit(world)) return [];
  return world.timers.filter((t) => t.fireAt === earliest);
}
