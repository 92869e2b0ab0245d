/**
 * The determinism self-check: every run must replay exactly from its seed. Each seed is run twice
 * from scratch and the two traces are compared byte for byte; the first difference is reported
 * with its line, so a nondeterministic handler can be found.
 */
import type { Json } from '../impl/sim/canonical.js';
import type { SimConfig } from '../impl/sim/config.js';
import type { SimSystem } from '../impl/sim/system.js';
import { traceText } from './recordRun.js';

export interface DeterminismResult {
  readonly seeds: number;
  readonly steps: number;
  readonly bytes: number;
  /** The first seed whose two runs differed, with where they differ. */
  readonly failure: {
    readonly seed: number;
    readonly line: number;
    readonly first: string;
    readonly second: string;
  } | null;
}

export function checkDeterminism<S, M, A extends Json>(
  makeSystem: () => SimSystem<S, M, A>,
  config: { readonly sim: SimConfig; readonly system: Json },
  seeds: readonly number[],
): DeterminismResult {
  let steps = 0;
  let bytes = 0;
  for (const seed of seeds) {
    // A fresh system object per run: no state may leak from one run into the next.
    const first = traceText(makeSystem(), config, { seed });
    const second = traceText(makeSystem(), config, { seed });
    steps += first.result.steps;
    bytes += first.text.length;
    if (first.text !== second.text) {
      return {
        seeds: seeds.length,
        steps,
        bytes,
        failure: { seed, ...firstDifference(first.text, second.text) },
      };
    }
  }
  return { seeds: seeds.length, steps, bytes, failure: null };
}

function firstDifference(a: string, b: string): { line: number; first: string; second: string } {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  for (let i = 0; i < Math.max(linesA.length, linesB.length); i++) {
    if (linesA[i] !== linesB[i])
      return { line: i + 1, first: linesA[i] ?? '', second: linesB[i] ?? '' };
  }
  return { line: 0, first: '', second: '' };
}
