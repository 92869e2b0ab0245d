/**
 * The simulator's configuration: network timing, fault budgets and the default policy's weights.
 * A run is fully described by (this configuration, the system's configuration, a seed or a choice
 * sequence). Defaults give a fault-free, FIFO network; faults are switched on by budget.
 */
import { z } from 'zod';

/** Faults the simulator injects, each a counted step with a budget per run. */
export const FAULT_KINDS = ['drop', 'duplicate', 'delay', 'reorder', 'crash', 'partition'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const budget = z.number().int().min(0);
const weight = z.number().min(0);

export const NetworkConfig = z.strictObject({
  /**
   * The longest a message may stay in flight: time cannot pass beyond a deliverable message's
   * deadline, so a message is delivered before any timer that fires later than `latencyMs` after
   * it was sent, unless a fault (delay, partition) holds it.
   */
  latencyMs: z.number().int().min(0).default(5),
  /**
   * The least time a message spends in flight (0: it may arrive at once). With a positive value a
   * delivery moves the clock to the message's earliest arrival, so endless message exchanges
   * cannot freeze simulated time, and a timer due before that arrival fires first.
   */
  minLatencyMs: z.number().int().min(0).default(0),
  /** How much later a `delay` fault lets a message arrive. */
  delayMs: z.number().int().min(0).default(15_000),
});

export const FaultBudget = z.strictObject({
  drop: budget.default(0),
  duplicate: budget.default(0),
  delay: budget.default(0),
  reorder: budget.default(0),
  crash: budget.default(0),
  partition: budget.default(0),
});
export type FaultBudget = z.infer<typeof FaultBudget>;

/** Relative weights with which the seeded policy picks the kind of the next step. */
export const StepWeights = z.strictObject({
  deliver: weight.default(100),
  reorder: weight.default(5),
  drop: weight.default(5),
  duplicate: weight.default(3),
  delay: weight.default(3),
  fireTimer: weight.default(30),
  crash: weight.default(2),
  restart: weight.default(10),
  partition: weight.default(2),
  heal: weight.default(10),
  client: weight.default(10),
});
export type StepWeights = z.infer<typeof StepWeights>;

export const SimConfig = z.strictObject({
  /** A run stops after this many steps, or earlier when no step is enabled. */
  maxSteps: z.number().int().min(0).default(1_000),
  network: NetworkConfig.default(NetworkConfig.parse({})),
  faults: FaultBudget.default(FaultBudget.parse({})),
  weights: StepWeights.default(StepWeights.parse({})),
});
export type SimConfig = z.infer<typeof SimConfig>;
export type SimConfigInput = z.input<typeof SimConfig>;

/** A complete configuration from a partial one, with every default filled in. */
export function simConfig(input: SimConfigInput = {}): SimConfig {
  return SimConfig.parse(input);
}
