/**
 * How each kind of thing looks, in one place: the canvas draws with it and the legend is built
 * from it, so the two cannot disagree.
 */
import type { EnvelopeKind, EventKind, Fate, SlotState } from '../viewData.js';

export const INK = '#1f2430';
export const MUTED = '#6b7280';
export const RULE = '#d4d7dd';
export const BAND = '#f5f6f8';
export const VIOLATION = '#d62828';
/** A lifeline's stretch while its process was down (its observed state null). */
export const DOWN = 'rgba(110, 110, 120, 0.22)';

export const ENVELOPE_COLOR: Record<EnvelopeKind, string> = {
  tell: '#2f6fb5',
  ask: '#6a4fc4',
  reply: '#1f8a7f',
  unreachable: '#a05195',
};

export interface FateStyle {
  readonly dash: readonly number[];
  /** Overrides the envelope's colour. */
  readonly color: string | null;
  readonly legend: string;
}

export const FATE_STYLE: Record<Fate, FateStyle> = {
  delivered: { dash: [], color: null, legend: 'delivered (arrowhead at the step it arrived)' },
  lateReply: { dash: [6, 3], color: '#d9822b', legend: 'late reply (its ask had ended)' },
  discarded: { dash: [], color: '#8d939e', legend: 'discarded by the receiver (⊘)' },
  dropped: { dash: [], color: '#c2410c', legend: 'dropped on the way (×)' },
  inFlight: { dash: [2, 4], color: '#9aa1ab', legend: 'never delivered (in flight at the end, ?)' },
  unobserved: {
    dash: [6, 4],
    color: '#7c8594',
    legend: 'to a component this partial trace does not observe (○)',
  },
};

export const SLOT_COLOR: Record<SlotState, string> = {
  ALLOCATED: '#f0b429',
  ACTIVE: '#2f9e62',
  RELEASING: '#d64545',
};
export const SLOT_TEXT: Record<SlotState, string> = {
  ALLOCATED: '#3b2f00',
  ACTIVE: '#ffffff',
  RELEASING: '#ffffff',
};

export interface EventStyle {
  readonly color: string;
  /** One character drawn in the glyph. */
  readonly mark: string;
  readonly shape: 'square' | 'circle';
  readonly legend: string;
}

const FAULT = '#c62828';
const RECOVERY = '#2e7d32';

export const EVENT_STYLE: Record<EventKind, EventStyle> = {
  drop: { color: FAULT, mark: 'X', shape: 'square', legend: 'drop' },
  duplicate: { color: FAULT, mark: '2', shape: 'square', legend: 'duplicate' },
  delay: { color: FAULT, mark: 'D', shape: 'square', legend: 'delay' },
  reorder: { color: FAULT, mark: 'R', shape: 'square', legend: 'reorder' },
  crash: { color: FAULT, mark: '!', shape: 'square', legend: 'crash' },
  restart: { color: RECOVERY, mark: '+', shape: 'square', legend: 'restart' },
  partition: { color: FAULT, mark: 'P', shape: 'square', legend: 'partition' },
  heal: { color: RECOVERY, mark: 'H', shape: 'square', legend: 'heal' },
  timer: { color: '#4a6fa5', mark: '', shape: 'circle', legend: 'timer fired' },
  askTimeout: { color: '#d9822b', mark: '', shape: 'circle', legend: "an ask's timeout" },
  client: { color: INK, mark: 'C', shape: 'square', legend: 'client action' },
};

/** What a lifeline is, under its name. */
export function roleOf(endpoint: string): string {
  if (endpoint.startsWith('jm-')) return 'JobMaster';
  if (endpoint === 'rm') return 'ResourceManager';
  // A Flink log's view (flinklog/logView.ts): the JobManager process hosts both.
  if (endpoint === 'jobmanager') return 'ResourceManager, JobMasters';
  if (endpoint === 'ha') return 'HA services';
  if (endpoint === 'provider') return 'resource provider';
  return 'TaskExecutor';
}
