import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MUTANT_NAMES } from '../impl/mutants.js';
import { ALL_INVARIANTS } from './invariants/index.js';
import { RACES } from './races.js';

// The README's property-suite section lists what the code has: a new invariant, race or mutant
// that the README does not mention fails here.
describe('the README documents the property suite', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it.each(ALL_INVARIANTS.map((inv) => [inv.name, inv.guarantee]))(
    'invariant %s, with its guarantee',
    (name, guarantee) => {
      expect(readme).toContain(`\`${name}\``);
      expect(readme).toContain(guarantee.replace(/\|/g, '\\|'));
    },
  );

  it.each(Object.keys(RACES))('race %s', (race) => {
    expect(readme).toContain(race);
  });

  it.each(MUTANT_NAMES)('mutant %s', (mutant) => {
    expect(readme).toContain(`\`${mutant}\``);
  });
});
