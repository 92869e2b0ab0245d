/**
 * Every message of a trace and its fate, for the sequence diagram: a message enters when it is put
 * on the network (a `sent` effect, or the copy a duplicate fault makes) and ends where a step's
 * outcome says what became of it (delivered, a late reply, discarded, dropped); one that never
 * ends was still in flight when the trace ended. A partial trace may show a message only when it
 * arrives (its sender was not observed): it enters there, with a note saying so. It also shows the
 * messages its components sent to the others but not what became of them: such a message that
 * never ends is unobserved, not in flight, and ends where it was sent.
 */
import type { StepLine } from '../format.js';
import type { StringTable } from './stringTable.js';
import { deltaEncode, ENVELOPE_KINDS, FATES, NONE, type Fate, type ViewData } from './viewData.js';

type Envelope = Extract<StepLine['outcome'], { envelope: unknown }>['envelope'];
type Outcome = StepLine['outcome'];

interface Message {
  readonly seq: number;
  readonly kind: number;
  readonly type: number;
  readonly from: number;
  readonly to: number;
  readonly sent: number;
  readonly ask: number;
  readonly detail: number;
  end: number;
  fate: Fate;
  notes: string[];
}

/** The ids a message carries, and the few fields that say why (cause, exception), in one line. */
export function carriedIds(msg: unknown): string {
  const found: string[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (found.length >= 24 || depth > 4) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      // A SlotID reads as Flink prints it: the TaskExecutor's ResourceID and the slot number.
      if (typeof record['resourceId'] === 'string' && typeof record['slotNumber'] === 'number') {
        found.push(`${path}=${record['resourceId']}#${record['slotNumber']}`);
        return;
      }
      for (const [key, inner] of Object.entries(record))
        walk(inner, path === '' ? key : `${path}.${key}`, depth + 1);
      return;
    }
    const key = path.slice(path.lastIndexOf('.') + 1);
    const scalar =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (scalar && /id$|ids\[\d+\]$|^cause$|^exception$/i.test(key)) found.push(`${path}=${value}`);
  };
  walk(msg, '', 0);
  const text = found.join(', ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export class MessageTable {
  private readonly messages: Message[] = [];
  private readonly bySeq = new Map<number, Message>();
  copies = 0;

  constructor(
    private readonly strings: StringTable,
    private readonly lifeline: (endpoint: string) => number,
  ) {}

  get count(): number {
    return this.messages.length;
  }

  /** A `sent` effect of the row's step (or of the start line, row 0). */
  sent(envelope: Envelope, row: number, note?: string): Message {
    const msg = 'msg' in envelope ? envelope.msg : undefined;
    const type = msg === undefined ? 'unreachable' : typeName(msg);
    const message: Message = {
      seq: envelope.seq,
      kind: ENVELOPE_KINDS.indexOf(envelope.kind),
      type: this.strings.intern(type),
      from: this.lifeline(envelope.from),
      to: this.lifeline(envelope.to),
      sent: row,
      ask: envelope.kind === 'reply' || envelope.kind === 'unreachable' ? envelope.askId : 0,
      detail: this.strings.intern(msg === undefined ? '' : carriedIds(msg)),
      end: NONE,
      fate: 'inFlight',
      notes: note === undefined ? [] : [note],
    };
    this.messages.push(message);
    this.bySeq.set(message.seq, message);
    return message;
  }

  /** What the row's step did to a message, if its outcome names one. */
  outcome(outcome: Outcome, row: number, time: number): void {
    if (!('envelope' in outcome)) return;
    const envelope = outcome.envelope;
    const message =
      this.bySeq.get(envelope.seq) ??
      this.sent(envelope, row, 'its sending is not in the trace (the sender was not observed)');
    switch (outcome.kind) {
      case 'delivered':
      case 'lateReply':
      case 'dropped':
        this.end(message, row, outcome.kind);
        return;
      case 'discarded':
        this.end(message, row, 'discarded');
        message.notes.push(`discarded: ${outcome.reason}`);
        return;
      case 'duplicated': {
        message.notes.push(`duplicated at ${time} ms as #${outcome.copySeq}`);
        this.sent({ ...envelope, seq: outcome.copySeq }, row, `a copy of #${envelope.seq}`);
        this.copies += 1;
        return;
      }
      case 'delayed':
        message.notes.push(`delayed at ${time} ms: may arrive until ${outcome.deliverBy} ms`);
        return;
    }
  }

  private end(message: Message, row: number, fate: Fate): void {
    message.end = row;
    message.fate = fate;
  }

  /**
   * The columns, with every message still in flight ending at the last row; one that never ended
   * and went to a lifeline the trace does not observe is unobserved, ending where it was sent.
   */
  columns(lastRow: number, observed: (lifeline: number) => boolean): ViewData['messages'] {
    const ms = this.messages;
    for (const m of ms) if (m.end === NONE && !observed(m.to)) this.end(m, m.sent, 'unobserved');
    return {
      seq: deltaEncode(ms.map((m) => m.seq)),
      kind: ms.map((m) => m.kind),
      type: ms.map((m) => m.type),
      from: ms.map((m) => m.from),
      to: ms.map((m) => m.to),
      sent: deltaEncode(ms.map((m) => m.sent)),
      span: ms.map((m) => (m.end === NONE ? lastRow : m.end) - m.sent),
      fate: ms.map((m) => FATES.indexOf(m.fate)),
      ask: ms.map((m) => m.ask),
      detail: ms.map((m) => m.detail),
      note: ms.map((m) => (m.notes.length === 0 ? NONE : this.strings.intern(m.notes.join('; ')))),
    };
  }
}

function typeName(msg: unknown): string {
  const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : null;
  return typeof type === 'string' ? type : 'message';
}
