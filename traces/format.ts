/**
 * The trace format, version 1: newline-delimited JSON, one object per line, keys in canonical
 * (sorted) order so that the same run always gives the same bytes.
 *
 *   line 1      header  {format, formatVersion, protocol, system, config, seed, choices}
 *   line 2      start   the effects of every process's first start
 *   lines 3..n  step    one per step: index, time, the step, its outcome, the effects it caused
 *   last line   end     why the run ended, its length, and the hash of the final world state
 *
 * Message bodies are checked against the protocol catalogue once the Flink components run on the
 * simulator; until then this schema checks the frame of each line. The traces issue documents the
 * format in full (traces/FORMAT.md) and extends it with observed component states.
 */
import { z } from 'zod';
import { SimConfig } from '../impl/sim/config.js';

export const TRACE_FORMAT = 'flink-slot-model-trace';
export const TRACE_FORMAT_VERSION = 1;
/** The Flink protocol version the model follows (flink-protocol.md §0.1). */
export const PROTOCOL_VERSION = 'flink-1.15-1.17';

export const TraceHeader = z.strictObject({
  kind: z.literal('header'),
  format: z.literal(TRACE_FORMAT),
  formatVersion: z.literal(TRACE_FORMAT_VERSION),
  protocol: z.literal(PROTOCOL_VERSION),
  /** Which system ran: `echo` (the simulator's demonstration) or `flink`. */
  system: z.string().min(1),
  config: z.strictObject({ sim: SimConfig, system: z.json() }),
  /** The seed of a seeded run; for a choice-sequence run, the seed of the world's PRNG. */
  seed: z.number().int().min(0),
  /** The choice sequence of a choice-driven run; null for a seeded run. */
  choices: z.array(z.number().int().min(0)).nullable(),
});
export type TraceHeader = z.infer<typeof TraceHeader>;

export const StartLine = z.strictObject({
  kind: z.literal('start'),
  effects: z.array(z.json()),
});

export const StepLine = z.strictObject({
  kind: z.literal('step'),
  index: z.number().int().min(1),
  time: z.number().int().min(0),
  step: z.looseObject({ kind: z.string() }),
  outcome: z.looseObject({ kind: z.string() }),
  effects: z.array(z.json()),
});

export const EndLine = z.strictObject({
  kind: z.literal('end'),
  steps: z.number().int().min(0),
  time: z.number().int().min(0),
  /** `healed` and `checkFailed` end the main job's runs (a fault phase, then healing). */
  reason: z.enum(['quiescent', 'maxSteps', 'choicesExhausted', 'healed', 'checkFailed']),
  hash: z.string(),
});

export const TraceLine = z.discriminatedUnion('kind', [TraceHeader, StartLine, StepLine, EndLine]);
export type TraceLine = z.infer<typeof TraceLine>;
