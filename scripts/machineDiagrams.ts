/**
 * Writes the machine diagrams (`npm run diagrams`): a Mermaid and a Graphviz DOT file per machine in
 * docs/machines/, and docs/machines.md showing them all. Files left in docs/machines/ by a machine
 * that is gone are deleted, so that the committed diagrams are exactly the current machines'
 * (scripts/machineDiagrams.test.ts fails otherwise).
 */
import { mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DIAGRAMS_DIR,
  DIAGRAMS_PAGE,
  REPO_ROOT as root,
  diagramFiles,
  filesUnder,
} from './diagrams/diagramFiles.js';

function main(): void {
  const files = diagramFiles();
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const stale of filesUnder(DIAGRAMS_DIR).filter((path) => !files.has(path))) {
    rmSync(join(root, stale));
    console.log(`deleted ${stale}`);
    // A folder the machine was alone in goes too (git keeps no empty folder, a work tree does).
    const folder = join(root, dirname(stale));
    if (folder !== join(root, DIAGRAMS_DIR) && readdirSync(folder).length === 0) rmdirSync(folder);
  }
  console.log(`wrote ${files.size} files: ${DIAGRAMS_DIR}/ and ${DIAGRAMS_PAGE}`);
}

main();
