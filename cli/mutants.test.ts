/**
 * `flink-slot-model mutants` as a user runs it: the catalogue lists every mutant with its FLINK
 * issue; one quick mutant is hunted end to end (suite, explorer, reference in its bounds) with its
 * row in the table and the summary; bad input is one line and exit code 2.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './runForTest.js';
import { MUTANT_NAMES } from '../impl/mutants.js';

const run = runCli;

describe('flink-slot-model mutants', { timeout: 120_000 }, () => {
  it('--list prints the catalogue: every mutant, its FLINK issue, fix and budget', () => {
    const { code, out } = run('mutants', '--list');
    expect(code).toBe(0);
    for (const m of MUTANT_NAMES) expect(out).toContain(`${m} (`);
    expect(out).toContain('FLINK-9932:slotActivatedOnOffer (FLINK-9932)');
    expect(out).toMatch(/fixed by: +commit d7740bd00c8 \(2018-10-12/);
    expect(out).toMatch(/budget: +300 runs of the property suite; the explorer on 1×1 slots/);
  });

  it('hunts one mutant: its row, the reference in its bounds, caught 1 / 1, exit 0', () => {
    const { code, out, err } = run(
      'mutants',
      '--only',
      'FLINK-9932:slotActivatedOnOffer',
      '--runs',
      '20',
    );
    expect(code, out).toBe(0);
    expect(err).toMatch(/^FLINK-9932:slotActivatedOnOffer: suite conformance at run \d+/);
    expect(out).toMatch(/FLINK-9932:slotActivatedOnOffer +FLINK-9932 +conformance +\d+ /);
    expect(out).toContain('reference, property suite: clean in 20 runs from seed 1');
    expect(out).toMatch(
      /reference, explorer on 1×1 slots, parallelism 1, no faults, depth 20: clean/,
    );
    expect(out).toContain(
      'caught 1 / 1 (property suite 1 / 1, explorer 1 / 1 searched); reference clean',
    );
  });

  it('--markdown prints the table as Markdown', () => {
    const { code, out } = run(
      'mutants',
      '--only',
      'FLINK-9932:slotActivatedOnOffer',
      '--runs',
      '5',
      '--no-reference',
      '--markdown',
    );
    expect(code).toBe(0);
    expect(out).toContain('| mutant | FLINK | suite: caught by |');
    expect(out).toMatch(/\| `FLINK-9932:slotActivatedOnOffer` \| FLINK-9932 \| conformance \|/);
  });

  it('an unknown mutant is one line and exit code 2', () => {
    const { code, out, err } = run('mutants', '--only', 'FLINK-1:nothing');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      'error: --only: no mutant named "FLINK-1:nothing" (flink-slot-model mutants --list names them)',
    );
  });
});
