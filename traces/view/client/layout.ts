/**
 * Where things go on the page, in content coordinates (the scrolled area; x from the left edge
 * with the time gutter, y from the first row's top).
 *
 * Time flows downward as in a classic sequence diagram. By default every step gets a row of its
 * own: many steps share one simulated millisecond (the simulator delivers, then fires timers, at
 * the same clock), and drawn by time they would sit on top of each other. The time is written in
 * the gutter instead; the "proportional time" toggle places rows by simulated time for when the
 * gaps themselves matter. Columns, left to right: the gutter, the lifelines (the secondary ha and
 * provider narrower), then the slot lanes grouped by TaskExecutor, so a TaskExecutor's lanes sit
 * beside it and its lifeline.
 */
import { lowerBound, type Model } from './model.js';

export const HEADER = 52;
export const GUTTER = 116;
const LIFELINE_WIDTH = 140;
const SECONDARY_WIDTH = 84;
export const LANE_WIDTH = 76;
const LANE_GROUP_GAP = 12;
const LANES_GAP = 28;
const ROW_HEIGHT = 22;
/** Browsers cap an element's height (Chrome near 33 million px); stay well below. */
const MAX_HEIGHT = 15_000_000;

export type TimeMode = 'rows' | 'proportional';

export interface Layout {
  readonly rowHeight: number;
  /** Centre x of each lifeline. */
  readonly lifelineX: Float64Array;
  /** Left x of each lane. */
  readonly laneX: Float64Array;
  /** x where the lanes start and end (their group headers). */
  readonly width: number;
  /** Centre y of each row, and one more: where the row after the last would be. */
  y: Float64Array;
  height: number;
}

export function layOut(model: Model, mode: TimeMode): Layout {
  const { lifelines, lanes } = model.data;
  const lifelineX = new Float64Array(lifelines.names.length);
  let x = GUTTER + 16;
  lifelines.names.forEach((_, i) => {
    const width = lifelines.secondary[i] === 1 ? SECONDARY_WIDTH : LIFELINE_WIDTH;
    lifelineX[i] = x + width / 2;
    x += width;
  });
  x += LANES_GAP;
  const laneX = new Float64Array(lanes.names.length);
  lanes.names.forEach((_, i) => {
    if (i > 0 && lanes.lifeline[i] !== lanes.lifeline[i - 1]) x += LANE_GROUP_GAP;
    laneX[i] = x;
    x += LANE_WIDTH;
  });
  const rowHeight = Math.max(
    2,
    Math.min(ROW_HEIGHT, Math.floor(MAX_HEIGHT / Math.max(1, model.rows.count))),
  );
  const layout: Layout = {
    rowHeight,
    lifelineX,
    laneX,
    width: x + 24,
    y: new Float64Array(1),
    height: 0,
  };
  placeRows(layout, model, mode);
  return layout;
}

/** Places the rows: one per step, or by simulated time over the same total height. */
export function placeRows(layout: Layout, model: Model, mode: TimeMode): void {
  const { count, time } = model.rows;
  const h = layout.rowHeight;
  const y = new Float64Array(count + 1);
  const lastTime = count === 0 ? 0 : (time[count - 1] ?? 0);
  const perMs = (count * h) / Math.max(1, lastTime);
  for (let r = 0; r < count; r++)
    y[r] = mode === 'rows' ? r * h + h / 2 : h / 2 + (time[r] ?? 0) * perMs;
  y[count] = (count === 0 ? 0 : (y[count - 1] ?? 0)) + h;
  layout.y = y;
  layout.height = (y[count] ?? 0) + h;
}

/** The row whose centre is nearest to y (rows ascend in y). */
export function rowAt(layout: Layout, rows: number, y: number): number {
  const ys = layout.y;
  let lo = 0;
  let hi = Math.max(0, rows - 1);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ys[mid] ?? 0) < y) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((ys[lo - 1] ?? 0) - y) <= Math.abs((ys[lo] ?? 0) - y)) return lo - 1;
  return lo;
}

/** The rows with a part between content y0 and y1 (first > last when there are none). */
export function rowsBetween(
  layout: Layout,
  rows: number,
  y0: number,
  y1: number,
): [number, number] {
  const ys = layout.y.subarray(0, rows);
  const margin = layout.rowHeight;
  return [lowerBound(ys, y0 - margin), lowerBound(ys, y1 + margin + 0.5) - 1];
}
