/**
 * What the trace viewer's browser tests (viewer.browser.test.ts) read from a page: functions run in
 * the page by playwright, which scroll the diagram and look at what the canvas drew.
 */
import type { Page } from 'playwright-core';

/**
 * The little of the page's DOM that the functions run in the page use: this file is compiled for
 * Node, without the DOM's types, and these functions reach the page's globals through globalThis.
 */
interface PageWindow {
  readonly document: { getElementById(id: string): PageElement | null };
  requestAnimationFrame(callback: (time: number) => void): number;
}
interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly width: number;
  readonly height: number;
  readonly dataset: Readonly<Record<string, string | undefined>>;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** The rows the last frame drew, after the scroller is moved and two frames have passed. */
export async function scrollTo(
  page: Page,
  top: number | 'end',
): Promise<{ first: number; last: number }> {
  return page.evaluate(async (to) => {
    const w = globalThis as unknown as PageWindow;
    const scroller = w.document.getElementById('scroller');
    const canvas = w.document.getElementById('diagram');
    if (scroller === null || canvas === null) throw new Error('no #scroller or #diagram');
    scroller.scrollTop = to === 'end' ? scroller.scrollHeight : to;
    await new Promise((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
    return {
      first: Number(canvas.dataset['firstRow']),
      last: Number(canvas.dataset['lastRow']),
    };
  }, top);
}

/** How many pixels of the canvas's rows are not white: the frame drew something. */
export function inkOnCanvas(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageWindow;
    const canvas = document.getElementById('diagram');
    const ctx = canvas?.getContext('2d') ?? null;
    if (canvas === null || ctx === null) return 0;
    const { data } = ctx.getImageData(0, 60, canvas.width, canvas.height - 60);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 200) ink++;
    return ink;
  });
}
