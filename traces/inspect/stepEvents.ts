/**
 * What one step line shows between the cluster's components in the inspector: the message it
 * handed over (an event from the sender to the receiver, carrying the message itself), or the
 * fault, timer, crash, restart or client action that happened to a component. Crashes and restarts
 * also change the component's shown state (`crashed`, `running`).
 */
import type { StepLine } from '../format.js';

type Envelope = Extract<StepLine['outcome'], { envelope: unknown }>['envelope'];

export interface ComponentEvent {
  readonly target: string;
  /** The component the event comes from; null when the environment did it. */
  readonly source: string | null;
  readonly event: { readonly type: string } & Readonly<Record<string, unknown>>;
  /** The component's state after the event, when the event changed it. */
  readonly status: 'running' | 'crashed' | null;
}

type Message = ComponentEvent['event'];

/** A message of a parsed line: the schema (traces/messageSchema.ts) made it an object with a type. */
function message(value: unknown): Message {
  return value as Message;
}

/** The event a message makes: the message's own type and fields, with its number and step. */
function messageEvent(envelope: Envelope, at: At, fate: string | null): Message {
  const msg = envelope.kind === 'unreachable' ? { type: 'unreachable' } : message(envelope.msg);
  const type = fate === null ? msg.type : `${fate} ${msg.type}`;
  return { ...msg, type, seq: envelope.seq, rpc: envelope.kind, ...at };
}

interface At {
  readonly step: number;
  readonly timeMs: number;
}

/** What each outcome that carries a message did with it, as the event's type says it. */
const FATES: Readonly<Record<string, string | null>> = {
  delivered: null,
  lateReply: 'late',
  discarded: 'discarded',
  dropped: 'FAULT dropped',
  duplicated: 'FAULT duplicated',
  delayed: 'FAULT delayed',
};

/** The step's event between components (null: a partition step without its links). */
export function stepEvent(line: StepLine): ComponentEvent | null {
  const at: At = { step: line.index, timeMs: line.time };
  const { outcome } = line;
  if ('envelope' in outcome) {
    const { envelope } = outcome;
    const event = messageEvent(envelope, at, FATES[outcome.kind] ?? null);
    return { target: envelope.to, source: envelope.from, event, status: null };
  }
  switch (outcome.kind) {
    case 'timerFired': {
      const { endpoint, name } = outcome.timer;
      return {
        target: endpoint,
        source: null,
        event: { type: `timer ${name}`, ...at },
        status: null,
      };
    }
    case 'askTimedOut': {
      const { caller, callee, request } = outcome.ask;
      const event = { type: `timeout ${message(request).type}`, callee, ...at };
      return { target: caller, source: null, event, status: null };
    }
    case 'crashed':
      return crashOrRestart(outcome.endpoint, 'FAULT crash', 'crashed', at);
    case 'restarted':
      return crashOrRestart(outcome.endpoint, 'restart', 'running', at);
    case 'partitioned':
    case 'healed': {
      const step = line.step;
      if (step.kind !== 'partition' && step.kind !== 'heal') return null;
      const [a, b] = step.kind === 'partition' ? [step.from, step.to] : [step.a, step.b];
      const type = step.kind === 'partition' ? 'FAULT partition' : 'heal';
      return { target: b, source: a, event: { type, links: outcome.links, ...at }, status: null };
    }
    case 'clientActed': {
      const action = line.step.kind === 'client' ? line.step.action : { kind: 'unknown' };
      const event = { ...action, type: `client ${action.kind}`, ...at };
      return { target: outcome.endpoint, source: null, event, status: null };
    }
  }
}

function crashOrRestart(
  endpoint: string,
  type: string,
  status: 'running' | 'crashed',
  at: At,
): ComponentEvent {
  return { target: endpoint, source: null, event: { type, ...at }, status };
}
