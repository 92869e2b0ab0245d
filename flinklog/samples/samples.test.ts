/**
 * Real, public Flink logs (flinklog/samples/SOURCES.md says where each comes from) converted and
 * checked: the release read from the banner, the TaskManager named, the lines recognised, the
 * verdict. Then the same logs made worse: a violation put into a real log is found with its real
 * lines around it, and lines nobody knows, interleaved everywhere, change nothing but the count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertLogs, type LogSource } from '../convert.js';
import { buildLogReport } from '../logReport.js';
import { templateLine } from '../logLines.js';

interface Sample {
  readonly name: string;
  readonly files: readonly string[];
  readonly deployment: 'standalone' | 'yarn' | 'kubernetes';
  readonly release: string | null;
  readonly verdict: 'conforms' | 'violates';
  readonly taskManagers: readonly string[];
  readonly recognises: readonly string[];
}

const DIR = join(import.meta.dirname, '.');
const SAMPLES = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Sample[];
const read = (file: string) => readFileSync(join(DIR, file), 'utf8').split('\n');
const sources = (files: readonly string[], edit = (lines: string[]) => lines): LogSource[] =>
  files.map((f) => ({ path: f, lines: edit(read(f)) }));

describe('real Flink logs', () => {
  it('cover several releases, and standalone and active deployments', () => {
    const releases = new Set(
      SAMPLES.flatMap((s) => s.files.map((f) => /flink-(\d+\.\d+)/.exec(f)?.[1])),
    );
    expect(releases.size).toBeGreaterThanOrEqual(3);
    expect(new Set(SAMPLES.map((s) => s.deployment))).toEqual(
      new Set(['standalone', 'yarn', 'kubernetes']),
    );
    expect(readFileSync(join(DIR, 'SOURCES.md'), 'utf8')).toContain('https://github.com/');
    for (const s of SAMPLES)
      for (const f of s.files) expect(readFileSync(join(DIR, 'SOURCES.md'), 'utf8')).toContain(f);
  });

  for (const sample of SAMPLES)
    it(`${sample.name}: converts and checks`, async () => {
      const trace = await convertLogs(sources(sample.files));
      const report = buildLogReport(trace);
      expect(report.flinkVersion).toBe(sample.release);
      expect(report.verdict, JSON.stringify(report.violations, null, 1)).toBe(sample.verdict);
      for (const id of sample.recognises) expect(report.recognised[id], id).toBeGreaterThan(0);
      // Every line recognised is one the catalogue gives the log's release.
      expect(report.notes.filter((n) => n.includes('matched, but the catalogue'))).toEqual([]);
      expect(
        trace.header.files.flatMap((f) => (f.taskManager === null ? [] : [f.taskManager])),
      ).toEqual(sample.taskManagers);
      // Every line is accounted for: recognised, or counted as not.
      for (const f of trace.header.files)
        expect(f.entries).toBe(f.recognised + (f.entries - f.recognised));
      expect(report.unknown.entries).toBe(
        trace.header.files.reduce((n, f) => n + f.entries - f.recognised, 0),
      );
    });

  it('a second allocation put into a real TaskManager log is found, with the real lines behind it', async () => {
    const files = [
      'flink-1.14.4-standalone-session-jm.log',
      'flink-1.14.4-standalone-session-tm.log',
    ];
    const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const report = buildLogReport(
      await convertLogs(
        sources(files, (lines) => {
          if (!lines.some((l) => l.includes('Free slot TaskSlot(index:0'))) return lines;
          const at = lines.findIndex((l) => l.includes('Activate slot'));
          // After the slot went ACTIVE, the same TaskManager takes another allocation into slot 0
          // and later frees it there: two AllocationIDs in one slot.
          const stamp = lines[at]?.slice(0, 23) ?? '';
          const allocated = stamp + templateLine(0, 'allocatedSlot', [B]).slice(23);
          const freed =
            stamp +
            templateLine(0, 'freeSlot', [
              0,
              'ALLOCATED',
              'ResourceProfile{}',
              B,
              'f69c1ca4892ecbc08d4247ded254f467',
            ]).slice(23);
          return [...lines.slice(0, at + 1), allocated, freed, ...lines.slice(at + 1)];
        }),
      ),
    );
    expect(report.verdict).toBe('violates');
    const v = report.violations[0];
    expect(v?.invariant).toBe('oneAllocationPerSlot');
    expect(v?.message).toMatch(
      /slot 0 of TaskManager 10\.136\.100\.48:35016-a4d337 is allocated to b+ while it still holds 3b41f2b6c9f47bf531ac47e91afde9fb/,
    );
    expect(
      v?.lines.some((l) => l.text === 'Allocated slot for 3b41f2b6c9f47bf531ac47e91afde9fb.'),
    ).toBe(true);
  });

  it('lines nobody knows, anywhere (a stack trace, binary noise, a huge line), change only the counts', async () => {
    const files = [
      'flink-2.0.0-docker-compose-standalone-jm.log',
      'flink-2.0.0-docker-compose-standalone-tm.log',
    ];
    const clean = buildLogReport(await convertLogs(sources(files)));
    const noisy = buildLogReport(
      await convertLogs(
        sources(files, (lines) =>
          lines.flatMap((l, i) =>
            i % 7 === 3
              ? [
                  l,
                  '2025-03-26 11:59:00,000 INFO  org.example.Unknown [] - something else',
                  '\u0000\u00ff garbage',
                  'x'.repeat(20_000),
                ]
              : [l],
          ),
        ),
      ),
    );
    expect(noisy.verdict).toBe(clean.verdict);
    expect(noisy.recognised).toEqual(clean.recognised);
    expect(noisy.unknown.entries).toBeGreaterThan(clean.unknown.entries);
  });

  it('the same logs in the other layouts (log4j1, the thread before or after the level) give the same facts', async () => {
    const files = [
      'flink-1.14.4-standalone-session-jm.log',
      'flink-1.14.4-standalone-session-tm.log',
    ];
    const facts = async (edit: (line: string) => string) =>
      (await convertLogs(sources(files, (lines) => lines.map(edit)))).events.map((e) => [
        e.line,
        e.fact,
      ]);
    const head = /^(\S+ \S+) (\w+)\s+(\S+)\s+\[\] - (.*)$/;
    const relayout = (to: (m: RegExpExecArray) => string) => (line: string) => {
      const m = head.exec(line);
      return m === null ? line : to(m);
    };
    const log4j2 = await facts((l) => l);
    expect(log4j2.length).toBeGreaterThan(10);
    expect(await facts(relayout((m) => `${m[1]} ${m[2]}  ${m[3]?.padEnd(60)} - ${m[4]}`))).toEqual(
      log4j2,
    );
    expect(
      await facts(
        relayout(
          (m) => `${m[1]} [flink-akka.actor.default-dispatcher-5] ${m[2]}  ${m[3]} - ${m[4]}`,
        ),
      ),
    ).toEqual(log4j2);
    expect(await facts(relayout((m) => `${m[1]} ${m[2]}  [main] ${m[3]} - ${m[4]}`))).toEqual(
      log4j2,
    );
  });
});
