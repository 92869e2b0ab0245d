/**
 * Policies turn the nondeterminism of a run into choices. The seeded policy draws from the
 * world's PRNG: first the kind of step, by the configured weights among the kinds that have an
 * enabled step, then one step of that kind uniformly. Drawing the kind first keeps fault rates
 * independent of how many messages or links there happen to be. A choice sequence (for fast-check
 * and replays) instead names an index into the enabled list.
 */
import type { StepWeights } from './config.js';
import { nextBelow, type RngState } from './prng.js';
import { STEP_KINDS, type Step, type StepKind } from './step.js';

/** Picks a step with the PRNG; `steps` must not be empty. */
export function pickSeeded<A>(
  rng: RngState,
  weights: StepWeights,
  steps: readonly Step<A>[],
): Step<A> {
  const byKind = new Map<StepKind, Step<A>[]>();
  for (const step of steps) {
    const group = byKind.get(step.kind);
    if (group === undefined) byKind.set(step.kind, [step]);
    else group.push(step);
  }
  // Weights are scaled to integers so that the draw is exact and the same on every engine.
  const kinds = STEP_KINDS.filter((kind) => byKind.has(kind) && weights[kind] > 0);
  const scaled = kinds.map((kind) => Math.round(weights[kind] * 1000));
  const total = scaled.reduce((sum, w) => sum + w, 0);
  let kind: StepKind | undefined;
  if (total > 0) {
    let draw = nextBelow(rng, total);
    for (let i = 0; i < kinds.length && kind === undefined; i++) {
      const w = scaled[i] ?? 0;
      if (draw < w) kind = kinds[i];
      else draw -= w;
    }
  }
  // Every enabled kind has weight zero: fall back to a uniform choice over all steps.
  const group = kind === undefined ? steps : (byKind.get(kind) ?? steps);
  const step = group[nextBelow(rng, group.length)];
  if (step === undefined) throw new Error('pickSeeded needs at least one enabled step');
  return step;
}

/** The step a choice names: choices wrap around, so every non-negative integer is valid. */
export function pickByChoice<A>(choice: number, steps: readonly Step<A>[]): Step<A> {
  if (!Number.isInteger(choice) || choice < 0) {
    throw new RangeError(`a choice is a non-negative integer, got ${choice}`);
  }
  const step = steps[choice % steps.length];
  if (step === undefined) throw new Error('pickByChoice needs at least one enabled step');
  return step;
}
