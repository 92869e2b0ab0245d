/**
 * Runs a simulation to its end under a policy: seeded (the PRNG in the world picks every step) or
 * a choice sequence (each choice indexes the enabled steps). An observer sees every record; the
 * trace recorder is one.
 */
import type { Json } from './canonical.js';
import type { SimConfig } from './config.js';
import { pickByChoice, pickSeeded } from './policy.js';
import type { StartRecord, StepRecord } from './record.js';
import { Simulation } from './simulation.js';
import type { Step } from './step.js';
import type { SimSystem } from './system.js';

/** Why a run ended. */
export type EndReason =
  /** No step was enabled: nothing in flight, no timer armed, no fault or client action left. */
  | 'quiescent'
  /** `maxSteps` steps were taken. */
  | 'maxSteps'
  /** Every choice of the sequence was used. */
  | 'choicesExhausted'
  /** A checked run (properties/checkedRun.ts) healed and passed its eventual checks. */
  | 'healed'
  /** A checked run stopped at a failed check. */
  | 'checkFailed';

export interface RunEnd {
  readonly steps: number;
  readonly time: number;
  readonly reason: EndReason;
  readonly hash: string;
}

export interface RunObserver<M, A> {
  start?(record: StartRecord<M>): void;
  step?(record: StepRecord<M, A>): void;
  end?(end: RunEnd): void;
}

export interface RunResult<S, M, A extends Json> extends RunEnd {
  readonly simulation: Simulation<S, M, A>;
}

/** Runs from `seed` until quiescence or `config.maxSteps`. */
export function runSeeded<S, M, A extends Json>(
  system: SimSystem<S, M, A>,
  config: SimConfig,
  seed: number,
  observer: RunObserver<M, A> = {},
): RunResult<S, M, A> {
  const { simulation, record } = Simulation.start(system, config, seed);
  observer.start?.(record);
  return drive(simulation, observer, (steps) =>
    pickSeeded(simulation.state.rng, config.weights, steps),
  );
}

/** Runs the choice sequence (then stops); `seed` only seeds the world's PRNG state. */
export function runChoices<S, M, A extends Json>(
  system: SimSystem<S, M, A>,
  config: SimConfig,
  choices: readonly number[],
  observer: RunObserver<M, A> = {},
  seed = 0,
): RunResult<S, M, A> {
  const { simulation, record } = Simulation.start(system, config, seed);
  observer.start?.(record);
  let next = 0;
  return drive(simulation, observer, (steps) => {
    const choice = choices[next++];
    return choice === undefined ? undefined : pickByChoice(choice, steps);
  });
}

function drive<S, M, A extends Json>(
  simulation: Simulation<S, M, A>,
  observer: RunObserver<M, A>,
  choose: (steps: readonly Step<A>[]) => Step<A> | undefined,
): RunResult<S, M, A> {
  let reason: EndReason = 'maxSteps';
  while (simulation.state.stepCount < simulation.config.maxSteps) {
    const steps = simulation.enabledSteps();
    if (steps.length === 0) {
      reason = 'quiescent';
      break;
    }
    const step = choose(steps);
    if (step === undefined) {
      reason = 'choicesExhausted';
      break;
    }
    // Applied before the observer is asked: `observer.step?.(apply())` would skip the step itself
    // when there is no observer.
    const record = simulation.applyEnabled(step);
    observer.step?.(record);
  }
  const end: RunEnd = {
    steps: simulation.state.stepCount,
    time: simulation.state.now,
    reason,
    hash: simulation.hash(),
  };
  observer.end?.(end);
  return { ...end, simulation };
}
