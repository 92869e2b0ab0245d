/** Writes flinklog/TEMPLATES.md from the log template catalogue (`npm run docs`). */
import { writeFileSync } from 'node:fs';
import { renderTemplatesMarkdown } from '../flinklog/templates/describeTemplates.js';

writeFileSync(new URL('../flinklog/TEMPLATES.md', import.meta.url), renderTemplatesMarkdown());
console.log('wrote flinklog/TEMPLATES.md');
