/**
 * Bad input: every kind the traces issue lists gets one clear line naming the line it is on (exit
 * code 2), or a streamed result, never a crash, a hang or unbounded reading; a fuzz test over
 * generated corruptions backs this up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../samples/manifest.js';
import { checkStream, checkText } from './checkStream.js';
import { MAX_LINE_BYTES } from './lineReader.js';
import type { CheckReport } from './report.js';

const good = readFileSync(
  join(SAMPLES_DIR, 'canary-taskExecutorIgnoresResourceManagerId.ndjson'),
  'utf8',
);
const conforming = readFileSync(join(SAMPLES_DIR, 'standalone-seed-1-te-1.ndjson'), 'utf8');
const lines = good.trimEnd().split('\n');
const json = (i: number) => JSON.parse(lines[i] ?? '') as Record<string, unknown>;
const text = (ls: readonly string[]) => `${ls.join('\n')}\n`;
/** The trace with line `i` (0-based) replaced. */
const withLine = (i: number, line: string) => text(lines.map((l, j) => (j === i ? line : l)));
/** The first step line (0-based) that delivers a message. */
const deliverAt = lines.findIndex((l) => l.includes('"step":{"kind":"deliver"'));

function unusable(report: CheckReport, line: number, message: RegExp): void {
  expect(report.exitCode, JSON.stringify(report)).toBe(2);
  expect(report.verdict).toBe('unusable');
  expect(report.error?.line).toBe(line);
  expect(report.error?.message).toMatch(message);
  expect(report.error?.message).not.toContain('\n');
}

describe('bad input: one clear line with its line number, exit code 2', () => {
  it('malformed JSON', async () => {
    unusable(await checkText(withLine(3, '{"kind":"step",')), 4, /^not JSON/);
  });

  it('a missing header', async () => {
    unusable(
      await checkText(text(lines.slice(1))),
      1,
      /a start line before the header: a trace starts with its header line/,
    );
  });

  it('an unknown header', async () => {
    const header = { ...json(0), format: 'some-other-trace' };
    unusable(
      await checkText(withLine(0, JSON.stringify(header))),
      1,
      /unknown format "some-other-trace"/,
    );
  });

  it('a newer format version', async () => {
    const header = { ...json(0), formatVersion: 9 };
    unusable(
      await checkText(withLine(0, JSON.stringify(header))),
      1,
      /format version 9 is newer than this checker reads \(2\)/,
    );
  });

  it('an unknown event kind and an unknown line kind', async () => {
    const step = json(deliverAt);
    const teleport = { ...step, step: { kind: 'teleport', seq: 1 } };
    unusable(
      await checkText(withLine(deliverAt, JSON.stringify(teleport))),
      deliverAt + 1,
      /step\.kind: Invalid discriminator value/,
    );
    unusable(
      await checkText(withLine(deliverAt, '{"kind":"teleport"}')),
      deliverAt + 1,
      /unknown line kind "teleport"/,
    );
  });

  it('missing and mistyped fields', async () => {
    const noTime = json(deliverAt);
    delete noTime['time'];
    unusable(
      await checkText(withLine(deliverAt, JSON.stringify(noTime))),
      deliverAt + 1,
      /^step line: time: .*expected number, received undefined/,
    );
    const mistyped = { ...json(deliverAt), index: '3' };
    unusable(
      await checkText(withLine(deliverAt, JSON.stringify(mistyped))),
      deliverAt + 1,
      /^step line: index: .*expected number, received string/,
    );
  });

  it('a message the protocol catalogue does not declare, or sent to a component that does not take it', async () => {
    const line = lines[deliverAt] ?? '';
    const renamed = line.replace(/"type":"([a-zA-Z]+)"/, '"type":"teleportSlot"');
    unusable(
      await checkText(withLine(deliverAt, renamed)),
      deliverAt + 1,
      /"teleportSlot" is no message of the protocol catalogue/,
    );
  });

  it('ids that were never introduced: a message, an endpoint, a timer', async () => {
    const step = json(deliverAt) as {
      step: { seq: number };
      outcome: { envelope: { seq: number } };
    };
    const ghost = {
      ...step,
      step: { ...step.step, seq: 99_999 },
      outcome: { ...step.outcome, envelope: { ...step.outcome.envelope, seq: 99_999 } },
    };
    unusable(
      await checkText(withLine(deliverAt, JSON.stringify(ghost))),
      deliverAt + 1,
      /message #99999 is not in flight/,
    );
    const stranger = (lines[deliverAt] ?? '').replaceAll('"te-1"', '"te-9"');
    unusable(
      await checkText(withLine(deliverAt, stranger)),
      deliverAt + 1,
      /te-9 is not an endpoint of this cluster/,
    );
    const timer = {
      ...json(deliverAt),
      step: { kind: 'fireTimer', endpoint: 'te-1', name: 'neverArmed' },
      outcome: {
        kind: 'timerFired',
        timer: { endpoint: 'te-1', name: 'neverArmed', fireAt: 1, askId: null, data: null },
      },
      effects: [],
    };
    unusable(
      await checkText(withLine(deliverAt, JSON.stringify(timer))),
      deliverAt + 1,
      /timer te-1\/neverArmed fires but is not armed/,
    );
  });

  it('truncation in the middle of a line', async () => {
    const cut = good.slice(0, good.length - 40);
    unusable(await checkText(cut), lines.length, /^truncated: the input ends inside this line/);
  });

  it('an empty file, and one of blank lines', async () => {
    unusable(await checkText(''), 1, /^empty: a trace starts with its header line/);
    unusable(await checkText('\n\n  \n'), 1, /^empty/);
  });

  it('__proto__ and constructor keys', async () => {
    const proto = (lines[deliverAt] ?? '').replace('{', '{"__proto__":{"polluted":true},');
    unusable(
      await checkText(withLine(deliverAt, proto)),
      deliverAt + 1,
      /the key "__proto__" is not allowed/,
    );
    const ctor = (lines[0] ?? '').replace('{', '{"constructor":{"prototype":{}},');
    unusable(
      await checkText(withLine(0, ctor)),
      1,
      /the key "(constructor|prototype)" is not allowed/,
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('binary garbage', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256);
    const report = await checkText(garbage);
    expect(report.exitCode).toBe(2);
    expect(report.error?.line).toBe(1);
    expect(report.error?.message).toMatch(/not UTF-8 text|not JSON/);
  });

  it('a very long line ends the read at the limit, not at the end of the line', async () => {
    let read = 0;
    // 4 GiB without a line feed, made as it is read: the checker must stop at the limit.
    function* endless(): Generator<Uint8Array> {
      const block = new Uint8Array(1 << 20).fill(0x61);
      for (let i = 0; i < 4096; i++) {
        read += block.length;
        yield block;
      }
    }
    const report = await checkStream(endless());
    unusable(report, 1, new RegExp(`longer than ${MAX_LINE_BYTES} bytes`));
    expect(read).toBeLessThanOrEqual(MAX_LINE_BYTES + (2 << 20));
  });

  it('a file of several GB stops at its first bad line, having read only that far', async () => {
    let read = 0;
    function* prefixedGarbage(): Generator<Uint8Array> {
      read += good.length;
      yield new TextEncoder().encode(lines.slice(0, 5).join('\n') + '\n');
      const block = new TextEncoder().encode('not a trace line\n'.repeat(1 << 16));
      for (let i = 0; i < 4096; i++) {
        read += block.length;
        yield block;
      }
    }
    unusable(await checkStream(prefixedGarbage()), 6, /^not JSON/);
    expect(read).toBeLessThan(4 << 20);
  });
});

describe('line ends and byte-order marks of other tools are accepted', () => {
  it('CRLF line ends', async () => {
    const report = await checkText(conforming.replaceAll('\n', '\r\n'));
    expect(report.verdict, JSON.stringify(report.error)).toBe('conforms');
  });

  it('a byte-order mark at the start (and only there)', async () => {
    expect((await checkText(`\uFEFF${conforming}`)).verdict).toBe('conforms');
    const inside = conforming.replace('\n', '\n\uFEFF');
    unusable(await checkText(inside), 2, /byte-order mark in the middle/);
  });

  it('a last line without its line feed', async () => {
    expect((await checkText(conforming.trimEnd())).verdict).toBe('conforms');
  });
});

/** Corruptions of a trace's bytes and lines. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('line' as const), at: fc.nat(), json: fc.json() }),
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(),
    key: fc.constantFrom(
      'kind',
      'index',
      'time',
      'step',
      'outcome',
      'effects',
      'states',
      'seq',
      'observed',
      'config',
      'formatVersion',
      '__proto__',
      'constructor',
    ),
    value: fc.jsonValue(),
  }),
  fc.record({ kind: fc.constant('shuffle' as const), at: fc.nat(), to: fc.nat() }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer T> ? T : never;

function corrupt(source: string, c: Corruption): Uint8Array {
  const bytes = new TextEncoder().encode(source);
  const at = c.at % (bytes.length + 1);
  const ls = source.split('\n');
  const li = c.at % ls.length;
  switch (c.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + c.length)]);
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...c.bytes, ...bytes.subarray(at)]);
    case 'flip': {
      const copy = Uint8Array.from(bytes);
      if (at < copy.length) copy[at] = (copy[at] ?? 0) ^ (1 << c.bit);
      return copy;
    }
    case 'line':
      ls[li] = c.json;
      return new TextEncoder().encode(ls.join('\n'));
    case 'field': {
      try {
        const object = JSON.parse(ls[li] ?? '') as Record<string, unknown>;
        ls[li] = JSON.stringify(object).replace(
          '{',
          `{${JSON.stringify(c.key)}:${JSON.stringify(c.value) ?? 'null'},`,
        );
      } catch {
        ls[li] = JSON.stringify({ [c.key]: c.value });
      }
      return new TextEncoder().encode(ls.join('\n'));
    }
    case 'shuffle': {
      const [moved] = ls.splice(li, 1);
      ls.splice(c.to % (ls.length + 1), 0, moved ?? '');
      return new TextEncoder().encode(ls.join('\n'));
    }
  }
}

describe('fuzz: any corruption of a trace gets a report, never a crash', () => {
  it('a report with a verdict, and for unusable input one line naming a line of the input', async () => {
    const lineCount = lines.length;
    await fc.assert(
      fc.asyncProperty(corruption, async (c) => {
        const input = corrupt(good, c);
        const report = await checkText(input, undefined);
        expect([0, 1, 2]).toContain(report.exitCode);
        if (report.exitCode === 2) {
          expect(report.error?.message).not.toContain('\n');
          expect(report.error?.line).toBeGreaterThanOrEqual(1);
          expect(report.error?.line).toBeLessThanOrEqual(lineCount + 40);
        } else {
          expect(report.error).toBeNull();
        }
      }),
      { seed: 20261121, numRuns: 300 },
    );
  }, 120_000);
});
