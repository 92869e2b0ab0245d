/**
 * The trace viewer in the browser: reads the view data embedded in the page, lays it out, and
 * draws the rows in sight on one canvas. The canvas stays put over a scrolling element whose only
 * content is a spacer as tall as the whole diagram (and the violation's marker): scrolling moves
 * the spacer, and each scroll, resize or pointer move asks for one redraw on the next animation
 * frame. No element per message or event: a trace of 100 000 steps costs one canvas.
 */
import { VIEW_DATA_VERSION, type ViewData } from '../viewData.js';
import { describeHit } from './describe.js';
import {
  drawBackground,
  drawGutter,
  drawHeader,
  drawLifelines,
  drawViolation,
} from './drawChrome.js';
import { drawEvents } from './drawEvents.js';
import { drawLanes } from './drawLanes.js';
import { drawMessages } from './drawMessages.js';
import type { Frame } from './frame.js';
import { hitTest, type Hit } from './hitTest.js';
import { HEADER, layOut, placeRows, rowAt, rowsBetween, type TimeMode } from './layout.js';
import { decode, messagesInRows } from './model.js';
import { byId, fillLegend, fillReport, fillSummary, placeMarker, showViolation } from './page.js';

const data = JSON.parse(byId('view-data').textContent ?? '') as ViewData;
const version: unknown = data.version;
if (version !== VIEW_DATA_VERSION)
  throw new Error(
    `view data version ${JSON.stringify(version)}: this viewer reads ${VIEW_DATA_VERSION}`,
  );
const model = decode(data);
let mode: TimeMode = 'rows';
const layout = layOut(model, mode);

const viewport = byId('viewport');
const canvas = byId<HTMLCanvasElement>('diagram');
const scroller = byId('scroller');
const spacer = byId('spacer');
const tooltip = byId('tooltip');
const details = byId('details');
const context = canvas.getContext('2d');
if (context === null) throw new Error('this browser cannot draw on a canvas');
const ctx = context;

let frame: Frame | null = null;
let visible: number[] = [];
let hover: Hit | null = null;
let selected: Hit | null = null;
let pending = false;
let frames = 0;

function sizeContent(): void {
  scroller.style.top = `${HEADER}px`;
  spacer.style.width = `${layout.width}px`;
  // Room below the last row, so that it too can be scrolled to the middle of the window.
  spacer.style.height = `${layout.height + Math.round(window.innerHeight / 2)}px`;
  placeMarker(model, layout);
}

function draw(): void {
  pending = false;
  const dpr = window.devicePixelRatio || 1;
  const width = viewport.clientWidth;
  const height = viewport.clientHeight;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const top = scroller.scrollTop;
  const [first, last] = rowsBetween(layout, model.rows.count, top, top + height - HEADER);
  frame = {
    ctx,
    model,
    layout,
    left: scroller.scrollLeft,
    top,
    width,
    height,
    first,
    last,
    focus: hover ?? selected,
  };
  visible = [];
  if (first <= last) messagesInRows(model.messages, first, last, (i) => visible.push(i));
  drawBackground(frame, mode === 'proportional');
  drawLifelines(frame);
  drawLanes(frame);
  drawMessages(frame, visible);
  drawEvents(frame);
  drawViolation(frame);
  drawHeader(frame);
  drawGutter(frame);
  // For tests and for the curious: which rows this frame drew, and how many frames so far.
  canvas.dataset['firstRow'] = String(first);
  canvas.dataset['lastRow'] = String(last);
  canvas.dataset['messagesDrawn'] = String(visible.length);
  canvas.dataset['frames'] = String(++frames);
  document.body.dataset['ready'] = 'true';
}

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(draw);
}

function goToViolation(): void {
  const violation = model.data.violation;
  if (violation === null) return;
  scroller.scrollTop = (layout.y[violation.row] ?? 0) - scroller.clientHeight / 2;
  const x = layout.lifelineX[violation.lifeline];
  scroller.scrollLeft = x === undefined ? 0 : Math.max(0, x - scroller.clientWidth / 2);
  schedule();
}

function pointer(event: MouseEvent): { x: number; y: number } {
  const box = canvas.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}

function onMove(event: MouseEvent): void {
  if (frame === null) return;
  const { x, y } = pointer(event);
  const hit = hitTest(frame, visible, x, y);
  if (hit?.kind !== hover?.kind || hit?.index !== hover?.index) {
    hover = hit;
    schedule();
  }
  if (hit === null) {
    tooltip.hidden = true;
    return;
  }
  tooltip.textContent = describeHit(model, hit).join('\n');
  tooltip.hidden = false;
  const left = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
  const top = Math.min(event.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8);
  tooltip.style.left = `${Math.max(4, left)}px`;
  tooltip.style.top = `${Math.max(4, top)}px`;
}

function onClick(event: MouseEvent): void {
  if (frame === null) return;
  const { x, y } = pointer(event);
  selected = hitTest(frame, visible, x, y);
  byId('details-text').textContent =
    selected === null ? '' : describeHit(model, selected).join('\n');
  details.hidden = selected === null;
  schedule();
}

function setMode(next: TimeMode): void {
  const centre = rowAt(layout, model.rows.count, scroller.scrollTop + scroller.clientHeight / 2);
  mode = next;
  placeRows(layout, model, mode);
  sizeContent();
  scroller.scrollTop = (layout.y[centre] ?? 0) - scroller.clientHeight / 2;
  schedule();
}

fillSummary(model, layout);
fillReport(model);
fillLegend(model);
showViolation(model, goToViolation);
sizeContent();
scroller.addEventListener('scroll', schedule, { passive: true });
scroller.addEventListener('mousemove', onMove);
scroller.addEventListener('mouseleave', () => {
  hover = null;
  tooltip.hidden = true;
  schedule();
});
scroller.addEventListener('click', onClick);
window.addEventListener('resize', schedule);
byId<HTMLInputElement>('time-mode').addEventListener('change', (event) => {
  setMode((event.target as HTMLInputElement).checked ? 'proportional' : 'rows');
});
byId('details-close').addEventListener('click', () => {
  selected = null;
  details.hidden = true;
  schedule();
});
// A trace that violates opens at its first violation; the banner's button brings it back.
if (model.data.violation !== null) goToViolation();
schedule();
