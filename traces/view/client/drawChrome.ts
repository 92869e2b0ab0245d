/**
 * Everything around the messages: alternate row bands, the lifelines (ha and provider, and in a
 * partial trace the components it did not observe, dashed and faint; a stretch where the
 * component was down shaded), the first violation's row, and on top
 * the header band with the lifelines' and lanes' names and the time gutter on the left, which
 * stay in place while the diagram scrolls under them.
 */
import { cx, fit, rowY, type Frame } from './frame.js';
import { GUTTER, HEADER, LANE_WIDTH } from './layout.js';
import { BAND, DOWN, INK, MUTED, roleOf, RULE, VIOLATION } from './palette.js';

export function drawBackground(frame: Frame, timeMode: boolean): void {
  const { ctx, layout } = frame;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, frame.width, frame.height);
  const h = layout.rowHeight;
  if (!timeMode && h >= 6) {
    ctx.fillStyle = BAND;
    for (let r = frame.first; r <= frame.last; r++)
      if (r % 2 === 1) ctx.fillRect(0, rowY(frame, r) - h / 2, frame.width, h);
  }
  const violation = frame.model.data.violation;
  if (violation !== null && violation.row >= frame.first && violation.row <= frame.last) {
    ctx.fillStyle = 'rgba(214, 40, 40, 0.14)';
    ctx.fillRect(0, rowY(frame, violation.row) - Math.max(h, 8) / 2, frame.width, Math.max(h, 8));
  }
}

export function drawLifelines(frame: Frame): void {
  const { ctx, model, layout } = frame;
  const { names, secondary, observed } = model.data.lifelines;
  ctx.save();
  names.forEach((_, i) => {
    const x = cx(frame, layout.lifelineX[i] ?? 0);
    const faint = secondary[i] === 1 || observed[i] === 0;
    ctx.strokeStyle = faint ? RULE : '#8b919c';
    ctx.lineWidth = 1;
    ctx.setLineDash(faint ? [4, 4] : []);
    ctx.beginPath();
    ctx.moveTo(x, HEADER);
    ctx.lineTo(x, frame.height);
    ctx.stroke();
  });
  ctx.setLineDash([]);
  const down = model.data.down;
  ctx.fillStyle = DOWN;
  down.lifeline.forEach((lifeline, i) => {
    const from = down.from[i] ?? 0;
    const to = down.to[i] ?? 0;
    if (to < frame.first || from > frame.last) return;
    const x = cx(frame, layout.lifelineX[lifeline] ?? 0);
    const top = rowY(frame, from);
    ctx.fillRect(x - 7, top, 14, rowY(frame, to) - top);
  });
  ctx.restore();
}

/** The first violation's place: a ring on the lifeline it concerns. */
export function drawViolation(frame: Frame): void {
  const violation = frame.model.data.violation;
  if (violation === null || violation.row < frame.first || violation.row > frame.last) return;
  if (violation.lifeline < 0) return;
  const { ctx } = frame;
  ctx.strokeStyle = VIOLATION;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(
    cx(frame, frame.layout.lifelineX[violation.lifeline] ?? 0),
    rowY(frame, violation.row),
    11,
    0,
    2 * Math.PI,
  );
  ctx.stroke();
}

export function drawHeader(frame: Frame): void {
  const { ctx, model, layout } = frame;
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, frame.width, HEADER);
  ctx.strokeStyle = RULE;
  ctx.beginPath();
  ctx.moveTo(0, HEADER - 0.5);
  ctx.lineTo(frame.width, HEADER - 0.5);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  model.data.lifelines.names.forEach((name, i) => {
    const x = cx(frame, layout.lifelineX[i] ?? 0);
    const secondary = model.data.lifelines.secondary[i] === 1;
    ctx.fillStyle = secondary ? MUTED : INK;
    ctx.font = secondary ? 'italic 12px system-ui, sans-serif' : 'bold 13px system-ui, sans-serif';
    ctx.fillText(fit(ctx, name, 130), x, 22);
    ctx.font = '10.5px system-ui, sans-serif';
    ctx.fillStyle = MUTED;
    // A partial trace shows only what its components saw of the others.
    const observed = model.data.lifelines.observed[i] === 1;
    ctx.fillText(observed ? roleOf(name) : 'not observed', x, 38);
  });
  const { names, lifeline } = model.data.lanes;
  names.forEach((name, i) => {
    const x = cx(frame, layout.laneX[i] ?? 0);
    const hash = name.lastIndexOf('#');
    if (i === 0 || lifeline[i] !== lifeline[i - 1]) {
      ctx.fillStyle = INK;
      ctx.font = 'bold 12px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.fillText(`${name.slice(0, hash)} slots`, x + 4, 22);
    }
    ctx.fillStyle = MUTED;
    ctx.font = '11px ui-monospace, monospace';
    ctx.textAlign = 'center';
    ctx.fillText(name.slice(hash), x + LANE_WIDTH / 2, 40);
  });
  ctx.restore();
}

/** Simulated time (and the step) of the rows in sight; a time is written when it changes. */
export function drawGutter(frame: Frame): void {
  const { ctx, model } = frame;
  const { step, time } = model.rows;
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, GUTTER, frame.height);
  ctx.strokeStyle = RULE;
  ctx.beginPath();
  ctx.moveTo(GUTTER - 0.5, 0);
  ctx.lineTo(GUTTER - 0.5, frame.height);
  ctx.stroke();
  ctx.fillStyle = MUTED;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText('time · step', 8, 22);
  ctx.font = '10.5px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  let lastY = -Infinity;
  for (let r = Math.max(0, frame.first); r <= frame.last; r++) {
    const y = rowY(frame, r);
    if (y < HEADER || y - lastY < 13) continue;
    const firstWritten = lastY === -Infinity;
    lastY = y;
    ctx.textAlign = 'right';
    // A time is written where it changes, and on the top row in sight; the steps below it took
    // no simulated time.
    if (firstWritten || time[r] !== time[r - 1]) {
      ctx.fillStyle = INK;
      ctx.fillText(seconds(time[r] ?? 0), GUTTER - 44, y);
    }
    ctx.fillStyle = MUTED;
    ctx.fillText(r === 0 ? 'start' : `${step[r] ?? 0}`, GUTTER - 5, y);
  }
  ctx.restore();
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}
