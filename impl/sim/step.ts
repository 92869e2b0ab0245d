/**
 * Everything the environment can do next, as one closed union. The scheduler lists the enabled
 * steps of a state as plain data, a policy (seeded, or a choice sequence) picks one, and
 * `applyStep` carries it out; every switch over `Step` is exhaustive, so a new kind of step
 * cannot be forgotten anywhere.
 */
import type { EndpointId } from './world.js';

/** Deliver the oldest deliverable message of its link (per-link FIFO, as Flink's RPC keeps). */
export interface DeliverStep {
  readonly kind: 'deliver';
  readonly seq: number;
}
/** Fault: deliver a message ahead of older messages on the same link. */
export interface ReorderStep {
  readonly kind: 'reorder';
  readonly seq: number;
}
/** Fault: the message is lost. */
export interface DropStep {
  readonly kind: 'drop';
  readonly seq: number;
}
/** Fault: a copy of the message is sent again (queued behind the link's other messages). */
export interface DuplicateStep {
  readonly kind: 'duplicate';
  readonly seq: number;
}
/** Fault: the message may arrive up to `network.delayMs` later than usual. */
export interface DelayStep {
  readonly kind: 'delay';
  readonly seq: number;
}
/** Advance the clock to the timer's deadline and fire it. */
export interface FireTimerStep {
  readonly kind: 'fireTimer';
  readonly endpoint: EndpointId;
  readonly name: string;
}
/** Fault: the process dies and loses its state, timers and pending asks. */
export interface CrashStep {
  readonly kind: 'crash';
  readonly endpoint: EndpointId;
}
/** A crashed process starts again as a new incarnation. */
export interface RestartStep {
  readonly kind: 'restart';
  readonly endpoint: EndpointId;
}
/** Fault: messages from `from` to `to` (and back, if two-way) are no longer delivered. */
export interface PartitionStep {
  readonly kind: 'partition';
  readonly from: EndpointId;
  readonly to: EndpointId;
  readonly twoWay: boolean;
}
/** Both directions between `a` and `b` deliver again; held messages become deliverable. */
export interface HealStep {
  readonly kind: 'heal';
  readonly a: EndpointId;
  readonly b: EndpointId;
}
/** A client acts on an endpoint (submit a job, change its parallelism, cancel it...). */
export interface ClientStep<A> {
  readonly kind: 'client';
  readonly endpoint: EndpointId;
  readonly action: A;
}

export type Step<A> =
  | DeliverStep
  | ReorderStep
  | DropStep
  | DuplicateStep
  | DelayStep
  | FireTimerStep
  | CrashStep
  | RestartStep
  | PartitionStep
  | HealStep
  | ClientStep<A>;

export type StepKind = Step<unknown>['kind'];

/** All step kinds, in the canonical order in which enabled steps are listed. */
export const STEP_KINDS: readonly StepKind[] = [
  'deliver',
  'reorder',
  'drop',
  'duplicate',
  'delay',
  'fireTimer',
  'crash',
  'restart',
  'partition',
  'heal',
  'client',
];

/** A short human-readable form of a step, for messages and test assertions. */
export function describeStep<A>(step: Step<A>): string {
  switch (step.kind) {
    case 'deliver':
    case 'reorder':
    case 'drop':
    case 'duplicate':
    case 'delay':
      return `${step.kind} #${step.seq}`;
    case 'fireTimer':
      return `fireTimer ${step.endpoint}/${step.name}`;
    case 'crash':
    case 'restart':
      return `${step.kind} ${step.endpoint}`;
    case 'partition':
      return `partition ${step.from}${step.twoWay ? '<->' : '->'}${step.to}`;
    case 'heal':
      return `heal ${step.a}<->${step.b}`;
    case 'client':
      return `client ${step.endpoint} ${JSON.stringify(step.action)}`;
  }
}
