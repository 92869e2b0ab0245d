/**
 * The other half of the bug zoo's promise (zoo/campaign.test.ts): the reference implementation is
 * clean in the same searches — the property suite for the largest budget of runs from the
 * campaign's seed, and the explorer within every mutant's bounds.
 */
import { describe, expect, it } from 'vitest';
import { MUTANT_NAMES } from '../impl/mutants.js';
import { CAMPAIGN_SEED } from './bugs.js';
import { explorerFinding, referenceBounds, referenceRuns, suiteFinding } from './campaign.js';
import { describeSearch } from './report.js';

const clock = () => 0;

describe('the reference implementation, in the bug zoo’s searches', () => {
  it('passes the property suite for the largest budget of runs', () => {
    const runs = referenceRuns(MUTANT_NAMES);
    const suite = suiteFinding([], CAMPAIGN_SEED, runs, clock, null, false);
    expect(suite.caught, `${suite.by} at run ${suite.runs}, path ${suite.path}`).toBe(false);
    expect(suite.runs).toBe(runs);
  }, 600_000);

  it.each(referenceBounds(MUTANT_NAMES).map((b) => [describeSearch(b), b] as const))(
    'is clean in the explorer on %s',
    (_, bounds) => {
      const found = explorerFinding(bounds, [], clock);
      expect(found.caught, `${found.by} in ${found.depth} steps`).toBe(false);
      expect(found.distinct).toBeGreaterThan(100);
    },
    600_000,
  );
});
