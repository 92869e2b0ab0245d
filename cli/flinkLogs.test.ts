/**
 * `check --flink-log`, `convert` and `render-logs` as a user runs them: a real cluster's logs
 * checked (text and JSON), converted to a file and checked again, a simulator trace written as
 * logs and checked; and what goes wrong in what the user gives, each one line and exit code 2,
 * with nothing of theirs overwritten.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync as run } from './runForTest.js';

const sample = (f: string) => join('flinklog', 'samples', f);
const JM = sample('flink-1.14.4-standalone-session-jm.log');
const TM = sample('flink-1.14.4-standalone-session-tm.log');
const scratch = () => mkdtempSync(join(tmpdir(), 'flink-logs-'));

describe('flink-slot-model check --flink-log, convert, render-logs', { timeout: 60_000 }, () => {
  it('checks a real cluster: files, recognised lines, what it could not see, the verdict', async () => {
    const { code, out } = await run('check', '--flink-log', JM, TM);
    expect(code).toBe(0);
    expect(out).toContain('Flink logs: 2 file(s), Flink 1.14');
    expect(out).toMatch(
      /flink-1\.14\.4-standalone-session-tm\.log: taskmanager 10\.136\.100\.48:35016-a4d337 \(named from the JobManager's log\), Flink 1\.14\.4/,
    );
    expect(out).toMatch(/recognised: .*freeSlot 1/);
    expect(out).toContain('checked: oneAllocationPerSlot');
    expect(out).toContain(
      'not observable: at INFO: the ResourceManager sent requestSlot for a slot (DeclarativeSlotManager) (logged at DEBUG only)',
    );
    expect(out).toMatch(/not recognised: \d+ entries/);
    expect(out).toMatch(/verdict: CONFORMS \(exit 0\)$/);
  });

  it('--json prints the report as one object', async () => {
    const { code, out } = await run('check', '--flink-log', JM, TM, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { verdict: string; files: unknown[]; violations: unknown[] };
    expect(report.verdict).toBe('conforms');
    expect(report.files).toHaveLength(2);
  });

  it('convert writes the log trace; check reads it back to the same verdict; an existing file is kept', async () => {
    const dir = scratch();
    const file = join(dir, 'cluster.ndjson');
    const converted = await run('convert', JM, TM, '-o', file);
    expect(converted.code).toBe(0);
    expect(converted.err).toMatch(
      /converted 2 file\(s\): \d+ events recognised, \d+ entries not recognised; wrote /,
    );
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      kind: 'header',
      format: 'flink-slot-model-log-trace',
    });
    expect(JSON.parse(lines[lines.length - 1] ?? '{}')).toMatchObject({ kind: 'end' });
    const checked = await run('check', file);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/verdict: CONFORMS/);
    const again = await run('convert', JM, '-o', file);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`error: ${file}: the file exists; choose another name or pass --force`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual(lines);
  });

  it('view draws a converted log trace as a page', async () => {
    const dir = scratch();
    const file = join(dir, 'cluster.ndjson');
    expect((await run('convert', JM, TM, '-o', file)).code).toBe(0);
    const viewed = await run('view', file);
    expect(viewed.code).toBe(0);
    expect(viewed.out).toMatch(
      /^wrote .*cluster\.html: 1 slot lane, 3 messages, 0 faults, 0 timer firings over \d+ steps/,
    );
    expect(readFileSync(join(dir, 'cluster.html'), 'utf8')).toContain('<html');
  });

  it('render-logs writes a trace as Flink logs that check conforming', async () => {
    const dir = join(scratch(), 'logs');
    const rendered = await run(
      'render-logs',
      join('traces', 'samples', 'standalone-seed-1.ndjson'),
      '--release',
      '1.15',
      '-o',
      dir,
    );
    expect(rendered.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['jobmanager.log', 'te-1.log', 'te-2.log', 'te-3.log']);
    const checked = await run('check', '--flink-log', ...files.map((f) => join(dir, f)));
    expect(checked.code).toBe(0);
    expect(checked.out).toContain('Flink 1.15');
    expect(checked.out).toContain('not recognised: 0 entries');
    const again = await run(
      'render-logs',
      join('traces', 'samples', 'standalone-seed-1.ndjson'),
      '-o',
      dir,
    );
    expect(again.code).toBe(2);
    expect(again.err).toMatch(
      /the directory exists and is not empty; choose another or pass --force/,
    );
  });

  it('bad input: one line naming it, exit 2', async () => {
    const dir = scratch();
    const notLog = join(dir, 'notes.txt');
    writeFileSync(notLog, 'hello\nworld\n');
    const badTrace = join(dir, 'bad.ndjson');
    writeFileSync(
      badTrace,
      '{"kind":"header","format":"flink-slot-model-log-trace","formatVersion":1,"flinkVersion":null,"files":[]}\n{"kind":"event"}\n',
    );
    const wrongFile = join(dir, 'wrong.ndjson');
    writeFileSync(
      wrongFile,
      '{"kind":"header","format":"flink-slot-model-log-trace","formatVersion":1,"flinkVersion":null,"files":[]}\n' +
        JSON.stringify({
          kind: 'event',
          seq: 1,
          time: 0,
          file: 3,
          line: 1,
          level: 'INFO',
          logger: 'x',
          template: 'x',
          process: 'jobmanager',
          taskManager: null,
          fact: { kind: 'registeredAtResourceManager' },
          text: '',
        }) +
        '\n',
    );
    const cases: [string[], RegExp][] = [
      [['check', '--flink-log', join(dir, 'missing.log')], /missing\.log: no such file$/],
      [['check', '--flink-log', dir], /: a directory, not a log file$/],
      [['check', '--flink-log', notLog], /notes\.txt: no line in a Flink log layout/],
      [['convert', notLog], /notes\.txt: no line in a Flink log layout/],
      [['check', badTrace], /bad\.ndjson:2: a line does not fit the log trace format: /],
      [
        ['check', 'x.ndjson', '--flink-log', JM],
        /give either a trace or --flink-log files, not both/,
      ],
      [['check'], /check needs a trace file/],
      [
        ['convert', JM, TM, '-o', TM, '--force'],
        /that is one of the logs read; choose another output/,
      ],
      [['check', wrongFile], /wrong\.ndjson:2: the event names file 3, the header lists 0/],
      [['check', '--flink-log', JM, '--grace', 'soon'], /--grace must be an integer/],
      [['render-logs', JM], /flink-1\.14\.4-standalone-session-jm\.log:1: /],
      [
        ['render-logs', join('traces', 'samples', 'standalone-seed-1.ndjson'), '--release', '1.12'],
        /--release must be one of 1\.13, /,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await run(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(err, argv.join(' ')).toMatch(message);
      expect(out).toBe('');
    }
  });
});
