/**
 * Proof that the suite works: each canary (a deliberately broken variant of the implementation,
 * impl/mutants.ts, switchable only here) must be caught, with a shrunk counterexample of at most
 * 20 steps, a report that names what broke, and a trace; replaying the seed and path reproduces
 * the same failure.
 */
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANARY_NAMES } from '../impl/mutants.js';
import { CANARY_CASES, CANARY_RUNS } from './canaryCases.js';
import { runCase } from './propertyRun.js';
import { runSuite } from './suite.js';

const CANARIES = CANARY_CASES;

describe('canaries: broken variants the suite must catch', () => {
  it('every canary of impl/mutants.ts has a test here', () => {
    expect(Object.keys(CANARIES).sort()).toEqual([...CANARY_NAMES].sort());
  });

  it.each(CANARY_NAMES)(
    '%s is caught with a counterexample of at most 20 steps',
    (mutant) => {
      const { caughtBy, seed } = CANARIES[mutant];
      const replay = (seed: number, path: string) =>
        `npx vitest run properties/canaries.test.ts -t "${mutant}" (seed ${seed}, path ${path})`;
      const stem = `canary-${mutant.replace(/[^a-zA-Z]/g, '-')}`;
      const result = runSuite({
        seed,
        numRuns: CANARY_RUNS,
        mutants: [mutant],
        replay,
        traceStem: stem,
      });
      const failure = result.failure;
      expect(failure, `${mutant} was not caught in ${CANARY_RUNS} runs`).not.toBeNull();
      if (failure === null) return;
      const { counterexample, report } = failure;
      expect(report).toMatch(/^PROPERTY FAILED/);
      expect(
        failure.counterexample.failure.broken.join(' ') || failure.counterexample.failure.kind,
      ).toMatch(caughtBy);
      expect(counterexample.steps.length, report).toBeLessThanOrEqual(20);
      expect(counterexample.steps.length).toBeGreaterThan(0);
      expect(report).toContain(`replay: npx vitest run properties/canaries.test.ts -t "${mutant}"`);
      expect(report).toMatch(/\n {4}1\. /);
      const trace = counterexample.tracePath;
      expect(trace).not.toBeNull();
      expect(existsSync(trace ?? '')).toBe(true);
      rmSync(trace ?? '');

      // Without the canary, the same case passes: the defect, not the case, broke the invariant.
      expect(runCase(failure.case).run.failure?.message ?? null).toBeNull();

      // The seed and path replay exactly this counterexample.
      const again = runSuite({
        seed,
        numRuns: CANARY_RUNS,
        path: failure.path,
        mutants: [mutant],
        replay,
        traceStem: null,
      });
      expect(again.failure?.counterexample.failure).toEqual(counterexample.failure);
      expect(again.failure?.counterexample.steps).toEqual(counterexample.steps);
    },
    180_000,
  );

  it('the reference implementation passes the first 40 runs of the canaries’ seeds', () => {
    for (const seed of new Set(Object.values(CANARIES).map((c) => c.seed))) {
      const result = runSuite({ seed, numRuns: 40, traceStem: null });
      expect(result.failure?.report ?? null).toBeNull();
    }
  }, 120_000);
});
