/**
 * What the pointer is on: a fault, timer or client glyph, a slot's bar, a message's arrow, or (in
 * the gutter) a row. Only the rows in sight and the messages drawn in them are looked at.
 */
import { arrowOf } from './drawMessages.js';
import { intervalsInSight } from './drawLanes.js';
import { cx, rowY, type Frame } from './frame.js';
import { GUTTER, HEADER, LANE_WIDTH, rowAt } from './layout.js';
import { lowerBound } from './model.js';

export interface Hit {
  readonly kind: 'message' | 'event' | 'slot' | 'row';
  readonly index: number;
}

/** The item under canvas point (x, y), given the frame last drawn and its messages. */
export function hitTest(
  frame: Frame,
  visible: readonly number[],
  x: number,
  y: number,
): Hit | null {
  const { model, layout } = frame;
  if (y < HEADER || model.rows.count === 0) return null;
  const row = rowAt(layout, model.rows.count, y - HEADER + frame.top);
  if (x < GUTTER) return { kind: 'row', index: row };
  const onRow = Math.abs(rowY(frame, row) - y) <= Math.max(7, layout.rowHeight / 2);
  const e = model.events;
  if (onRow)
    for (let i = lowerBound(e.row, row); i < e.count && e.row[i] === row; i++) {
      const at = cx(frame, layout.lifelineX[e.lifeline[i] ?? 0] ?? 0);
      if (Math.abs(at - x) <= 9) return { kind: 'event', index: i };
    }
  const message = nearestMessage(frame, visible, x, y);
  if (message !== null) return { kind: 'message', index: message };
  const lane = layout.laneX.findIndex((lx) => x >= cx(frame, lx) && x < cx(frame, lx) + LANE_WIDTH);
  if (lane >= 0) {
    const slots = model.slots;
    const found = intervalsInSight(frame, lane).find(
      (i) => rowY(frame, slots.from[i] ?? 0) <= y && y <= rowY(frame, slots.to[i] ?? 0),
    );
    if (found !== undefined) return { kind: 'slot', index: found };
  }
  return null;
}

/** The message whose arrow passes within 5 px of the point (the nearest one). */
function nearestMessage(
  frame: Frame,
  visible: readonly number[],
  x: number,
  y: number,
): number | null {
  let best: number | null = null;
  let bestDistance = 5;
  for (const i of visible) {
    const a = arrowOf(frame, i);
    const d = distanceToSegment(x, y, a.x0, a.y0, a.x1, a.y1);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}

function distanceToSegment(
  px: number,
  py: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length2 = dx * dx + dy * dy;
  const t =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / length2));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}
