// The committed machine diagrams are current: every file `npm run diagrams` writes is regenerated
// here in memory and compared with what is committed, a file in docs/machines/ that the script
// would not write (a machine that is gone or renamed) fails, and machines/allMachines.ts, which the
// diagrams are drawn from, lists every machine a `*.machine.ts` file exports. The README shows one
// of them, which must be current too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StateMachine } from 'xstate';
import { ALL_MACHINES } from '../machines/allMachines.js';
import { DIAGRAMS_DIR, REPO_ROOT, diagramFiles, filesUnder } from './diagrams/diagramFiles.js';

const files = diagramFiles();
const RUN = 'run `npm run diagrams` and commit the result';

describe('the committed machine diagrams', () => {
  it.each([...files.keys()])('%s is what `npm run diagrams` writes', (path) => {
    const full = join(REPO_ROOT, path);
    expect(existsSync(full), `${path} is missing: ${RUN}`).toBe(true);
    expect(readFileSync(full, 'utf8'), `${path} is stale: ${RUN}`).toBe(files.get(path));
  });

  it(`holds no file in ${DIAGRAMS_DIR}/ of a machine that no longer exists`, () => {
    const orphans = filesUnder(DIAGRAMS_DIR).filter((path) => !files.has(path));
    expect(orphans, `no machine is drawn in these files: ${RUN} (it deletes them)`).toEqual([]);
  });

  it('are the same bytes each time they are generated', () => {
    expect(diagramFiles()).toEqual(files);
  });
});

describe("the README's diagram", () => {
  it('is the TaskSlot diagram `npm run diagrams` writes', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const shown = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    const path = `${DIAGRAMS_DIR}/taskExecutor/taskSlot.mmd`;
    expect(files.get(path), path).toBeDefined();
    expect(shown, `README.md shows ${path} in its first mermaid block: copy it there`).toBe(
      files.get(path),
    );
  });
});

describe('machines/allMachines.ts', () => {
  it('lists every machine a *.machine.ts file exports, under its file, once', async () => {
    const listed = ALL_MACHINES.flatMap(({ folder, machines }) =>
      machines.map(([name, machine]) => `machines/${folder}/${name}.machine.ts: ${machine.id}`),
    );
    const exported: string[] = [];
    for (const path of filesUnder('machines').filter((p) => p.endsWith('.machine.ts'))) {
      const exports = (await import(pathToFileURL(join(REPO_ROOT, path)).href)) as object;
      for (const value of Object.values(exports))
        if (value instanceof StateMachine) exported.push(`${path}: ${value.id}`);
    }
    expect(exported.length).toBeGreaterThan(0);
    expect(listed.sort()).toEqual(exported.sort());
  });
});
