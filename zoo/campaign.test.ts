/**
 * The bug zoo's promise: every mutant (the historical Flink defects and the canaries) is caught by
 * the property suite within its budget of runs from the campaign's seed, and by the explorer within
 * its bounds, each by a check it is expected to break; and the failing case passes with the mutant
 * off (the defect, not the case, broke it). The suite's case is taken as generated (shrinking it is
 * the command's job: `npx flink-slot-model mutants --only <mutant>` replays one with its table row).
 * The reference implementation's side is zoo/reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MUTANT_NAMES, MUTANTS, ZOO_NAMES } from '../impl/mutants.js';
import { CAMPAIGN_SEED, ZOO } from './bugs.js';
import { asExpected, huntMutant } from './campaign.js';

const clock = () => 0;

describe('the bug zoo', () => {
  it('has at least ten historical Flink bugs, each documented', () => {
    expect(ZOO_NAMES.length).toBeGreaterThanOrEqual(10);
    for (const m of ZOO_NAMES) {
      const e = ZOO[m];
      expect(e.flink, m).toMatch(/^FLINK-\d+$/);
      expect(m.startsWith(`${e.flink ?? '?'}:`), m).toBe(true);
      expect(MUTANTS[m], m).toContain(`(${e.flink ?? '?'}, fixed`);
      expect(e.fixedBy, m).toMatch(/commit [0-9a-f]{11} \(\d{4}-\d{2}-\d{2}/);
      expect(e.affected, m).toBeTruthy();
      expect(e.interleaving.length, m).toBeGreaterThan(80);
      expect(e.expected.length, m).toBeGreaterThan(0);
      if (e.bounds === null) expect(e.notSearched, `${m} is not searched: say why`).toBeTruthy();
    }
  });

  it.each(MUTANT_NAMES)(
    '%s is caught within its budget, by a check expected to catch it',
    (mutant) => {
      const entry = ZOO[mutant];
      const replay = `npx flink-slot-model mutants --only ${mutant}`;
      const found = huntMutant(mutant, {
        seed: CAMPAIGN_SEED,
        explorer: true,
        clock,
        shrink: false,
      });
      const byEither = [found.suite.by, found.explorer?.by].filter(
        (b): b is string => typeof b === 'string',
      );
      expect(found.suite.caught || found.explorer?.caught, `not caught (${replay})`).toBe(true);
      for (const by of byEither)
        expect(asExpected(by, entry.expected), `${by} (${replay})`).toBe(true);
      if (found.suite.caught)
        expect(found.suite.referencePasses, 'the case fails without the mutant too').toBe(true);
      if (entry.bounds !== null)
        expect(found.explorer?.caught, `explorer: not caught on its bounds (${replay})`).toBe(true);
    },
    600_000,
  );
});
