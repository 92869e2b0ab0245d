/**
 * Messages as arrows from the sender's lifeline at the step that sent them to the receiver's at
 * the step that ended them, styled by their fate: an arrowhead where one was delivered, ⊘ where
 * the receiver discarded it, ✕ half-way where it was dropped, a dotted line and ? for one still in
 * flight at the end, a short dashed stub and ○ for one sent to a component a partial trace does
 * not observe. Messages to or from ha and the provider are drawn faint. A delivery is the
 * only thing its row does, so the label (the message type) goes at the arrow's end.
 */
import { ENVELOPE_KINDS, FATES, type Fate } from '../viewData.js';
import { cx, fit, isFocused, roomForLabel, rowY, type Frame } from './frame.js';
import { ENVELOPE_COLOR, FATE_STYLE, INK } from './palette.js';

interface Arrow {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export function drawMessages(frame: Frame, visible: readonly number[]): void {
  const { ctx } = frame;
  ctx.save();
  ctx.lineCap = 'round';
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textBaseline = 'alphabetic';
  for (const i of visible) if (!isFocused(frame, 'message', i)) drawMessage(frame, i, false);
  if (frame.focus?.kind === 'message') drawMessage(frame, frame.focus.index, true);
  ctx.restore();
}

/** How far an unobserved message's stub reaches toward its receiver, in CSS pixels. */
const STUB = 56;

/**
 * Where a message's arrow runs in canvas coordinates: a dropped one ends half-way; an unobserved
 * one is a short stub slanting down from its sender, so that it does not lie along the arrow its
 * sender answers on the same row (a reply leaves the row its ask arrived in).
 */
export function arrowOf(frame: Frame, i: number): Arrow {
  const m = frame.model.messages;
  const x0 = cx(frame, frame.layout.lifelineX[m.from[i] ?? 0] ?? 0);
  const to = cx(frame, frame.layout.lifelineX[m.to[i] ?? 0] ?? 0);
  const fate = FATES[m.fate[i] ?? 0] ?? 'delivered';
  const y0 = rowY(frame, m.sent[i] ?? 0);
  if (fate === 'unobserved') {
    const reach = Math.min(STUB, Math.abs(to - x0) / 2);
    return {
      x0,
      y0,
      x1: x0 + (to >= x0 ? reach : -reach),
      y1: y0 + Math.min(6, frame.layout.rowHeight * 0.3),
    };
  }
  return { x0, y0, x1: fate === 'dropped' ? (x0 + to) / 2 : to, y1: rowY(frame, m.end[i] ?? 0) };
}

function drawMessage(frame: Frame, i: number, focused: boolean): void {
  const { ctx, model } = frame;
  const m = model.messages;
  const fate: Fate = FATES[m.fate[i] ?? 0] ?? 'delivered';
  const style = FATE_STYLE[fate];
  const kind = ENVELOPE_KINDS[m.kind[i] ?? 0] ?? 'tell';
  const secondary = [m.from[i], m.to[i]].some((l) => model.data.lifelines.secondary[l ?? 0] === 1);
  const color = focused ? INK : (style.color ?? ENVELOPE_COLOR[kind]);
  const a = arrowOf(frame, i);
  ctx.globalAlpha = secondary && !focused ? 0.3 : 1;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = focused ? 2.5 : 1.2;
  ctx.setLineDash(style.dash);
  ctx.beginPath();
  if (a.x0 === a.x1 && fate !== 'dropped') {
    // A message to itself: a loop out to the right and back.
    ctx.moveTo(a.x0, a.y0);
    ctx.lineTo(a.x0 + 18, a.y0);
    ctx.lineTo(a.x0 + 18, a.y1);
    ctx.lineTo(a.x1, a.y1);
  } else {
    ctx.moveTo(a.x0, a.y0);
    ctx.lineTo(a.x1, a.y1);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  drawEnd(ctx, a, fate);
  // A message still in flight has no end to label; an unobserved one's stub is labelled only
  // when pointed at (its label would lie over the arrow its sender answers).
  const labelled = fate !== 'inFlight' && (fate !== 'unobserved' || focused);
  if ((!secondary || focused) && labelled && roomForLabel(frame, m.end[i] ?? 0)) {
    const type = model.strings[m.type[i] ?? 0] ?? '';
    const dir = a.x1 >= a.x0 ? 1 : -1;
    ctx.textAlign = dir > 0 ? 'right' : 'left';
    const room = Math.max(40, Math.abs(a.x1 - a.x0) - 14);
    ctx.fillText(fit(ctx, type, room), a.x1 - dir * 9, a.y1 - 4);
  }
  ctx.globalAlpha = 1;
}

/** The mark at an arrow's end that says what became of the message. */
function drawEnd(ctx: CanvasRenderingContext2D, a: Arrow, fate: Fate): void {
  const { x1, y1 } = a;
  switch (fate) {
    case 'delivered':
    case 'lateReply': {
      const angle = Math.atan2(a.y1 - a.y0, a.x1 - a.x0 || 1);
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - 8 * Math.cos(angle - 0.4), y1 - 8 * Math.sin(angle - 0.4));
      ctx.lineTo(x1 - 8 * Math.cos(angle + 0.4), y1 - 8 * Math.sin(angle + 0.4));
      ctx.closePath();
      ctx.fill();
      return;
    }
    case 'discarded':
      ctx.beginPath();
      ctx.arc(x1, y1, 4.5, 0, 2 * Math.PI);
      ctx.moveTo(x1 - 3.2, y1 + 3.2);
      ctx.lineTo(x1 + 3.2, y1 - 3.2);
      ctx.stroke();
      return;
    case 'dropped':
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x1 - 5, y1 - 5);
      ctx.lineTo(x1 + 5, y1 + 5);
      ctx.moveTo(x1 + 5, y1 - 5);
      ctx.lineTo(x1 - 5, y1 + 5);
      ctx.stroke();
      return;
    case 'inFlight':
      ctx.textAlign = 'center';
      ctx.fillText('?', x1, y1 + 4);
      return;
    case 'unobserved':
      ctx.beginPath();
      ctx.arc(x1, y1, 3.5, 0, 2 * Math.PI);
      ctx.stroke();
      return;
  }
}
