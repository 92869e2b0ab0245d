/**
 * What a trace has introduced so far: the messages in flight (by sequence number, with what was
 * sent), the pending asks and their timeout timers, and the timers each endpoint has armed. A step
 * may only deliver, drop, duplicate or delay a message that is in flight as it was sent, and fire a
 * timer that is armed; anything else is an id the trace never introduced. It mirrors the
 * simulator's bookkeeping (impl/sim/apply.ts) and holds only what is live, so its size does not
 * grow with the trace. In a partial trace only messages between observed endpoints, and the
 * observed endpoints' timers, are followed, and a message may arrive unannounced: a duplicate made
 * on the way is no step of either endpoint.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { ClusterAction } from '../../impl/cluster/flinkCluster.js';
import { canonicalJson } from '../../impl/sim/canonical.js';
import type { AppliedEffect, StepRecord } from '../../impl/sim/record.js';
import type { EndpointId, Envelope } from '../../impl/sim/world.js';

/** The simulator's name for the timer of an ask (impl/sim/timers.ts). */
const askTimer = (askId: number) => `ask#${askId}`;

export class Ledger {
  private readonly inFlight = new Map<number, string>();
  private readonly timers = new Map<EndpointId, Set<string>>();
  /** The highest sequence number given out so far: the simulator only counts up. */
  private lastSeq = 0;

  constructor(
    private readonly follows: (endpoint: EndpointId) => boolean,
    private readonly partial = false,
  ) {}

  /** Why the step refers to something the trace never introduced (or introduces twice), or null. */
  problem(record: StepRecord<ClusterMessage, ClusterAction>): string | null {
    return this.stepProblem(record) ?? this.newSeqProblem(record);
  }

  /** Every message sent (or copied) gets a sequence number higher than all before it. */
  newSeqProblem(record: {
    readonly outcome: StepRecord<ClusterMessage, ClusterAction>['outcome'];
    readonly effects: readonly AppliedEffect<ClusterMessage>[];
  }): string | null {
    let last = this.lastSeq;
    const fresh = [
      ...(record.outcome.kind === 'duplicated' ? [record.outcome.copySeq] : []),
      ...record.effects.flatMap((e) => (e.kind === 'sent' ? [e.envelope.seq] : [])),
    ];
    for (const seq of fresh) {
      if (seq <= last)
        return `message #${seq} is sent after message #${last}: sequence numbers only grow, so it was sent twice or out of order`;
      last = seq;
    }
    return null;
  }

  private stepProblem(record: StepRecord<ClusterMessage, ClusterAction>): string | null {
    const { step, outcome } = record;
    switch (step.kind) {
      case 'deliver':
      case 'reorder':
      case 'drop':
      case 'duplicate':
      case 'delay': {
        if (!('envelope' in outcome))
          return `a ${step.kind} step with a ${outcome.kind} outcome (expected the message's fate)`;
        if (outcome.envelope.seq !== step.seq)
          return `${step.kind} #${step.seq} reports the fate of message #${outcome.envelope.seq}`;
        if (!this.followsMessage(outcome.envelope)) return null;
        const sent = this.inFlight.get(step.seq);
        if (sent === undefined && this.partial) return null;
        if (sent === undefined)
          return `message #${step.seq} is not in flight: it was never sent, or has already arrived or been lost`;
        if (sent !== identity(outcome.envelope))
          return `message #${step.seq} is not the message that was sent under that number`;
        return null;
      }
      case 'fireTimer':
        if (!this.follows(step.endpoint)) return null;
        if (this.timers.get(step.endpoint)?.has(step.name) !== true)
          return `timer ${step.endpoint}/${step.name} fires but is not armed`;
        return null;
      case 'crash':
      case 'restart':
      case 'partition':
      case 'heal':
      case 'client':
        return null;
    }
  }

  /** Takes the step's outcome and effects into account (after `problem` found none). */
  apply(record: StepRecord<ClusterMessage, ClusterAction>): void {
    const { outcome } = record;
    switch (outcome.kind) {
      case 'delivered':
        this.inFlight.delete(outcome.envelope.seq);
        // A reply reaching a caller that still waits ends the ask and its timeout.
        if (outcome.envelope.kind === 'reply' || outcome.envelope.kind === 'unreachable')
          this.timers.get(outcome.envelope.to)?.delete(askTimer(outcome.envelope.askId));
        break;
      case 'discarded':
      case 'lateReply':
      case 'dropped':
        this.inFlight.delete(outcome.envelope.seq);
        break;
      case 'duplicated':
        this.lastSeq = Math.max(this.lastSeq, outcome.copySeq);
        if (this.followsMessage(outcome.envelope))
          this.inFlight.set(outcome.copySeq, identity(outcome.envelope));
        break;
      case 'timerFired':
        this.timers.get(outcome.timer.endpoint)?.delete(outcome.timer.name);
        break;
      case 'askTimedOut':
        this.timers.get(outcome.ask.caller)?.delete(askTimer(outcome.ask.askId));
        break;
      case 'crashed':
        this.timers.delete(outcome.endpoint);
        break;
      case 'delayed':
      case 'restarted':
      case 'partitioned':
      case 'healed':
      case 'clientActed':
        break;
    }
    this.applyEffects(record.effects);
  }

  applyEffects(effects: readonly AppliedEffect<ClusterMessage>[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'sent':
          this.lastSeq = Math.max(this.lastSeq, effect.envelope.seq);
          if (this.followsMessage(effect.envelope))
            this.inFlight.set(effect.envelope.seq, identity(effect.envelope));
          if (effect.envelope.kind === 'ask' && this.follows(effect.envelope.from))
            this.timersOf(effect.envelope.from).add(askTimer(effect.envelope.askId));
          break;
        case 'timerArmed':
          if (this.follows(effect.endpoint)) this.timersOf(effect.endpoint).add(effect.name);
          break;
        case 'timerCancelled':
          this.timers.get(effect.endpoint)?.delete(effect.name);
          break;
        case 'terminated':
        case 'processStopped':
          this.timers.delete(effect.endpoint);
          break;
        case 'processStarted':
          break;
      }
    }
  }

  /** How much it holds (for the benchmark and the memory test). */
  get size(): number {
    let timers = 0;
    for (const set of this.timers.values()) timers += set.size;
    return this.inFlight.size + timers;
  }

  private followsMessage(envelope: Envelope<ClusterMessage>): boolean {
    return this.follows(envelope.from) && this.follows(envelope.to);
  }

  private timersOf(endpoint: EndpointId): Set<string> {
    let set = this.timers.get(endpoint);
    if (set === undefined) {
      set = new Set();
      this.timers.set(endpoint, set);
    }
    return set;
  }
}

/** What identifies a message whatever happened to it on the way (a delay moves its deadline). */
function identity(envelope: Envelope<ClusterMessage>): string {
  const { kind, from, to, toIncarnation } = envelope;
  return canonicalJson({
    kind,
    from,
    to,
    toIncarnation,
    askId: 'askId' in envelope ? envelope.askId : null,
    msg: 'msg' in envelope ? envelope.msg : null,
  });
}
