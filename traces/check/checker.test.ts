/**
 * The trace checker against what it must accept and reject: the sample traces and their manifest
 * (traces/samples/), every trace the simulator and the property suite write (round trip), and
 * traces mutated by dropping, duplicating or swapping lines.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../cli/simulate.js';
import { CaseTrace } from '../../properties/caseTrace.js';
import { caseArbitrary } from '../../properties/generators.js';
import { runCase } from '../../properties/propertyRun.js';
import { SAMPLES_DIR, type SampleExpectation } from '../samples/manifest.js';
import { checkText } from './checkStream.js';
import type { CheckReport } from './report.js';

const manifest = JSON.parse(
  readFileSync(join(SAMPLES_DIR, 'manifest.json'), 'utf8'),
) as SampleExpectation[];
const sample = (file: string) => readFileSync(join(SAMPLES_DIR, file), 'utf8');
const quiet = { out: () => undefined, err: () => undefined };
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-check-'));

/** Where the report found something, for assertion messages. */
function findings(report: CheckReport): string {
  return JSON.stringify({
    error: report.error,
    divergence: report.divergence,
    violations: report.violations,
  });
}

describe('the sample traces (traces/samples/manifest.json)', () => {
  it('covers conforming runs, a partial view and every canary', () => {
    const kinds = manifest.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'conforming').length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain('partial');
    expect(kinds.filter((k) => k === 'counterexample').length).toBe(3);
  });

  it.each(manifest.map((s) => [s.file, s] as const))('%s', async (_file, expected) => {
    const report = await checkText(sample(expected.file));
    expect(report.exitCode, findings(report)).toBe(expected.exitCode);
    expect(report.error).toBeNull();
    if (expected.kind === 'partial') expect(report.mode).toBe('relaxed');
    if (expected.kind === 'conforming') {
      expect(report.mode).toBe('full');
      expect(report.ended).toBe('healed');
      expect(report.unchecked).toEqual([]);
    }
    if (expected.kind !== 'counterexample') return;
    // The first finding is at the line of the step where the property suite saw the failure,
    // and names what the suite named.
    const first = Math.min(
      report.divergence?.line ?? Number.POSITIVE_INFINITY,
      ...report.violations.map((v) => v.line),
    );
    expect(first, findings(report)).toBe(expected.line);
    for (const caught of expected.caughtBy ?? []) {
      if (caught === 'conformance') expect(report.divergence?.line).toBe(expected.line);
      else
        expect(report.violations.find((v) => v.invariant === caught)?.line, caught).toBe(
          expected.line,
        );
    }
  });

  it('the conforming samples are what the simulator writes today', () => {
    for (const s of manifest.filter((m) => m.kind === 'conforming')) {
      const mode = s.file.startsWith('active') ? 'active' : 'standalone';
      const out = join(dir, s.file);
      simulate({ seed: 1, steps: 200, healSeconds: 40, mode, out, timeline: false }, [], quiet);
      expect(readFileSync(out, 'utf8'), `${s.file}: run npm run samples`).toBe(sample(s.file));
    }
  });
});

describe('round trip: every trace the simulator writes checks clean', () => {
  it.each([
    ['standalone, seed 7', { seed: 7 }],
    ['active, job ends, seed 3', { seed: 3, mode: 'active', jobEnds: true }],
    ['late jobs, heavy faults, seed 11', { seed: 11, lateJobs: 1, faults: 'heavy' }],
  ] as const)('simulate: %s', async (_name, options) => {
    const out = join(dir, `sim-${options.seed}.ndjson`);
    const heavy = { drop: 20, duplicate: 10, delay: 10, reorder: 20, crash: 6, partition: 6 };
    const { faults, ...rest } = { faults: null, ...options };
    simulate(
      { ...rest, ...(faults === null ? {} : { faults: heavy }), steps: 600, out, timeline: false },
      [],
      quiet,
    );
    const report = await checkText(readFileSync(out));
    expect(report.verdict, findings(report)).toBe('conforms');
    expect(report.steps).toBeGreaterThan(600);
  });

  it('property-suite runs, full and as each TaskExecutor saw them', async () => {
    const cases = fc.sample(caseArbitrary(), { seed: 20261121, numRuns: 12 });
    for (const c of cases) {
      const lines: string[] = [];
      const trace = new CaseTrace(c, [], (line) => lines.push(line));
      const result = runCase(c, {
        onStart: (record, state) => trace.start(record, state),
        onStep: (record, _phase, world) => trace.step(record, world.system),
      });
      trace.end(result);
      expect(result.run.failure).toBeNull();
      const text = `${lines.join('\n')}\n`;
      const report = await checkText(text);
      expect(report.verdict, findings(report)).toBe('conforms');
      expect(report.steps).toBe(result.run.simulation.state.stepCount);
      const first = Object.keys(result.run.simulation.state.system.taskExecutors)[0];
      if (first === undefined) continue;
      const view = await checkText(text, [first]);
      expect(view.verdict, findings(view)).toBe('conforms');
      expect(view.mode).toBe('relaxed');
    }
  }, 120_000);
});

/** The lines of a trace, with its step lines renumbered after a mutation so indices still count up. */
function renumbered(lines: readonly string[]): string {
  let index = 0;
  return `${lines
    .map((text) => {
      const line = JSON.parse(text) as { kind: string; index?: number; steps?: number };
      if (line.kind === 'step') line.index = ++index;
      if (line.kind === 'end') line.steps = index;
      return JSON.stringify(line);
    })
    .join('\n')}\n`;
}

interface StepFacts {
  readonly at: string | null;
  readonly time: number;
  readonly sent: readonly number[];
  readonly consumed: number | null;
  readonly changed: readonly string[];
}

function facts(text: string): StepFacts {
  const line = JSON.parse(text) as {
    time: number;
    step: { kind: string; seq?: number };
    outcome: {
      kind: string;
      envelope?: { to: string };
      endpoint?: string;
      timer?: { endpoint: string };
    };
    effects: { kind: string; envelope?: { seq: number } }[];
    states?: Record<string, unknown>;
  };
  const o = line.outcome;
  return {
    at: o.envelope?.to ?? o.endpoint ?? o.timer?.endpoint ?? null,
    time: line.time,
    sent: line.effects.flatMap((e) => (e.envelope === undefined ? [] : [e.envelope.seq])),
    consumed: line.step.seq ?? null,
    changed: Object.keys(line.states ?? {}),
  };
}

/**
 * Why a mutated trace may still conform, or null when it should not: two swapped steps at
 * different components, at the same time, neither using what the other sent, commute (the same
 * behaviour in another order); a step that sent nothing and changed no observed state can be
 * dropped or repeated without anything the model follows noticing it.
 */
function whyStillConforms(
  kind: 'drop' | 'duplicate' | 'swap',
  a: StepFacts,
  b: StepFacts | null,
): string | null {
  if (kind === 'swap' && b !== null) {
    const independent =
      a.at !== b.at &&
      a.time === b.time &&
      !a.sent.includes(b.consumed ?? -1) &&
      a.changed.every((e) => !b.changed.includes(e));
    if (independent) return 'independent steps commute';
    const inert = (x: StepFacts) => x.sent.length === 0 && x.changed.length === 0;
    return a.time === b.time && (inert(a) || inert(b))
      ? 'a step that changed nothing observed moved'
      : null;
  }
  if (a.sent.length === 0 && a.changed.length === 0) return 'the step changed nothing observed';
  return null;
}

describe('mutated traces are rejected, or conform for a stated reason', () => {
  const original = sample('standalone-seed-1.ndjson').trimEnd().split('\n');
  const steps = original.length - 3; // header, start, end
  const mutations = fc.sample(
    fc.record({
      kind: fc.constantFrom('drop', 'duplicate', 'swap'),
      step: fc.integer({ min: 0, max: steps - 2 }),
    }),
    { seed: 7, numRuns: 90 },
  );

  it('as written (step numbers expose every such edit)', async () => {
    for (const { kind, step } of mutations.slice(0, 15)) {
      const lines = [...original];
      const i = step + 2;
      if (kind === 'drop') lines.splice(i, 1);
      if (kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
      if (kind === 'swap') [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', lines[i] ?? ''];
      const report = await checkText(`${lines.join('\n')}\n`);
      expect(report.exitCode, `${kind} at line ${i + 1}`).toBe(2);
      expect(report.error?.message).toMatch(/step \d+ follows step \d+|end line counts/);
    }
  });

  it('renumbered, so that only the behaviour tells', async () => {
    const tally = { rejected: 0, explained: new Map<string, number>() };
    for (const { kind, step } of mutations) {
      const lines = [...original];
      const i = step + 2;
      const a = facts(lines[i] ?? '');
      const b = kind === 'swap' ? facts(lines[i + 1] ?? '') : null;
      if (kind === 'drop') lines.splice(i, 1);
      if (kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
      if (kind === 'swap') [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', lines[i] ?? ''];
      const report = await checkText(renumbered(lines));
      if (report.exitCode !== 0) {
        tally.rejected += 1;
        continue;
      }
      const why = whyStillConforms(kind, a, b);
      expect(
        why,
        `${kind} of line ${i + 1} (${original[i]?.slice(0, 160)}) conforms without reason`,
      ).not.toBeNull();
      tally.explained.set(why ?? '', (tally.explained.get(why ?? '') ?? 0) + 1);
    }
    // Most edits break the run; the reasons above account for every one that does not.
    expect(tally.rejected).toBeGreaterThan(mutations.length / 2);
  }, 60_000);
});
