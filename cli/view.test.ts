/**
 * `flink-slot-model view`: where the page goes (beside the trace, never over an existing file, -o,
 * --force, standard output), what it says about the trace, and its exit codes: 0 a page written
 * (a violating trace included), 2 nothing written, with one line saying why.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunks } from '../traces/check/checkStream.js';
import { runCliAsync } from './runForTest.js';
import { view } from './view.js';

const samples = join('traces', 'samples');
const CANARY = 'canary-taskExecutorAcceptsOccupiedSlot.ndjson';
const CONFORMING = 'standalone-seed-1.ndjson';

const run = runCliAsync;

/** A fresh directory holding a copy of one sample. */
function withSample(file: string): { dir: string; trace: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-view-'));
  const trace = join(dir, file);
  copyFileSync(join(samples, file), trace);
  return { dir, trace };
}

const isPage = (path: string) => readFileSync(path, 'utf8').startsWith('<!doctype html>');

describe('flink-slot-model view', { timeout: 60_000 }, () => {
  it('writes the page beside the trace, then beside it again under a new name, never over it', async () => {
    const { dir, trace } = withSample(CANARY);
    const stem = join(dir, CANARY.replace(/\.ndjson$/, ''));
    const first = await run('view', trace);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')[0]).toBe(
      `wrote ${stem}.html: 6 slot lanes, 83 messages, 1 fault, 3 timer firings over 82 steps (${Math.ceil(readFileSync(`${stem}.html`).length / 1024)} KiB)`,
    );
    // A violating trace is still viewed (exit 0), and the output says the page shows it.
    expect(first.out.split('\n')[1]).toBe(
      'the page shows a violation: divergence at line 84 (step 82): deliver #79: requestSlot rm → te-1 (delivered)',
    );
    const page = readFileSync(`${stem}.html`, 'utf8');
    expect((await run('view', trace)).out).toMatch(new RegExp(`^wrote ${stem}-2\\.html: `));
    expect((await run('view', trace)).out).toMatch(new RegExp(`^wrote ${stem}-3\\.html: `));
    expect(readFileSync(`${stem}.html`, 'utf8')).toBe(page);
    expect(readFileSync(`${stem}-3.html`, 'utf8')).toBe(page);
  });

  it('says when the checker found no violation', async () => {
    const { trace } = withSample('standalone-seed-1-te-1.ndjson');
    const { code, out } = await run('view', trace);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toBe('the checker found no violation');
  });

  it('-o names the page; an existing file is refused in one line, exit 2, unless --force', async () => {
    const { dir, trace } = withSample(CONFORMING);
    const target = join(dir, 'page.html');
    writeFileSync(target, 'mine');
    const refused = await run('view', trace, '-o', target);
    expect(refused).toEqual({
      code: 2,
      out: '',
      err: `error: ${target}: the file exists; choose another name or pass --force`,
    });
    expect(readFileSync(target, 'utf8')).toBe('mine');
    const forced = await run('view', trace, '-o', target, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(new RegExp(`^wrote ${target}: `));
    expect(isPage(target)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([CONFORMING, 'page.html'].sort());
  });

  it('reads standard input with -: the page to standard output, the words to standard error', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const text = readFileSync(join(samples, CANARY));
    expect(await view('-', {}, io, chunks(text, 1000))).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^<!doctype html>[^]*<\/html>$/);
    expect(out[0]).toContain('"name":"(standard input)"');
    expect(err[0]).toMatch(/^wrote the page to standard output: 6 slot lanes/);

    const { dir } = withSample(CONFORMING);
    const target = join(dir, 'stdin.html');
    out.length = 0;
    expect(await view('-', { output: target }, io, chunks(text, 1000))).toBe(0);
    expect(out[0]).toBe(
      `wrote ${target}: 6 slot lanes, 83 messages, 1 fault, 3 timer firings over 82 steps (${Math.ceil(readFileSync(target).length / 1024)} KiB)`,
    );
    expect(isPage(target)).toBe(true);
  });

  it('exit 2 and no page for input the checker cannot use, with its one line naming file and line', async () => {
    const { dir } = withSample(CONFORMING);
    const bad = join(dir, 'bad.ndjson');
    const header = readFileSync(join(samples, CONFORMING), 'utf8').split('\n')[0] ?? '';
    writeFileSync(bad, `${header}\n{"kind":"start"\n`);
    const { code, out, err } = await run('view', bad);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^${bad}:2: not JSON \\([^\\n]*\\)$`));
    expect(readdirSync(dir).sort()).toEqual(['bad.ndjson', CONFORMING]);

    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '');
    expect(await run('view', empty)).toMatchObject({
      code: 2,
      err: `${empty}:1: empty: a trace starts with its header line`,
    });
    const binary = join(dir, 'binary.ndjson');
    writeFileSync(binary, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x0a]));
    expect(await run('view', binary)).toMatchObject({
      code: 2,
      err: `${binary}:1: not UTF-8 text (binary data?)`,
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.html'))).toEqual([]);

    const missing = await run('view', join(dir, 'missing.ndjson'));
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`error: ${join(dir, 'missing.ndjson')}: no such file`);
    expect((await run('view', dir)).err).toMatch(/a directory, not a trace file$/);
  });

  it('documents its exit codes in its help', async () => {
    const { code, out } = await run('view', '--help');
    expect(code).toBe(0);
    // Commander wraps the description: compare its words.
    expect(out.replace(/\s+/g, ' ')).toContain(
      'exit 0 the page was written (also when it shows a violation), 2 nothing written (unusable input, or the page file exists)',
    );
    expect(out).toContain('-o, --output <file>');
  });
});
