/**
 * Runs a system under a policy while recording its trace: the one way the CLI, the tests and the
 * determinism self-check produce traces.
 */
import type { Json } from '../impl/sim/canonical.js';
import type { SimConfig } from '../impl/sim/config.js';
import { runChoices, runSeeded, type RunObserver, type RunResult } from '../impl/sim/run.js';
import type { SimSystem } from '../impl/sim/system.js';
import { TraceRecorder, type LineSink } from './recorder.js';

/** How the run's steps are chosen. */
export type Drive =
  { readonly seed: number } | { readonly seed: number; readonly choices: readonly number[] };

export function recordRun<S, M, A extends Json>(
  system: SimSystem<S, M, A>,
  config: { readonly sim: SimConfig; readonly system: Json },
  drive: Drive,
  sink: LineSink,
  observer: RunObserver<M, A> = {},
): RunResult<S, M, A> {
  const choices = 'choices' in drive ? drive.choices : null;
  const recorder = new TraceRecorder<M, A>(
    {
      system: system.name,
      config: { sim: config.sim, system: config.system },
      seed: drive.seed,
      choices,
    },
    sink,
  );
  const both = alongside(recorder, observer);
  return choices === null
    ? runSeeded(system, config.sim, drive.seed, both)
    : runChoices(system, config.sim, choices, both, drive.seed);
}

/** One observer that calls `first`, then `second`, for every record. */
function alongside<M, A>(first: RunObserver<M, A>, second: RunObserver<M, A>): RunObserver<M, A> {
  return {
    start: (record) => {
      first.start?.(record);
      second.start?.(record);
    },
    step: (record) => {
      first.step?.(record);
      second.step?.(record);
    },
    end: (end) => {
      first.end?.(end);
      second.end?.(end);
    },
  };
}

/** The whole trace of a run as one string (lines ending in `\n`). */
export function traceText<S, M, A extends Json>(
  system: SimSystem<S, M, A>,
  config: { readonly sim: SimConfig; readonly system: Json },
  drive: Drive,
): { text: string; result: RunResult<S, M, A> } {
  const lines: string[] = [];
  const result = recordRun(system, config, drive, (line) => lines.push(line));
  return { text: lines.map((l) => `${l}\n`).join(''), result };
}
