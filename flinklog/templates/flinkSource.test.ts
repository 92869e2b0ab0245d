/**
 * The catalogue against Flink's source: every variant's format string is in Flink's code at the
 * commit of every release it names, and in none it leaves out (flinklog/TEMPLATES.md lists the commits). It needs a git
 * repository of Flink holding those commits, named by FLINK_SOURCE (a clone, or a mirror's git
 * directory); without it the test is skipped, saying so. Apache Flink's full history is large,
 * so CI does not fetch it; run it after changing the catalogue:
 *
 *   FLINK_SOURCE=path/to/flink.git npx vitest run flinklog/templates/flinkSource.test.ts
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FLINK_VERSIONS, RELEASE_SOURCES } from '../versions.js';
import { TEMPLATES } from './index.js';

const SOURCE = process.env.FLINK_SOURCE;

/** Whether the literal text is in the class (the variant's `Class#method`, an inner class's outer) at the commit. */
function inSource(commit: string, source: string, literal: string): boolean {
  const cls = source.split('#')[0]?.split('$')[0] ?? source;
  const files = [`*/${cls}.java`];
  try {
    execFileSync(
      'git',
      ['-C', SOURCE ?? '.', 'grep', '-q', '-F', literal, commit, '--', ...files],
      {
        stdio: 'ignore',
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** The longest literal piece of a format (between its placeholders). */
function longestPiece(format: string): string {
  return format.split('{}').reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '');
}

describe.skipIf(SOURCE === undefined)("the catalogue against Flink's source (FLINK_SOURCE)", () => {
  for (const t of TEMPLATES)
    for (const v of t.variants)
      it(`${t.id}: "${longestPiece(v.sourceFormat ?? v.format).trim()}" in ${v.source} at ${v.versions.join(', ')}`, () => {
        const piece = longestPiece(v.sourceFormat ?? v.format);
        const missing = v.versions.filter(
          (r) => !inSource(RELEASE_SOURCES[r].commit, v.source, piece),
        );
        // The JobMaster's leadership lines came in 1.16.3 and 1.17's patch releases, after the
        // 1.17 branch point the catalogue read.
        const expected = t.id.startsWith('jobMasterService') ? ['1.17'] : [];
        expect(missing).toEqual(expected);
        // And not in the releases the catalogue leaves out (counting the template's other
        // variants of the same line, which differ in level only): judged by the whole format,
        // where the source has it as one literal.
        const whole = v.sourceFormat ?? v.format;
        const named = new Set(
          t.variants
            .filter((w) => w.source === v.source && (w.sourceFormat ?? w.format) === whole)
            .flatMap((w) => w.versions),
        );
        const unexpected = FLINK_VERSIONS.filter(
          (r) => !named.has(r) && inSource(RELEASE_SOURCES[r].commit, v.source, whole),
        );
        expect(unexpected).toEqual([]);
      });
});
