/**
 * The trace viewer's page in a real browser: Debian's chromium (CHROMIUM_PATH overrides where it
 * is) driven by playwright-core, one browser for the file. A page must load with no console error,
 * no page error and no request beyond itself; show in its summary the counts the trace holds (read
 * independently, traceFacts.ts); bring a counterexample's violation marker into view (and back,
 * with the banner's button); keep a hostile trace's strings as text; look like its committed
 * screenshot; and carry a trace of 100 000 steps, scrolled to its end and back. Nothing here
 * asserts a duration (the machines are shared): the large trace's timings are printed.
 *
 * Without chromium the tests are skipped, saying why, unless CI is set: then they fail, saying to
 * install it. `UPDATE_SCREENSHOTS=1 npx vitest run traces/view` rewrites the screenshot baseline.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainAsync } from '../../cli/main.js';
import { SAMPLES_DIR, type SampleExpectation } from '../samples/manifest.js';
import { recordLongTrace } from './longTrace.js';
import { inkOnCanvas, scrollTo } from './pageProbes.js';
import { traceFacts } from './traceFacts.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM)
  ? null
  : `no chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;
const inCi = (process.env['CI'] ?? '') !== '';
if (missing !== null && !inCi)
  console.warn(`skipping the trace viewer's browser tests: ${missing}`);

const BASELINE = join(
  'traces',
  'view',
  '__screenshots__',
  'canary-taskExecutorAcceptsOccupiedSlot.png',
);
const VIEWPORT = { width: 1280, height: 800 };
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-viewer-'));
const manifest = JSON.parse(
  readFileSync(join(SAMPLES_DIR, 'manifest.json'), 'utf8'),
) as SampleExpectation[];

/** Writes the page of a trace file with the view command; the page's path. */
async function pageFile(trace: string, name: string): Promise<string> {
  const html = join(dir, `${name}.html`);
  const quiet = { out: () => undefined, err: () => undefined };
  expect(await mainAsync(['view', trace, '-o', html, '--force'], quiet)).toBe(0);
  return html;
}

describe.skipIf(missing !== null && !inCi)(
  'the trace viewer in chromium',
  { timeout: 600_000 },
  () => {
    let context: BrowserContext | null = null;

    beforeAll(async () => {
      if (missing !== null) throw new Error(`${missing} (CI is set: the browser tests must run)`);
      context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-')), {
        executablePath: CHROMIUM,
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }, 120_000);
    afterAll(async () => context?.close());

    /** Opens a page; what went wrong in it (console errors, page errors, requests elsewhere) is kept. */
    async function open(html: string): Promise<{ page: Page; problems: string[] }> {
      if (context === null) throw new Error('no browser');
      const page = await context.newPage();
      const url = pathToFileURL(html).href;
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== url) problems.push(`request: ${r.url()}`);
      });
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]');
      return { page, problems };
    }

    it.each(manifest.filter((s) => s.kind !== 'counterexample').map((s) => [s.file, s] as const))(
      'shows %s with the counts the trace holds, and no error',
      async (file, expected) => {
        const trace = join(SAMPLES_DIR, file);
        const facts = traceFacts(readFileSync(trace, 'utf8'));
        const { page, problems } = await open(await pageFile(trace, file));
        const summary = page.locator('#summary');
        const { lanes, lifelines, messages, faults, timers, steps } = facts;
        for (const [key, value] of Object.entries({ lanes, lifelines, messages, faults, timers }))
          expect(await summary.getAttribute(`data-${key}`), key).toBe(String(value));
        expect(await summary.getAttribute('data-steps')).toBe(String(steps));
        expect(await summary.getAttribute('data-violation')).toBe('none');
        // A partial trace says so, and which components it observed.
        expect(await summary.textContent()).toContain(
          expected.kind === 'partial' ? '(a partial trace: te-1 observed)' : ' lifelines. ',
        );
        expect(await page.locator('#violation').isVisible()).toBe(false);
        expect(problems).toEqual([]);
        await page.close();
      },
    );

    it('names a row, and a message with its route and times, where the pointer is', async () => {
      const trace = join(SAMPLES_DIR, 'standalone-seed-1.ndjson');
      const { page, problems } = await open(await pageFile(trace, 'standalone'));
      expect(await page.locator('#summary').textContent()).toMatch(
        /^6 slot lanes, 304 messages \(2 of them duplicate copies\), 19 faults, 61 timer firings; 379 steps/,
      );
      // Pointing at a row in the time gutter says which step, line and time it is.
      const box = await page.locator('#scroller').boundingBox();
      // Rows are 22 px high: the sixth row's centre is 5 × 22 + 11 px down.
      await page.mouse.move(40, (box?.y ?? 0) + 5 * 22 + 11);
      await expect
        .poll(() => page.locator('#tooltip').textContent())
        .toMatch(/^step 5 \(line 7\), \d+\.\d{3} s$/);
      // Along the eleventh row the pointer meets a message's arrow: the tooltip names it, its
      // route and times; a click keeps the same words in the details panel.
      const tooltip = page.locator('#tooltip');
      let message = '';
      for (let x = 130; x < VIEWPORT.width && message === ''; x += 4) {
        await page.mouse.move(x, (box?.y ?? 0) + 10 * 22 + 11);
        const text = (await tooltip.isVisible()) ? ((await tooltip.textContent()) ?? '') : '';
        if (!text.includes(' → ')) continue;
        message = text;
        await page.mouse.click(x, (box?.y ?? 0) + 10 * 22 + 11);
      }
      expect(message).toMatch(
        /^\w[\w.]* \((tell|ask|reply|unreachable) #\d+\)\n\S+ → \S+\nsent at (the start|step \d+) \(line \d+\), [\d.]+ s\n/,
      );
      expect(await page.locator('#details-text').textContent()).toBe(message);
      expect(problems).toEqual([]);
      await page.close();
    });

    it.each(manifest.filter((s) => s.kind === 'counterexample').map((s) => [s.file, s] as const))(
      '%s opens at its violation, marked in view, and the banner brings it back',
      async (file, expected) => {
        const { page, problems } = await open(await pageFile(join(SAMPLES_DIR, file), file));
        const marker = page.locator('#violation-marker');
        const inView = async () => {
          const [m, s] = await Promise.all([
            marker.boundingBox(),
            page.locator('#scroller').boundingBox(),
          ]);
          return m !== null && s !== null && m.y >= s.y && m.y + m.height <= s.y + s.height;
        };
        expect(await page.locator('#summary').getAttribute('data-violation')).toBe(
          String(expected.line),
        );
        expect(await page.locator('#violation').textContent()).toContain(
          `at line ${expected.line}`,
        );
        expect(await marker.isVisible()).toBe(true);
        expect(await inView()).toBe(true);
        await scrollTo(page, 0);
        expect(await inView()).toBe(false);
        await page.locator('#violation-goto').click();
        await expect.poll(inView).toBe(true);
        expect(problems).toEqual([]);
        await page.close();
      },
    );

    it('keeps a trace\'s "</script>" and "<!--" as text', async () => {
      const hostile = '</script><!--<b>x</b>';
      const text = readFileSync(join(SAMPLES_DIR, 'standalone-seed-1.ndjson'), 'utf8');
      const trace = join(dir, `${hostile.replace(/\//g, '|')}.ndjson`);
      writeFileSync(trace, text.split('"ha/tick"').join(JSON.stringify(`ha/tick${hostile}`)));
      const { page, problems } = await open(await pageFile(trace, 'hostile'));
      expect(await page.locator('h1').textContent()).toBe(trace);
      expect(await page.locator('#summary').getAttribute('data-messages')).toBe('304');
      expect(await page.locator('b').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('looks like its committed screenshot', async () => {
      const trace = join(SAMPLES_DIR, 'canary-taskExecutorAcceptsOccupiedSlot.ndjson');
      const { page } = await open(await pageFile(trace, 'screenshot'));
      const actual = PNG.sync.read(await page.screenshot());
      await page.close();
      if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(BASELINE)) {
        if (process.env['UPDATE_SCREENSHOTS'] !== '1')
          throw new Error(
            `no baseline ${BASELINE}: run UPDATE_SCREENSHOTS=1 npx vitest run traces/view`,
          );
        writeFileSync(BASELINE, PNG.sync.write(actual));
        return;
      }
      const expected = PNG.sync.read(readFileSync(BASELINE));
      expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
      const diff = new PNG({ width: actual.width, height: actual.height });
      const differing = pixelmatch(
        expected.data,
        actual.data,
        diff.data,
        actual.width,
        actual.height,
        { threshold: 0.1 },
      );
      // Anti-aliasing may move a few pixels between chromium builds; a real change moves thousands.
      const allowed = Math.round(actual.width * actual.height * 0.002);
      if (differing > allowed) {
        const out = mkdtempSync(join(tmpdir(), 'flink-slot-model-screenshot-'));
        writeFileSync(join(out, 'actual.png'), PNG.sync.write(actual));
        writeFileSync(join(out, 'diff.png'), PNG.sync.write(diff));
        expect.fail(
          `${differing} pixels differ from ${BASELINE} (at most ${allowed} may): see ${join(out, 'actual.png')} and ${join(out, 'diff.png')}; if the change is meant, UPDATE_SCREENSHOTS=1 npx vitest run traces/view`,
        );
      }
    });

    it('carries a trace of 100 000 steps, scrolled to its end and back', async () => {
      const t0 = performance.now();
      const trace = recordLongTrace(join(dir, 'long.ndjson'), 100_000);
      const t1 = performance.now();
      const html = await pageFile(trace, 'long');
      const t2 = performance.now();
      const facts = traceFacts(readFileSync(trace, 'utf8'));
      const t3 = performance.now();
      const { page, problems } = await open(html);
      const t4 = performance.now();
      const summary = page.locator('#summary');
      expect(await summary.getAttribute('data-messages')).toBe(String(facts.messages));
      expect(await summary.getAttribute('data-lanes')).toBe(String(facts.lanes));
      const t5 = performance.now();
      const end = await scrollTo(page, 'end');
      const t6 = performance.now();
      expect(end.last).toBe(facts.steps);
      expect(await inkOnCanvas(page)).toBeGreaterThan(1000);
      const t7 = performance.now();
      const back = await scrollTo(page, 0);
      const t8 = performance.now();
      expect(back.first).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      console.log(
        `100k-step trace: ${facts.steps} steps, ${(readFileSync(trace).length / 2 ** 20).toFixed(1)} MiB, recorded in ${s(t1 - t0)}; ` +
          `view command (check, build, render, write) ${s(t2 - t1)}, ${Math.round(facts.steps / ((t2 - t1) / 1000))} steps/s; ` +
          `page ${(readFileSync(html).length / 2 ** 20).toFixed(1)} MiB, opened and first drawn in ${s(t4 - t3)}; ` +
          `scrolled to the end and drawn in ${s(t6 - t5)}, back to the start in ${s(t8 - t7)}`,
      );
    });
  },
);
