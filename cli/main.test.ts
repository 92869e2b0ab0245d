import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runForTest.js';
import { TraceLine } from '../traces/format.js';
import { chunks } from '../traces/check/checkStream.js';
import { check } from './check.js';
import { runCliAsync } from './runForTest.js';

const run = runCli;

const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-cli-'));

// Whole simulations run here; the limit only stops a hung test.
describe('flink-slot-model simulate', { timeout: 60_000 }, () => {
  const quick = ['--steps', '300', '--heal', '120'];

  it("runs the default cluster, prints the slot timeline in Flink's words and a verdict", () => {
    const path = join(dir, 'default.ndjson');
    const { code, out } = run('simulate', '--seed', '3', '--out', path);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^flink-slot-model: a standalone cluster of 3 TaskExecutors × 2 slots, 2 jobs/,
    );
    expect(out).toMatch(/rm becomes leader \(rm-leader-1\)/);
    expect(out).toMatch(/requestSlot te-\d#\d for job-\d as alloc-\d+/);
    expect(out).toMatch(/slot te-\d#\d: ALLOCATED → ACTIVE for job-\d/);
    expect(out).toMatch(/FAULT /);
    expect(out).toContain('verdict: PASSED');
    expect(out).toMatch(/slots: \d+ allocated, \d+ activated, \d+ freed/);
    expect(out).toContain('faults injected (of budget): drop 4/4');
    expect(out).toContain('passed: noLeakedSlot, after healing');
    expect(out).toContain(`trace: ${path}`);
    expect(out).toContain('replay: npx flink-slot-model simulate --seed 3');
  });

  it('writes the same trace for the same seed, and another for another seed', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `same-${n}.ndjson`));
    run('simulate', '--seed', '5', ...quick, '--out', a ?? '');
    run('simulate', '--seed', '5', ...quick, '--out', b ?? '');
    run('simulate', '--seed', '6', ...quick, '--out', c ?? '');
    expect(readFileSync(a ?? '', 'utf8')).toBe(readFileSync(b ?? '', 'utf8'));
    expect(readFileSync(a ?? '', 'utf8')).not.toBe(readFileSync(c ?? '', 'utf8'));
  });

  it('writes a trace whose every line fits the trace schema, and never overwrites a file', () => {
    const path = join(dir, 'run.ndjson');
    expect(run('simulate', '--seed', '2', ...quick, '--out', path).code).toBe(0);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(TraceLine.safeParse(JSON.parse(line)).success).toBe(true);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      kind: 'header',
      system: 'flink-cluster',
      seed: 2,
    });
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ kind: 'end', reason: 'healed' });

    const again = run('simulate', '--seed', '9', ...quick, '--out', path);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`error: ${path}: the file exists; choose another name or pass --force`);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(lines.length);
    expect(run('simulate', '--seed', '9', ...quick, '--out', path, '--force').code).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toBe(lines.join('\n') + '\n');
  });

  it('streams the trace to standard output with --out - and the report to standard error', () => {
    const { code, out, err } = run('simulate', ...quick, '--out', '-', '--no-timeline');
    expect(code).toBe(0);
    expect(out.split('\n').every((l) => TraceLine.safeParse(JSON.parse(l)).success)).toBe(true);
    expect(err).toContain('verdict: PASSED');
    expect(err).not.toContain('requestSlot');
  });

  it('takes the cluster size, mode and fault mix from options (and says so)', () => {
    const { code, out } = run(
      'simulate',
      ...quick,
      '--task-executors',
      '2',
      '--slots',
      '3',
      '--jobs',
      '3',
      '--parallelism',
      '1',
      '--mode',
      'active',
      '--faults',
      'drop=1,crash=1',
      '--leader-changes',
      '0',
      '--out',
      join(dir, 'sized.ndjson'),
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^flink-slot-model: a active cluster of 2 TaskExecutors × 3 slots, 3 jobs \(parallelism 1, 1, 1\)/,
    );
    expect(out).toContain(
      'faults injected (of budget): drop 1/1, duplicate 0/0, delay 0/0, reorder 0/0, crash 1/1, partition 0/0',
    );
    expect(out).toContain('leader changes 0/0');
    expect(out).toContain('--task-executors 2 --slots 3 --jobs 3 --parallelism 1 --mode active');
  });

  it('lets a client submit the last jobs during the run (--late-jobs)', () => {
    const { code, out } = run(
      'simulate',
      '--seed',
      '4',
      '--late-jobs',
      '1',
      '--out',
      join(dir, 'late.ndjson'),
    );
    expect(code).toBe(0);
    const lines = out.split('\n');
    const submitted = lines.findIndex((l) => l.includes('client at ha: submit job-2'));
    const elected = lines.findIndex((l) => l.includes('jm-job-2 becomes leader'));
    expect(submitted).toBeGreaterThan(0);
    expect(elected).toBeGreaterThan(submitted);
    expect(run('simulate', '--jobs', '2', '--late-jobs', '3').err).toBe(
      'error: --late-jobs 3: there are only 2 jobs',
    );
  });

  it('reports progress on long runs', () => {
    const { code, err } = run(
      'simulate',
      '--steps',
      '20000',
      '--heal',
      '0',
      '--no-timeline',
      '--out',
      join(dir, 'long.ndjson'),
    );
    expect(code).toBe(0);
    expect(err).toMatch(/… step 2000 of 20000 \(simulated \d+ s\)/);
  });

  it('lays a configuration file over the built-in default', () => {
    const path = join(dir, 'quiet.json');
    writeFileSync(
      path,
      JSON.stringify({ sim: { maxSteps: 50, faults: { drop: 0 } }, cluster: { taskExecutors: 1 } }),
    );
    const { code, out } = run(
      'simulate',
      '--config',
      path,
      '--heal',
      '60',
      '--out',
      join(dir, 'quiet.ndjson'),
    );
    expect(code).toBe(0);
    expect(out).toMatch(/cluster of 1 TaskExecutors × 2 slots/);
    expect(out).toMatch(/drop 0\/0, duplicate \d\/2/);
    expect(out).toContain('capacity: the jobs need 4 slots, the cluster has 2');
  });

  it('reports bad input with the file and where in it, and exit code 2', () => {
    const syntax = join(dir, 'syntax.json');
    writeFileSync(syntax, '{\n  "sim": {\n    "maxSteps": 3,\n  }\n}\n');
    expect(run('simulate', '--config', syntax)).toMatchObject({
      code: 2,
      err: expect.stringMatching(new RegExp(`^error: ${syntax}:4:3: not valid JSON`)) as unknown,
    });

    const schema = join(dir, 'schema.json');
    writeFileSync(
      schema,
      JSON.stringify({ sim: { maxSteps: -1, faults: { crash: 'x' } }, extra: 1 }),
    );
    const bad = run('simulate', '--config', schema);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`error: ${schema}: the configuration does not fit its schema:`);
    expect(bad.err).toContain('sim.maxSteps: Too small');
    expect(bad.err).toContain('sim.faults.crash: Invalid input: expected number');
    expect(bad.err).toContain('Unrecognized key: "extra"');

    expect(run('simulate', '--config', join(dir, 'missing.json'))).toMatchObject({
      code: 2,
      err: `error: ${join(dir, 'missing.json')}: cannot read the file (ENOENT)`,
    });
    expect(run('simulate', '--seed', '-4')).toMatchObject({ code: 2 });
    expect(run('simulate', '--seed', 'abc').err).toBe(
      'error: --seed must be an integer from 0 to 4294967295, got "abc"',
    );
    expect(run('simulate', '--faults', 'drop=2,meteor=1').err).toMatch(
      /^error: --faults: "meteor=1" is neither a preset \(none, light, heavy\) nor kind=count/,
    );
    expect(run('simulate', '--slots', '0').err).toBe(
      'error: --slots must be an integer from 1 to 16, got "0"',
    );
    expect(run('simulate', '--mode', 'yarn').code).toBe(2);
    expect(run('simulate', '--out', join(dir, 'no', 'such', 'dir.ndjson')).err).toMatch(
      /cannot write the trace \(ENOENT\)/,
    );
    expect(run('simulate', '--unknown').code).toBe(2);
    expect(run('nonsense').code).toBe(2);
  });
});

describe('flink-slot-model selfcheck', () => {
  it('passes on the whole cluster and says how much it compared', () => {
    const { code, out } = run('selfcheck', '--seeds', '3', '--from', '10');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^determinism self-check: seeds 10\.\.12, each run twice: 6000 steps, \d+ bytes of trace per pass, identical$/,
    );
  });
});

describe('flink-slot-model protocol', () => {
  it('prints the catalogue', () => {
    const { code, out } = run('protocol');
    expect(code).toBe(0);
    expect(out).toContain('### TaskExecutor.requestSlot');
  });
});

describe('flink-slot-model properties', { timeout: 120_000 }, () => {
  it('runs a campaign, prints the verdict, the race statistics and the replay command', () => {
    const { code, out } = run('properties', '--runs', '8', '--seed', '3');
    expect(code).toBe(0);
    expect(out).toMatch(/^flink-slot-model properties: 8 generated runs from seed 3/);
    expect(out).toMatch(/verdict: PASSED — 8 runs, \d+ steps, every invariant held/);
    expect(out).toMatch(/slotAllocated\s+\d+ of 8 runs/);
    expect(out).toContain('replay: npx flink-slot-model properties --seed 3 --runs 8');
  });

  it('rejects a path that is not a fast-check path, with exit code 2', () => {
    const { code, err } = run('properties', '--path', 'x:1');
    expect(code).toBe(2);
    expect(err).toBe(
      'error: --path must be a fast-check path such as 4:0:2 (printed with a counterexample), got "x:1"',
    );
    expect(run('properties', '--runs', '0').code).toBe(2);
  });
});

const runAsync = runCliAsync;

describe('flink-slot-model check', () => {
  const sample = (file: string) => join('traces', 'samples', file);

  it('exit 0 for a conforming trace, with what it checked', async () => {
    const { code, out } = await runAsync('check', sample('standalone-seed-1.ndjson'));
    expect(code).toBe(0);
    expect(out).toMatch(
      /^traces\/samples\/standalone-seed-1\.ndjson: 382 lines, 379 steps checked \(every component observed\)/,
    );
    expect(out).toMatch(/verdict: CONFORMS \(exit 0\)$/);
  });

  it('exit 1 for a counterexample, naming the line, the machine, its state and what it allowed', async () => {
    const { code, out } = await runAsync(
      'check',
      sample('canary-taskExecutorIgnoresResourceManagerId.ndjson'),
    );
    expect(code).toBe(1);
    expect(out).toContain(
      'divergence at line 42 (step 40): deliver #38: requestSlot rm → te-1 (delivered)',
    );
    expect(out).toContain(
      'te-1 taskSlot[2]: the model is in free:null, the trace observed allocated:alloc-7',
    );
    expect(out).toContain('broken invariant staleMessagesChangeNothing at line 42 (step 40):');
  });

  it('--json prints one object for tools', async () => {
    const { code, out } = await runAsync(
      'check',
      '--json',
      sample('canary-slotPoolAcceptsSurplusOffers.ndjson'),
    );
    expect(code).toBe(1);
    const report = JSON.parse(out) as {
      verdict: string;
      violations: { invariant: string; line: number }[];
    };
    expect(report.verdict).toBe('violates');
    expect(report.violations[0]).toMatchObject({
      invariant: 'poolTakesSlotsOnlyForRequirements',
      line: 53,
    });
  });

  it("--only checks one component's view in relaxed mode, and says what it could not check", async () => {
    const { code, out } = await runAsync(
      'check',
      '--only',
      'te-2',
      sample('standalone-seed-1.ndjson'),
    );
    expect(code).toBe(0);
    expect(out).toContain('(relaxed: only te-2 observed)');
    expect(out).toContain(
      'not checked: the machines of te-1, te-3, rm, jm-job-1, jm-job-2: not observed',
    );
  });

  it('reads standard input with -', async () => {
    const out: string[] = [];
    const text = readFileSync(sample('canary-slotPoolAcceptsSurplusOffers.ndjson'));
    const code = await check(
      '-',
      {},
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      chunks(text, 1000),
    );
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^\(standard input\): 54 lines, 51 steps checked/);
  });

  it('exit 2 with one line naming the file and line for unusable input', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(
      bad,
      `${readFileSync(sample('standalone-seed-1.ndjson'), 'utf8').split('\n')[0]}\n{"kind":"start"\n`,
    );
    const { code, err, out } = await runAsync('check', bad);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.startsWith(`${bad}:2: not JSON (`)).toBe(true);
    expect(err).not.toContain('\n');
    expect((await runAsync('check', join(dir, 'missing.ndjson'))).err).toMatch(
      /missing\.ndjson: no such file$/,
    );
    expect((await runAsync('check', dir)).err).toMatch(/a directory, not a trace file$/);
  });
});
