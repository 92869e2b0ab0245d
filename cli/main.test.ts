import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceLine } from '../traces/format.js';
import { main } from './main.js';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-cli-'));

describe('flink-slot-model simulate', () => {
  it('runs the demonstration on the built-in default and says what it shows', () => {
    const { code, out } = run('simulate', '--seed', '3');
    expect(code).toBe(0);
    expect(out).toContain('two echo endpoints');
    expect(out).toContain('runs of the whole cluster come with the JobMaster.');
    expect(out).toMatch(/seed 3: 400 steps, simulated time [\d.]+ s, ended: maxSteps/);
    expect(out).toContain('replay: npx flink-slot-model simulate --seed 3');
  });

  it('gives the same summary for the same seed, and another for another seed', () => {
    expect(run('simulate', '--seed', '5').out).toBe(run('simulate', '--seed', '5').out);
    expect(run('simulate', '--seed', '5').out).not.toBe(run('simulate', '--seed', '6').out);
  });

  it('writes a trace whose every line fits the trace schema, and never overwrites a file', () => {
    const path = join(dir, 'run.ndjson');
    expect(run('simulate', '--seed', '2', '--steps', '50', '--trace', path).code).toBe(0);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 1 + 50 + 1);
    for (const line of lines) expect(TraceLine.safeParse(JSON.parse(line)).success).toBe(true);

    const again = run('simulate', '--seed', '9', '--trace', path);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`error: ${path}: the file exists; choose another name or pass --force`);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(lines.length + 1);
    expect(run('simulate', '--seed', '9', '--steps', '5', '--trace', path, '--force').code).toBe(0);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(8);
  });

  it('streams the trace to standard output with --trace - and the summary to standard error', () => {
    const { code, out, err } = run('simulate', '--steps', '3', '--trace', '-');
    expect(code).toBe(0);
    expect(out.split('\n')).toHaveLength(6);
    expect(err).toContain('seed 1: 3 steps');
  });

  it('lays a configuration file over the built-in default', () => {
    const path = join(dir, 'quiet.json');
    writeFileSync(
      path,
      JSON.stringify({ sim: { maxSteps: 20, faults: { drop: 0 } }, echo: { pingIntervalMs: 10 } }),
    );
    const { code, out } = run('simulate', '--config', path);
    expect(code).toBe(0);
    expect(out).toContain('seed 1: 20 steps');
    expect(out).toContain('drop 0/0, duplicate 0/2');
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
    expect(run('simulate', '--unknown').code).toBe(2);
    expect(run('nonsense').code).toBe(2);
  });
});

describe('flink-slot-model selfcheck', () => {
  it('passes on the demonstration and says how much it compared', () => {
    const { code, out } = run('selfcheck', '--seeds', '3', '--from', '10');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^determinism self-check: seeds 10\.\.12, each run twice: 1200 steps, \d+ bytes of trace per pass, identical$/,
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
