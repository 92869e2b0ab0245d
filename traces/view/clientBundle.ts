/**
 * The browser client (traces/view/client/, TypeScript) bundled into one script, and its style
 * sheet, for the page to carry inline: a page opens with no network and no files beside it. The
 * bundle is made with esbuild when the first page is rendered and kept for the process; the same
 * sources give the same bytes, so the same trace gives the same page.
 */
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('./client/main.ts', import.meta.url));
const STYLE = fileURLToPath(new URL('./client/viewer.css', import.meta.url));

let cached: { script: string; style: string } | null = null;

export function clientAssets(): { script: string; style: string } {
  if (cached !== null) return cached;
  const result = buildSync({
    entryPoints: [CLIENT],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
  });
  const script = result.outputFiles[0]?.text;
  if (script === undefined) throw new Error('esbuild wrote no bundle for the trace viewer');
  const style = readFileSync(STYLE, 'utf8');
  // Both go inside the page as raw text: they must not end their own element early.
  if (/<\/script|<!--/i.test(script))
    throw new Error('the viewer bundle contains </script or <!--');
  if (/<\/style/i.test(style)) throw new Error('the viewer style sheet contains </style');
  cached = { script, style };
  return cached;
}
