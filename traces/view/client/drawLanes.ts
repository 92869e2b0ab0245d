/**
 * The slot lanes: for each TaskExecutor slot, a bar for every stretch in which it was ALLOCATED,
 * ACTIVE or RELEASING, coloured by that TaskSlotState and labelled with its AllocationID and job;
 * a free slot shows only the lane's thin guide. A label sticks to the top of the window while its
 * bar runs on, so a long ACTIVE stretch still says whose it is.
 */
import { SLOT_STATES } from '../viewData.js';
import { cx, fit, isFocused, rowY, type Frame } from './frame.js';
import { HEADER, LANE_WIDTH } from './layout.js';
import { lowerBound } from './model.js';
import { INK, RULE, SLOT_COLOR, SLOT_TEXT } from './palette.js';

const INSET = 7;

export function drawLanes(frame: Frame): void {
  const { ctx, layout } = frame;
  ctx.save();
  ctx.font = '10px ui-monospace, monospace';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  layout.laneX.forEach((laneX, lane) => {
    const x = cx(frame, laneX);
    if (x > frame.width || x + LANE_WIDTH < 0) return;
    ctx.strokeStyle = RULE;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x + LANE_WIDTH / 2, HEADER);
    ctx.lineTo(x + LANE_WIDTH / 2, frame.height);
    ctx.stroke();
    for (const i of intervalsInSight(frame, lane)) drawInterval(frame, i, x);
  });
  ctx.restore();
}

/** The intervals of a lane with a part in the rows in sight. */
export function intervalsInSight(frame: Frame, lane: number): number[] {
  const s = frame.model.slots;
  const start = s.laneStart[lane] ?? 0;
  const end = s.laneStart[lane + 1] ?? 0;
  const found: number[] = [];
  // Within a lane the intervals do not overlap, so their ends ascend as their starts do.
  for (let i = lowerBound(s.to, frame.first, start, end); i < end; i++) {
    if ((s.from[i] ?? 0) > frame.last) break;
    found.push(i);
  }
  return found;
}

function drawInterval(frame: Frame, i: number, x: number): void {
  const { ctx, model } = frame;
  const s = model.slots;
  const state = SLOT_STATES[s.state[i] ?? 0] ?? 'ALLOCATED';
  const top = rowY(frame, s.from[i] ?? 0);
  const bottom = rowY(frame, s.to[i] ?? 0);
  const width = LANE_WIDTH - 2 * INSET;
  ctx.fillStyle = SLOT_COLOR[state];
  ctx.fillRect(x + INSET, top, width, Math.max(2, bottom - top));
  if (isFocused(frame, 'slot', i)) {
    ctx.strokeStyle = INK;
    ctx.lineWidth = 2;
    ctx.strokeRect(x + INSET, top, width, Math.max(2, bottom - top));
  }
  const labelTop = Math.max(top, HEADER);
  if (bottom - labelTop < 13) return;
  ctx.fillStyle = SLOT_TEXT[state];
  ctx.fillText(
    fit(ctx, model.strings[s.allocation[i] ?? 0] ?? '', width - 6),
    x + INSET + 3,
    labelTop + 11,
  );
  if (bottom - labelTop >= 25)
    ctx.fillText(
      fit(ctx, model.strings[s.job[i] ?? 0] ?? '', width - 6),
      x + INSET + 3,
      labelTop + 23,
    );
}
