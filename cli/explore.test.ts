/**
 * `flink-slot-model explore` as a user runs it: a summary in TLC's manner and the exit codes (0 no
 * failure within the bounds, 1 a failure with its shortest path and trace, 3 stopped by the bound
 * on states, 2 a bad option or configuration), progress on standard error.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runForTest.js';
import { canaryBounds } from '../explorer/canaryBounds.js';
import { checkText } from '../traces/check/checkStream.js';
import { exploreCommand } from './explore.js';

const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-explore-'));

const run = runCli;

describe('flink-slot-model explore', { timeout: 120_000 }, () => {
  it('proves a small cluster clean within its bounds, with a summary and progress', () => {
    const { code, out, err } = run('explore', '--task-executors', '1', '--depth', '12');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^flink-slot-model explore: a standalone cluster of 1 TaskExecutors × 1 slots/,
    );
    expect(out).toMatch(
      /\n\d+ states generated, \d+ distinct states found, \d+ states left on queue\./,
    );
    expect(out).toMatch(/depth 12 \(widest level \d+ states\)/);
    expect(out).toContain('verdict: NO FAILURE within the bounds');
    expect(out).toContain('(the search stopped at depth 12)');
    expect(err.split('\n')).toHaveLength(12);
    expect(err).toMatch(/^Progress\(1\): \d+ states generated/);
  });

  it('reports progress within a long depth too, at most once every ten seconds', () => {
    const out: string[] = [];
    const err: string[] = [];
    let now = 0;
    // Every reading of this clock is 20 s after the one before: every chance to report is taken.
    const clock = () => (now += 20_000);
    const code = exploreCommand(
      { depth: 10 },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      clock,
    );
    expect(code).toBe(0);
    const generated = Number(/^(\d+) states generated,/m.exec(out.join('\n'))?.[1]);
    expect(generated).toBeGreaterThan(1000);
    expect(err).toHaveLength(10 + Math.floor(generated / 1000));
    for (const line of err) expect(line).toMatch(/^Progress\(\d+\): \d+ states generated/);
  });

  it('says when the bound on states stopped it, with exit code 3', () => {
    const { code, out } = run('explore', '--max-states', '50');
    expect(code).toBe(3);
    expect(out).toContain('verdict: INCOMPLETE: the search kept 50 states (--max-states)');
  });

  it('prints the shortest path to a failure and writes its trace (a canary on)', async () => {
    const bounds = canaryBounds('canary:taskExecutorIgnoresResourceManagerId');
    const config = join(dir, 'canary.json');
    writeFileSync(config, JSON.stringify(bounds));
    const trace = join(dir, 'canary.ndjson');
    const out: string[] = [];
    const code = exploreCommand(
      { config, out: trace },
      { out: (l) => out.push(l), err: () => undefined },
      () => 0,
      ['canary:taskExecutorIgnoresResourceManagerId'],
    );
    const text = out.join('\n');
    expect(code).toBe(1);
    expect(text).toMatch(/verdict: FAILURE \(conformance\) after 18 steps: /);
    expect(text).toContain('the shortest path to it:');
    expect(text).toMatch(/\n +18\. deliver #\d+: requestSlot rm → te-1 \(delivered\)/);
    expect(text).toContain(`check it: npx flink-slot-model check ${trace}`);
    expect(existsSync(trace)).toBe(true);
    const report = await checkText(readFileSync(trace));
    expect(report.verdict).toBe('violates');
    expect(report.divergence?.step).toBe(18);
  });

  it('with --out -, writes the trace alone on standard output and the rest on standard error', async () => {
    const mutant = 'canary:taskExecutorIgnoresResourceManagerId';
    const config = join(dir, 'canary-stdout.json');
    writeFileSync(config, JSON.stringify(canaryBounds(mutant)));
    const out: string[] = [];
    const err: string[] = [];
    const code = exploreCommand(
      { config, out: '-' },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      () => 0,
      [mutant],
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('verdict: FAILURE (conformance) after 18 steps');
    for (const line of out) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const report = await checkText(out.map((l) => `${l}\n`).join(''));
    expect(report.divergence?.step).toBe(18);
  });

  it('refuses a trace file that exists before it searches, not after', () => {
    const taken = join(dir, 'taken.ndjson');
    writeFileSync(taken, 'keep me\n');
    const { code, out, err } = run('explore', '--depth', '1', '--out', taken);
    expect(code).toBe(2);
    expect(err).toContain(`${taken}: the file exists; choose another name or pass --force`);
    expect(out).not.toContain('states generated');
    expect(readFileSync(taken, 'utf8')).toBe('keep me\n');
  });

  it('refuses a configuration that does not fit, and a bad option, in one line', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ maxDepth: -1 }));
    const wrong = run('explore', '--config', bad);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain(`${bad}: the configuration does not fit its schema:\n  maxDepth:`);
    expect(run('explore', '--depth', 'x').err).toMatch(/--depth/);
  });
});
