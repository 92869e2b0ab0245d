/**
 * The page's DOM around the canvas: the summary (counts as data attributes for tests and tools,
 * and in words for people), the violation banner and the marker over the violation's row, the
 * legend, and the checker's report. Everything taken from the trace is set as text, never as HTML.
 */
import { EVENT_KINDS, FAULT_KINDS, type EventKind } from '../viewData.js';
import { seconds } from './drawChrome.js';
import { whenRow } from './describe.js';
import { GUTTER, type Layout } from './layout.js';
import type { Model } from './model.js';
import { DOWN, ENVELOPE_COLOR, EVENT_STYLE, FATE_STYLE, SLOT_COLOR } from './palette.js';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

export function byId<T extends HTMLElement>(id: string): T {
  return element<T>(id);
}

/** `1 fault`, `2 faults`, with the number grouped. */
function counted(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `1 234 567`: digits grouped by a no-break space (the same in every locale, so tests can read it). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

function countEvents(model: Model, kinds: readonly EventKind[]): number {
  const codes = new Set(kinds.map((k) => EVENT_KINDS.indexOf(k)));
  let n = 0;
  for (const k of model.events.kind) if (codes.has(k)) n++;
  return n;
}

/**
 * The counts of what was decoded and laid out in this page (not copied from the embedded counts:
 * those are compared, and a difference is reported as an error in the console).
 */
export function fillSummary(model: Model, layout: Layout): void {
  const summary = element('summary');
  const counts = {
    lanes: layout.laneX.length,
    lifelines: layout.lifelineX.length,
    messages: model.messages.count,
    faults: countEvents(model, FAULT_KINDS),
    timers: countEvents(model, ['timer', 'askTimeout']),
    steps: Math.max(0, model.rows.count - 1),
  };
  for (const [key, value] of Object.entries(counts)) {
    summary.dataset[key] = String(value);
    const embedded = model.data.counts[key as keyof typeof counts];
    if (embedded !== value)
      console.error(`the view shows ${value} ${key}, the data says ${embedded}`);
  }
  const violation = model.data.violation;
  summary.dataset['violation'] = violation === null ? 'none' : String(violation.line);
  const lastTime = model.rows.time[model.rows.count - 1] ?? 0;
  const copies = model.data.counts.copies;
  summary.textContent =
    `${counted(counts.lanes, 'slot lane')}, ${counted(counts.messages, 'message')}` +
    `${copies > 0 ? ` (${grouped(copies)} of them duplicate copies)` : ''}, ` +
    `${counted(counts.faults, 'fault')}, ${counted(counts.timers, 'timer firing')}; ` +
    `${counted(counts.steps, 'step')} over ${seconds(lastTime)} simulated, ` +
    `${counted(counts.lifelines, 'lifeline')}${observedOnly(model)}. ` +
    (violation === null
      ? 'The checker found no violation.'
      : `The trace VIOLATES the model: first at line ${violation.line} (step ${violation.step}).`);
}

/** ` (a partial trace: te-1 observed)`, or nothing for a full trace. */
function observedOnly(model: Model): string {
  const { names, observed } = model.data.lifelines;
  const seen = names.filter((_, i) => observed[i] === 1);
  return seen.length === names.length ? '' : ` (a partial trace: ${seen.join(', ')} observed)`;
}

/** The banner that explains the first violation, and its button that scrolls to it. */
export function showViolation(model: Model, goTo: () => void): void {
  const violation = model.data.violation;
  if (violation === null) return;
  const banner = element('violation');
  const where = model.data.lifelines.names[violation.lifeline];
  // An eventual invariant is judged on the end line, which has no row: it is marked on the last.
  const when =
    violation.line === model.rows.line[violation.row]
      ? whenRow(model, violation.row)
      : `the end of the trace (line ${violation.line}), marked after ${whenRow(model, violation.row)}`;
  element('violation-where').textContent =
    `The checker's first ${violation.kind === 'divergence' ? 'divergence' : 'broken invariant'} is at ` +
    `${when}${where === undefined ? '' : `, marked on ${where}`}:`;
  element('violation-words').textContent = violation.words.join('\n');
  element('violation-goto').addEventListener('click', goTo);
  banner.hidden = false;
}

/** The marker over the violation's row, in the scrolled content (it moves with the diagram). */
export function placeMarker(model: Model, layout: Layout): void {
  const violation = model.data.violation;
  const marker = element('violation-marker');
  if (violation === null) return;
  const height = Math.max(layout.rowHeight, 10);
  marker.style.top = `${(layout.y[violation.row] ?? 0) - height / 2}px`;
  marker.style.left = `${GUTTER}px`;
  marker.style.width = `${layout.width - GUTTER}px`;
  marker.style.height = `${height}px`;
  // The label sits beside the lifeline the violation concerns (the marker spans every column).
  const label = document.createElement('span');
  label.textContent = `first violation · line ${violation.line}`;
  const x = layout.lifelineX[violation.lifeline];
  label.style.left = `${x === undefined ? 8 : x - GUTTER + 16}px`;
  marker.replaceChildren(label);
  marker.hidden = false;
}

export function fillReport(model: Model): void {
  element('report-text').textContent = model.data.report.join('\n');
}

export function fillLegend(model: Model): void {
  const legend = element('legend');
  const item = (color: string, text: string, shape: 'line' | 'box' | 'dot') => {
    const span = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = `swatch ${shape}`;
    swatch.style.background = color;
    span.append(swatch, text);
    legend.append(span);
  };
  for (const [kind, color] of Object.entries(ENVELOPE_COLOR)) item(color, kind, 'line');
  // Only a partial trace has unobserved messages: a full trace's legend does not explain them.
  const partial = observedOnly(model) !== '';
  for (const [fate, style] of Object.entries(FATE_STYLE))
    if (style.color !== null && (fate !== 'unobserved' || partial))
      item(style.color, style.legend, 'line');
  for (const [state, color] of Object.entries(SLOT_COLOR)) item(color, state, 'box');
  item(DOWN, 'process down', 'box');
  const shown = new Set<string>();
  for (const kind of EVENT_KINDS) {
    const style = EVENT_STYLE[kind];
    if (shown.has(style.legend)) continue;
    shown.add(style.legend);
    item(
      style.color,
      `${style.mark === '' ? '' : `${style.mark} `}${style.legend}`,
      style.shape === 'circle' ? 'dot' : 'box',
    );
  }
}
