/**
 * The template catalogue: every variant writes a line (as the simulator's logs do) that reads
 * back to the same arguments and a fact of the schema; ids are unique; every variant names the
 * releases that emit it; a line of one template is not read as another's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogFact } from '../logFact.js';
import { FLINK_VERSIONS } from '../versions.js';
import { renderTemplatesMarkdown } from './describeTemplates.js';
import { TEMPLATES, TemplateIndex } from './index.js';
import { compileVariant, matchVariant, renderTemplate, type ArgKind } from './logTemplate.js';

const SAMPLE: Record<ArgKind, string> = {
  hex32: '3b41f2b6c9f47bf531ac47e91afde9fb',
  resourceId: '10.136.100.48:35016-a4d337',
  token: '43202a2ada44e627b1d2fd8dc8c9eba7_10d8117fcd3a1e643cbc6fd935cbd6de_0_0',
  word: 'RUNNING',
  location: '10.136.100.48:35016-a4d337 @ sgkc2-devclr-v08 (dataPort=59281)',
  slotId: '10.136.100.48:35016-a4d337_1',
  number: '2',
  text: 'Source: Collection Source -> Flat Map (1/1), with {braces} and [brackets]',
};

/** What a named argument looks like where its kind is too loose (a state, a job status). */
const BY_NAME: Record<string, string> = {
  state: 'ACTIVE',
  jobState: 'FINISHED',
  prefix: 'Loading dynamic',
  to: 'FINISHED',
  from: 'RUNNING',
};

function valueFor(name: string, kind: ArgKind): string {
  return BY_NAME[name] ?? SAMPLE[kind];
}

describe('the log template catalogue', () => {
  it('has unique ids, and every variant names releases of the catalogue', () => {
    const ids = TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of TEMPLATES)
      for (const v of t.variants) {
        expect(v.versions.length, t.id).toBeGreaterThan(0);
        for (const version of v.versions) expect(FLINK_VERSIONS).toContain(version);
        expect(v.source, t.id).toMatch(/^[A-Z]\w*(\$\w+)?#\w+$/);
      }
  });

  for (const t of TEMPLATES)
    for (const v of t.variants)
      it(`${t.id} (${v.logger}, ${v.versions[0]}–${v.versions[v.versions.length - 1]}): written and read back`, () => {
        const values = t.args.map(([name, kind]) => valueFor(name, kind));
        const line = renderTemplate(v, values);
        expect(line).not.toContain('{}');
        const args = matchVariant(compileVariant(t, v), line);
        expect(args).not.toBeNull();
        expect(t.args.map(([name]) => args?.[name])).toEqual(values);
        const fact = t.fact(args ?? {});
        expect(fact).not.toBeNull();
        expect(LogFact.safeParse(fact).success).toBe(true);
      });

  it("reads a line only as its own template's, under its own logger", () => {
    const index = new TemplateIndex();
    for (const t of TEMPLATES)
      for (const v of t.variants) {
        const line = renderTemplate(
          v,
          t.args.map(([name, kind]) => valueFor(name, kind)),
        );
        const readers = index
          .candidates(v.logger)
          .filter((c) => matchVariant(c, line) !== null)
          .map((c) => c.template.id);
        expect(readers[0], line).toBe(t.id);
      }
  });

  it('a subclass logger reads the ResourceManager and Dispatcher lines; an unrelated one none', () => {
    const index = new TemplateIndex();
    const ids = (cls: string) => new Set(index.candidates(cls).map((c) => c.template.id));
    expect(ids('StandaloneResourceManager').has('registeringTaskManager')).toBe(true);
    expect(ids('ActiveResourceManager').has('requestingNewWorker')).toBe(true);
    expect(ids('MiniDispatcher').has('jobReachedTerminalState')).toBe(true);
    expect(index.knows('CheckpointCoordinator')).toBe(false);
  });
});

describe('flinklog/TEMPLATES.md', () => {
  it('is what `npm run docs` generates from the catalogue (run it after changing flinklog/templates/)', () => {
    const committed = readFileSync(new URL('../TEMPLATES.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderTemplatesMarkdown());
  });
});
