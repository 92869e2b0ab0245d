/**
 * Flink's `ResourceCounter`: how many of each resource profile, as plain data. Profiles keep the
 * order in which they were first counted, so iteration is deterministic (Flink iterates hash
 * maps; docs/simplifications.md).
 */
import type { ResourceProfile } from '../../protocol/values.js';

/** A profile → count map; every stored count is positive. */
export type ResourceCounter = Record<ResourceProfile, number>;

export function countOf(counter: ResourceCounter, profile: ResourceProfile): number {
  return counter[profile] ?? 0;
}

export function add(counter: ResourceCounter, profile: ResourceProfile, n: number): void {
  const next = countOf(counter, profile) + n;
  if (next < 0) throw new Error(`ResourceCounter: ${profile} would go negative (${next})`);
  if (next === 0) delete counter[profile];
  else counter[profile] = next;
}

/**
 * `ResourceCounter#subtract` as Flink has it: a count that would reach zero or less is removed,
 * never negative. Where a negative count can only mean a bug, use `add` with a negative `n`,
 * which throws.
 */
export function subtract(counter: ResourceCounter, profile: ResourceProfile, n: number): void {
  const next = countOf(counter, profile) - n;
  if (next <= 0) delete counter[profile];
  else counter[profile] = next;
}

export function total(counter: ResourceCounter): number {
  return Object.values(counter).reduce((sum, n) => sum + n, 0);
}

export function isEmpty(counter: ResourceCounter): boolean {
  return Object.keys(counter).length === 0;
}
