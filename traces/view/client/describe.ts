/**
 * The words for what the pointer is on, shown in the tooltip and (on a click) in the details
 * panel: a message's type, sequence number, route, the ids it carries and what became of it when;
 * a fault's or timer's step as the checker describes it; a slot's state, AllocationID and job and
 * the rows it held them; a row's step, trace line and time.
 */
import { ENVELOPE_KINDS, EVENT_KINDS, FATES, SLOT_STATES, type Fate } from '../viewData.js';
import { seconds } from './drawChrome.js';
import type { Hit } from './hitTest.js';
import type { Model } from './model.js';

/** `step 82 (line 84), 2.037 s`; row 0 is the processes' start. */
export function whenRow(model: Model, row: number): string {
  const { step, line, time } = model.rows;
  const what = row === 0 ? 'the start' : `step ${step[row] ?? 0}`;
  return `${what} (line ${line[row] ?? 0}), ${seconds(time[row] ?? 0)}`;
}

const FATE_WORDS: Record<Fate, string> = {
  delivered: 'delivered at',
  lateReply: 'delivered as a late reply (its ask had ended) at',
  discarded: 'discarded by the receiver at',
  dropped: 'dropped at',
  inFlight: 'never delivered: still in flight when the trace ends, after',
  // Said without a row: the trace has none for it.
  unobserved: 'what became of it is not in this partial trace, which does not observe its receiver',
};

export function describeHit(model: Model, hit: Hit): string[] {
  switch (hit.kind) {
    case 'message':
      return describeMessage(model, hit.index);
    case 'event': {
      const e = model.events;
      const kind = EVENT_KINDS[e.kind[hit.index] ?? 0] ?? 'timer';
      return [
        model.strings[e.label[hit.index] ?? 0] ?? '',
        `${kind} on ${model.data.lifelines.names[e.lifeline[hit.index] ?? 0] ?? ''}`,
        whenRow(model, e.row[hit.index] ?? 0),
      ];
    }
    case 'slot':
      return describeSlot(model, hit.index);
    case 'row':
      return [whenRow(model, hit.index)];
  }
}

function describeMessage(model: Model, i: number): string[] {
  const m = model.messages;
  const s = model.strings;
  const names = model.data.lifelines.names;
  const fate = FATES[m.fate[i] ?? 0] ?? 'delivered';
  const kind = ENVELOPE_KINDS[m.kind[i] ?? 0] ?? 'tell';
  const lines = [
    `${s[m.type[i] ?? 0] ?? ''} (${kind} #${m.seq[i] ?? 0})`,
    `${names[m.from[i] ?? 0] ?? ''} → ${names[m.to[i] ?? 0] ?? ''}`,
    `sent at ${whenRow(model, m.sent[i] ?? 0)}`,
    fate === 'unobserved'
      ? FATE_WORDS[fate]
      : `${FATE_WORDS[fate]} ${whenRow(model, m.end[i] ?? 0)}`,
  ];
  if ((m.ask[i] ?? 0) > 0) lines.push(`answers ask #${m.ask[i] ?? 0}`);
  const detail = s[m.detail[i] ?? 0] ?? '';
  if (detail !== '') lines.push(`carries ${detail}`);
  const note = m.note[i] ?? -1;
  if (note >= 0) lines.push(s[note] ?? '');
  return lines;
}

function describeSlot(model: Model, i: number): string[] {
  const sl = model.slots;
  const to = sl.to[i] ?? 0;
  return [
    `${model.data.lanes.names[sl.lane[i] ?? 0] ?? ''}: ${SLOT_STATES[sl.state[i] ?? 0] ?? ''}`,
    `${model.strings[sl.allocation[i] ?? 0] ?? ''} of ${model.strings[sl.job[i] ?? 0] ?? ''}`,
    `from ${whenRow(model, sl.from[i] ?? 0)}`,
    to >= model.rows.count ? 'until the end of the trace' : `until ${whenRow(model, to)}`,
  ];
}
