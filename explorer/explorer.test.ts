/**
 * The explorer finds every canary with a counterexample no longer than the property suite's (the
 * shrunk counterexamples kept in traces/samples/), names what broke as the suite does, and writes
 * a trace that replays to the same failure and that the checker rejects at its last step; the
 * reference implementation is clean to the same depth; and a small configuration is proved clean,
 * its state counts pinned so that a change of behaviour shows as a diff here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_NAMES, type Canary } from '../impl/mutants.js';
import { checkText } from '../traces/check/checkStream.js';
import { SAMPLES_DIR, type SampleExpectation } from '../traces/samples/manifest.js';
import { canaryBounds } from './canaryBounds.js';
import { recordPath } from './counterexampleTrace.js';
import { loadExploreConfig } from './exploreConfig.js';
import { explore } from './search.js';

const manifest = JSON.parse(
  readFileSync(join(SAMPLES_DIR, 'manifest.json'), 'utf8'),
) as readonly SampleExpectation[];

/** The property suite's counterexample of the canary: its length in steps, and what caught it. */
function propertySuiteCounterexample(mutant: Canary): {
  steps: number;
  caughtBy: readonly string[];
} {
  const entry = manifest.find((e) => e.kind === 'counterexample' && e.about.includes(`${mutant} `));
  if (entry?.caughtBy === undefined)
    throw new Error(`traces/samples/manifest.json has no counterexample of ${mutant}`);
  const text = readFileSync(join(SAMPLES_DIR, entry.file), 'utf8');
  const steps = text.split('\n').filter((l) => l.includes('"kind":"step"')).length;
  return { steps, caughtBy: entry.caughtBy };
}

describe('the explorer and the canaries', { timeout: 120_000 }, () => {
  it.each(CANARY_NAMES)('finds %s, no later than the property suite', async (mutant) => {
    const bounds = canaryBounds(mutant);
    const result = explore(bounds, { mutants: [mutant] });
    expect(result.verdict).toBe('violation');
    if (result.verdict !== 'violation') return;
    const suite = propertySuiteCounterexample(mutant);
    expect(result.path.length).toBeLessThanOrEqual(suite.steps);
    // What broke is one of the things the suite saw break (the machines may see it a check early).
    expect(suite.caughtBy).toEqual(expect.arrayContaining([result.failure.broken[0]]));

    const lines: string[] = [];
    const replay = recordPath(bounds.cluster, bounds.sim, result.path, (l) => lines.push(l), [
      mutant,
    ]);
    expect(replay.records).toHaveLength(result.path.length);
    expect(replay.failure?.step).toBe(result.path.length);
    const report = await checkText(lines.map((l) => `${l}\n`).join(''));
    expect(report.verdict).toBe('violates');
    // The header is line 1, the start line 2: step n is line n + 2.
    const first = Math.min(
      report.divergence?.line ?? Infinity,
      ...report.violations.map((v) => v.line),
    );
    expect(first).toBe(result.path.length + 2);
  });

  it.each(CANARY_NAMES)('finds nothing without %s, to the same depth', (mutant) => {
    const bounds = canaryBounds(mutant);
    const result = explore(bounds);
    expect(result.verdict).toBe('clean');
    if (result.verdict === 'clean') expect(result.limitedBy).toEqual([`depth ${bounds.maxDepth}`]);
  });
});

describe('a small configuration, proved clean', { timeout: 120_000 }, () => {
  it('the built-in default to depth 20: every state and step checked, the counts pinned', () => {
    const result = explore({ ...loadExploreConfig(undefined), maxDepth: 20 });
    expect(result).toEqual({
      verdict: 'clean',
      stats: { distinct: 10353, generated: 26158, depth: 20, queue: 1077, widest: 1139 },
      limitedBy: ['depth 20'],
    });
  });

  // HA's first check runs at 0 ms; everything after it happens at 2 s or later.
  const base = loadExploreConfig(undefined);
  const untilTwoSeconds = {
    ...base,
    cluster: { ...base.cluster, jobs: [] },
    maxTimeMs: 0,
    maxDepth: 100,
  };

  it('checks the states past a bound on simulated time, and expands none of them', () => {
    const result = explore(untilTwoSeconds);
    expect(result.verdict).toBe('clean');
    if (result.verdict === 'clean') expect(result.limitedBy).toEqual(['simulated time 0 ms']);
  });

  it('says it is incomplete only when a state past the bound on states was found', () => {
    const full = explore(untilTwoSeconds);
    const all = full.stats.distinct;
    expect(explore({ ...untilTwoSeconds, maxStates: all })).toEqual(full);
    const cut = explore({ ...untilTwoSeconds, maxStates: all - 1 });
    expect(cut.verdict).toBe('incomplete');
    expect(cut.stats.distinct).toBe(all - 1);
    // The start alone: its first successor is the state past the bound, and is not kept.
    expect(explore({ ...untilTwoSeconds, maxStates: 1 }).stats).toMatchObject({
      distinct: 1,
      generated: 1,
      queue: 0,
    });
  });
});
