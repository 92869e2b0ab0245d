/**
 * Records the sample traces of traces/samples/ (`npm run samples`) and their manifest, which says
 * what the checker must answer for each:
 * - conforming runs of the simulator (a standalone and an active cluster), which must check clean;
 * - one TaskExecutor's view of the standalone run (a partial trace, checked in relaxed mode);
 * - the shrunk counterexample of each canary (impl/mutants.ts), recorded with the canary on, which
 *   the checker must reject at the line of the step where the property suite saw it fail, naming
 *   what the suite named.
 * The expectations come from the simulator and the property suite, not from the checker.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { simulate } from '../cli/simulate.js';
import type { Canary } from '../impl/mutants.js';
import { CANARY_CASES, CANARY_RUNS } from '../properties/canaryCases.js';
import { runSuite } from '../properties/suite.js';
import { TraceLine } from '../traces/format.js';
import { projectHeader, projectStart, projectStep } from '../traces/check/projection.js';
import { canonicalJson } from '../impl/sim/canonical.js';
import { SAMPLES_DIR, type SampleExpectation } from '../traces/samples/manifest.js';

const quiet = { out: () => undefined, err: () => undefined };
const samples: SampleExpectation[] = [];
const at = (file: string) => `${SAMPLES_DIR}/${file}`;

/** A run of the main job, shortened to keep the sample small. */
function conforming(file: string, mode: 'standalone' | 'active'): void {
  const code = simulate(
    { seed: 1, steps: 200, healSeconds: 40, mode, out: at(file), force: true, timeline: false },
    [],
    quiet,
  );
  if (code !== 0) throw new Error(`${file}: the simulation failed`);
  samples.push({
    file,
    kind: 'conforming',
    about: `seed 1, ${mode === 'active' ? 'an' : 'a'} ${mode} cluster: 200 steps under faults, 40 s of healing`,
    exitCode: 0,
  });
}

/** What `only` saw of a recorded trace. */
function partial(file: string, from: string, only: readonly string[]): void {
  const keep = new Set(only);
  const lines = readFileSync(at(from), 'utf8').trimEnd().split('\n');
  const out: string[] = [];
  for (const text of lines) {
    const line = TraceLine.parse(JSON.parse(text));
    const projected =
      line.kind === 'header'
        ? projectHeader(line, only)
        : line.kind === 'start'
          ? projectStart(line, keep)
          : line.kind === 'step'
            ? projectStep(line, keep)
            : line;
    if (projected !== null) out.push(canonicalJson(projected));
  }
  writeFileSync(at(file), `${out.join('\n')}\n`);
  samples.push({
    file,
    kind: 'partial',
    about: `what ${only.join(', ')} observed of ${from}`,
    exitCode: 0,
  });
}

/** The canary's shrunk counterexample, and where the suite saw it fail. */
function counterexample(mutant: Canary): void {
  const { seed } = CANARY_CASES[mutant];
  const stem = `sample-${mutant.replace(/[^a-zA-Z]/g, '-')}`;
  const result = runSuite({ seed, numRuns: CANARY_RUNS, mutants: [mutant], traceStem: stem });
  const failure = result.failure;
  if (failure === null) throw new Error(`${mutant} was not caught`);
  const { tracePath, failure: check } = failure.counterexample;
  if (tracePath === null || check.step === null)
    throw new Error(`${mutant}: no trace, or no failing step`);
  const file = `${mutant.replace(/^canary:/, 'canary-')}.ndjson`;
  renameSync(tracePath, at(file));
  samples.push({
    file,
    kind: 'counterexample',
    about: `the shrunk counterexample of ${mutant} (campaign seed ${seed}, path ${failure.path}), recorded with the canary on`,
    exitCode: 1,
    // The header and the start line come before the first step.
    line: check.step + 2,
    caughtBy: check.kind === 'invariant' ? [...check.broken] : ['conformance'],
  });
}

conforming('standalone-seed-1.ndjson', 'standalone');
conforming('active-seed-1.ndjson', 'active');
partial('standalone-seed-1-te-1.ndjson', 'standalone-seed-1.ndjson', ['te-1']);
for (const mutant of Object.keys(CANARY_CASES) as Canary[]) counterexample(mutant);
writeFileSync(at('manifest.json'), `${JSON.stringify(samples, null, 2)}\n`);
console.log(`wrote ${samples.length} sample traces and their manifest to ${SAMPLES_DIR}/`);
