/**
 * Faults, timer firings and client actions, each a glyph on the lifeline of the component it hit
 * at its step's row: faults red, a restart or a healed partition green, timers small circles (an
 * ask's timeout orange). A partition or heal also joins the two sides of the link. Each is
 * labelled with the checker's description of the step (traces/check/lineFacts.ts describeEvent).
 */
import { EVENT_KINDS } from '../viewData.js';
import { cx, fit, isFocused, roomForLabel, rowY, type Frame } from './frame.js';
import { lowerBound } from './model.js';
import { EVENT_STYLE, INK, MUTED } from './palette.js';

export function drawEvents(frame: Frame): void {
  const { ctx, model } = frame;
  const e = model.events;
  ctx.save();
  ctx.textBaseline = 'middle';
  for (let i = lowerBound(e.row, frame.first); i < e.count && (e.row[i] ?? 0) <= frame.last; i++)
    drawEvent(frame, i);
  ctx.restore();
}

function drawEvent(frame: Frame, i: number): void {
  const { ctx, model, layout } = frame;
  const e = model.events;
  const kind = EVENT_KINDS[e.kind[i] ?? 0] ?? 'timer';
  const style = EVENT_STYLE[kind];
  const x = cx(frame, layout.lifelineX[e.lifeline[i] ?? 0] ?? 0);
  const y = rowY(frame, e.row[i] ?? 0);
  const focused = isFocused(frame, 'event', i);
  const other = e.other[i] ?? -1;
  if ((kind === 'partition' || kind === 'heal') && other >= 0) {
    const x2 = cx(frame, layout.lifelineX[other] ?? 0);
    ctx.strokeStyle = style.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x2, y);
    ctx.stroke();
    ctx.setLineDash([]);
    glyph(ctx, x2, y, style.color, style.mark, style.shape, false);
  }
  glyph(ctx, x, y, style.color, style.mark, style.shape, focused);
  if (!roomForLabel(frame, e.row[i] ?? 0)) return;
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = kind === 'timer' ? MUTED : style.color;
  ctx.fillText(fit(ctx, model.strings[e.label[i] ?? 0] ?? '', 230), x + 10, y);
}

function glyph(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  color: string,
  mark: string,
  shape: 'square' | 'circle',
  focused: boolean,
): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = focused ? INK : '#ffffff';
  ctx.lineWidth = focused ? 2.5 : 1;
  ctx.beginPath();
  if (shape === 'circle') ctx.arc(x, y, 4, 0, 2 * Math.PI);
  else ctx.roundRect(x - 7, y - 7, 14, 14, 3);
  ctx.fill();
  ctx.stroke();
  if (mark === '') return;
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(mark, x, y + 0.5);
}
