/**
 * The manifest of the sample traces (manifest.json beside this file, written by
 * `npm run samples`): what the checker must answer for each sample.
 */
export const SAMPLES_DIR = 'traces/samples';

export interface SampleExpectation {
  readonly file: string;
  readonly kind: 'conforming' | 'partial' | 'counterexample';
  /** How the sample was made. */
  readonly about: string;
  readonly exitCode: 0 | 1 | 2;
  /** For a counterexample: the line of the step where the property suite saw it fail. */
  readonly line?: number;
  /** For a counterexample: what the suite named, `conformance` or the invariants broken. */
  readonly caughtBy?: readonly string[];
}
