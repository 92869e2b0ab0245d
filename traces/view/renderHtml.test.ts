/**
 * The page (traces/view/renderHtml.ts): self-contained, escaped against a trace that carries
 * `</script>` and `<!--` in its strings and its name, and the same bytes for the same trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunks } from '../check/checkStream.js';
import { SAMPLES_DIR } from '../samples/manifest.js';
import { buildView } from './buildView.js';
import { renderHtml } from './renderHtml.js';
import type { ViewData } from './viewData.js';

const sample = (file: string) => readFileSync(join(SAMPLES_DIR, file), 'utf8');

async function pageOf(text: string, name: string): Promise<string> {
  const { data } = await buildView(chunks(text), name);
  if (data === null) throw new Error('no view');
  return renderHtml(data);
}

/** The view data as the page embeds it. */
function embedded(html: string): ViewData {
  const open = '<script type="application/json" id="view-data">';
  const start = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(start, html.indexOf('</script>', start))) as ViewData;
}

const HOSTILE = '</script><!--<script>alert(1)</script>';

describe('the trace view page', () => {
  it('keeps a hostile string in the trace and in its name as data, never as markup', async () => {
    // ha/tick is HA's own timer: renamed everywhere, the trace still conforms, and the new name
    // reaches the page in the labels of its firings.
    const text = sample('standalone-seed-1.ndjson')
      .split('"ha/tick"')
      .join(JSON.stringify(`ha/tick${HOSTILE}`));
    const name = `runs/${HOSTILE}.ndjson`;
    const html = await pageOf(text, name);
    // Only the page's own two scripts open and close; no comment is opened.
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    const data = embedded(html);
    expect(data.name).toBe(name);
    expect(data.strings.some((s) => s.includes(`fireTimer ha/ha/tick${HOSTILE}`))).toBe(true);
    expect(html).toContain(
      '<title>runs/&lt;/script&gt;&lt;!--&lt;script&gt;alert(1)&lt;/script&gt;.ndjson · flink-slot-model trace</title>',
    );
  });

  it('is self-contained: nothing to fetch', async () => {
    const html = await pageOf(sample('canary-slotPoolAcceptsSurplusOffers.ndjson'), 'c.ndjson');
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('is the same bytes for the same trace, and other bytes for another', async () => {
    const text = sample('active-seed-1.ndjson');
    const first = await pageOf(text, 'active.ndjson');
    expect(await pageOf(text, 'active.ndjson')).toBe(first);
    expect(await pageOf(sample('standalone-seed-1.ndjson'), 'active.ndjson')).not.toBe(first);
  });
});
