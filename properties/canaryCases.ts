/**
 * How each canary (impl/mutants.ts) is expected to be caught, and the campaign seed that catches
 * it quickly: shared by the canary tests and the script that records the canaries'
 * counterexample traces (traces/samples/). Every canary was caught from each of the seeds 1–6
 * within 110 runs; these are the seeds whose shrinking is quick (it replays whole runs).
 */
import type { Canary } from '../impl/mutants.js';

/** What each canary must break (the machine monitors may notice first: both count). */
export const CANARY_CASES: Readonly<
  Record<Canary, { readonly caughtBy: RegExp; readonly seed: number }>
> = {
  'canary:taskExecutorAcceptsOccupiedSlot': {
    caughtBy: /conformance|slotFreedBeforeReallocated/,
    seed: 42,
  },
  'canary:taskExecutorIgnoresResourceManagerId': {
    caughtBy: /conformance|staleMessagesChangeNothing/,
    seed: 2,
  },
  'canary:slotPoolAcceptsSurplusOffers': {
    caughtBy: /poolTakesSlotsOnlyForRequirements|conformance/,
    seed: 42,
  },
};

/** How many generated runs a canary's campaign may take. */
export const CANARY_RUNS = 300;
