/** Writes docs/protocol.md from the protocol catalogue (`npm run docs`). */
import { writeFileSync } from 'node:fs';
import { renderCatalogueMarkdown } from '../protocol/describe.js';

const target = new URL('../docs/protocol.md', import.meta.url);
writeFileSync(target, renderCatalogueMarkdown());
console.log('wrote docs/protocol.md');
