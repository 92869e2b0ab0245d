/**
 * What one drawing of the canvas needs: the model, the layout, where the page is scrolled, the
 * window of rows in sight, and the item the pointer is on. Content coordinates become canvas
 * coordinates by subtracting the scroll offsets; the header band sits above the rows.
 */
import type { Hit } from './hitTest.js';
import { HEADER, type Layout } from './layout.js';
import type { Model } from './model.js';

export interface Frame {
  readonly ctx: CanvasRenderingContext2D;
  readonly model: Model;
  readonly layout: Layout;
  readonly left: number;
  readonly top: number;
  /** The canvas's size in CSS pixels (header band included). */
  readonly width: number;
  readonly height: number;
  /** The rows in sight (first > last: none). */
  readonly first: number;
  readonly last: number;
  readonly focus: Hit | null;
}

/** Canvas x of a content x. */
export function cx(frame: Frame, x: number): number {
  return x - frame.left;
}

/** Canvas y of the centre of a row. */
export function rowY(frame: Frame, row: number): number {
  return (frame.layout.y[row] ?? 0) - frame.top + HEADER;
}

/** Text cut to fit `width` CSS pixels, with an ellipsis. */
export function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

export function isFocused(frame: Frame, kind: Hit['kind'], index: number): boolean {
  return frame.focus !== null && frame.focus.kind === kind && frame.focus.index === index;
}

/**
 * Whether a label fits at this row: in proportional time a burst of steps shares one height, and
 * only the first of them is labelled (the tooltip still tells each apart).
 */
export function roomForLabel(frame: Frame, row: number): boolean {
  const y = frame.layout.y;
  return frame.layout.rowHeight >= 12 && (row === 0 || (y[row] ?? 0) - (y[row - 1] ?? 0) >= 11);
}
