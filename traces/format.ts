/**
 * The trace format, version 2 (documented in traces/FORMAT.md): newline-delimited JSON, one object
 * per line, keys in canonical (sorted) order so that the same run always gives the same bytes.
 *
 *   line 1      header  {format, formatVersion, protocol, system, config, seed, choices, observed}
 *   line 2      start   the effects of every process's first start, and the states it left
 *   lines 3..n  step    one per step: index, time, the step, its outcome, the effects it caused,
 *                       and the observed state of every component the step changed
 *   last line   end     why the run ended, its length, and the hash of the final world state
 *
 * Every message inside a line is checked against the protocol catalogue (traces/messageSchema.ts),
 * so the message vocabulary is declared once, in protocol/. Version 2 added the observed states,
 * the `observed` field of the header and `healedMs` of the end line.
 */
import { z } from 'zod';
import { SimConfig } from '../impl/sim/config.js';
import { ProtocolMessageSchema } from './messageSchema.js';

export const TRACE_FORMAT = 'flink-slot-model-trace';
export const TRACE_FORMAT_VERSION = 2;
/** The Flink protocol version the model follows (flink-protocol.md §0.1). */
export const PROTOCOL_VERSION = 'flink-1.15-1.17';

/** An endpoint: `rm`, `te-1`, `jm-job-1`, `provider`, `ha`, `echo-a`. */
export const Endpoint = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'an endpoint name: lower-case letters, digits and dashes')
  .max(64);
const Seq = z.number().int().min(1);
const Time = z.number().int().min(0);
const Name = z.string().min(1).max(200);

/**
 * Which components the trace observed: `all` (every step of the run, every component's state
 * whenever it changed), or the endpoints whose steps and states it holds (a partial trace, checked
 * in relaxed mode).
 */
export const Observed = z.union([z.literal('all'), z.array(Endpoint).min(1)]);
export type Observed = z.infer<typeof Observed>;

export const TraceHeader = z.strictObject({
  kind: z.literal('header'),
  format: z.literal(TRACE_FORMAT),
  formatVersion: z.literal(TRACE_FORMAT_VERSION),
  protocol: z.literal(PROTOCOL_VERSION),
  /** Which system ran: `echo` (the simulator's demonstration) or `flink-cluster`. */
  system: z.string().min(1),
  /** `system` is the system's own configuration (for `flink-cluster`, it has a `cluster` field). */
  config: z.strictObject({ sim: SimConfig, system: z.json() }),
  /** The seed of a seeded run; for a choice-sequence run, the seed of the world's PRNG. */
  seed: z.number().int().min(0),
  /** The choice sequence of a choice-driven run; null for a seeded run. */
  choices: z.array(z.number().int().min(0)).nullable(),
  observed: Observed,
});
export type TraceHeader = z.infer<typeof TraceHeader>;

/** The cluster configuration a Flink cluster's header carries (`config.system.cluster`), unchecked. */
export function headerCluster(header: TraceHeader): unknown {
  const system = header.config.system;
  return typeof system === 'object' && system !== null && !Array.isArray(system)
    ? system['cluster']
    : undefined;
}

const envelopeBase = {
  seq: Seq,
  from: Endpoint,
  to: Endpoint,
  toIncarnation: z.number().int().min(0),
  deliverBy: Time,
  deliverAfter: Time.optional(),
};
export const EnvelopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tell'), ...envelopeBase, msg: ProtocolMessageSchema }),
  z.strictObject({
    kind: z.literal('ask'),
    ...envelopeBase,
    askId: Seq,
    msg: ProtocolMessageSchema,
  }),
  z.strictObject({
    kind: z.literal('reply'),
    ...envelopeBase,
    askId: Seq,
    msg: ProtocolMessageSchema,
  }),
  z.strictObject({ kind: z.literal('unreachable'), ...envelopeBase, askId: Seq }),
]);

const seqStep = <K extends string>(kind: K) => z.strictObject({ kind: z.literal(kind), seq: Seq });
/** A client's action: HA's (elect, change or expire a leader, submit or remove a job) or a job's. */
const ClientAction = z.looseObject({ kind: Name });
export const StepSchema = z.discriminatedUnion('kind', [
  seqStep('deliver'),
  seqStep('reorder'),
  seqStep('drop'),
  seqStep('duplicate'),
  seqStep('delay'),
  z.strictObject({ kind: z.literal('fireTimer'), endpoint: Endpoint, name: Name }),
  z.strictObject({ kind: z.literal('crash'), endpoint: Endpoint }),
  z.strictObject({ kind: z.literal('restart'), endpoint: Endpoint }),
  z.strictObject({
    kind: z.literal('partition'),
    from: Endpoint,
    to: Endpoint,
    twoWay: z.boolean(),
  }),
  z.strictObject({ kind: z.literal('heal'), a: Endpoint, b: Endpoint }),
  z.strictObject({ kind: z.literal('client'), endpoint: Endpoint, action: ClientAction }),
]);

const TimerSchema = z.strictObject({
  endpoint: Endpoint,
  name: Name,
  fireAt: Time,
  askId: Seq.nullable(),
  data: z.json(),
});
const PendingAskSchema = z.strictObject({
  askId: Seq,
  caller: Endpoint,
  callee: Endpoint,
  request: ProtocolMessageSchema,
  context: z.json(),
});
const withEnvelope = <K extends string>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), envelope: EnvelopeSchema });
export const OutcomeSchema = z.discriminatedUnion('kind', [
  withEnvelope('delivered'),
  z.strictObject({ kind: z.literal('discarded'), envelope: EnvelopeSchema, reason: Name }),
  withEnvelope('lateReply'),
  withEnvelope('dropped'),
  z.strictObject({ kind: z.literal('duplicated'), envelope: EnvelopeSchema, copySeq: Seq }),
  z.strictObject({ kind: z.literal('delayed'), envelope: EnvelopeSchema, deliverBy: Time }),
  z.strictObject({ kind: z.literal('timerFired'), timer: TimerSchema }),
  z.strictObject({ kind: z.literal('askTimedOut'), ask: PendingAskSchema }),
  z.strictObject({ kind: z.literal('crashed'), endpoint: Endpoint, lostTimers: z.number().int() }),
  z.strictObject({
    kind: z.literal('restarted'),
    endpoint: Endpoint,
    incarnation: z.number().int().min(0),
  }),
  z.strictObject({ kind: z.literal('partitioned'), links: z.array(Name) }),
  z.strictObject({ kind: z.literal('healed'), links: z.array(Name) }),
  z.strictObject({ kind: z.literal('clientActed'), endpoint: Endpoint }),
]);

export const EffectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sent'), envelope: EnvelopeSchema }),
  z.strictObject({
    kind: z.literal('timerArmed'),
    endpoint: Endpoint,
    name: Name,
    fireAt: Time,
    data: z.json(),
  }),
  z.strictObject({ kind: z.literal('timerCancelled'), endpoint: Endpoint, name: Name }),
  z.strictObject({ kind: z.literal('terminated'), endpoint: Endpoint, reason: Name }),
  z.strictObject({
    kind: z.literal('processStarted'),
    endpoint: Endpoint,
    incarnation: z.number().int().min(0),
  }),
  z.strictObject({ kind: z.literal('processStopped'), endpoint: Endpoint }),
]);

/**
 * The observed state of components after a line, by endpoint: the component's state as plain
 * data (null while it is down). Only the components the line changed appear.
 */
export const ObservedStates = z.record(Endpoint, z.json());

export const StartLine = z.strictObject({
  kind: z.literal('start'),
  effects: z.array(EffectSchema),
  states: ObservedStates.optional(),
});

export const StepLine = z.strictObject({
  kind: z.literal('step'),
  index: z.number().int().min(1),
  time: Time,
  step: StepSchema,
  outcome: OutcomeSchema,
  effects: z.array(EffectSchema),
  states: ObservedStates.optional(),
});

export const END_REASONS = [
  'quiescent',
  'maxSteps',
  'choicesExhausted',
  'healed',
  'checkFailed',
] as const;

export const EndLine = z.strictObject({
  kind: z.literal('end'),
  steps: z.number().int().min(0),
  time: Time,
  /** `healed` and `checkFailed` end the main job's and the property suite's runs. */
  reason: z.enum(END_REASONS),
  hash: z.string(),
  /** How long the run healed before it ended (runs with a healing phase). */
  healedMs: Time.optional(),
});

export const TraceLine = z.discriminatedUnion('kind', [TraceHeader, StartLine, StepLine, EndLine]);
export type TraceLine = z.infer<typeof TraceLine>;
export type StepLine = z.infer<typeof StepLine>;
export type StartLine = z.infer<typeof StartLine>;
export type EndLine = z.infer<typeof EndLine>;
export const LINE_KINDS = ['header', 'start', 'step', 'end'] as const;
