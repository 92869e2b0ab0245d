/**
 * A failing case made readable: the case is run again with a timeline and a trace recorder, and
 * its decisions become a short numbered list of steps in Flink's words — each one the fault,
 * timer or action the generator chose, after a summary of the ordinary progress before it — ending
 * with the step that broke an invariant (or the healing after which an eventual check failed).
 * The full step-by-step run goes to the trace file.
 */
import type { Mutant } from '../impl/mutants.js';
import { describeStep } from '../impl/sim/step.js';
import { CaseTrace } from './caseTrace.js';
import { Timeline } from '../traces/timeline.js';
import { openTraceFile } from '../traces/traceFile.js';
import type { CheckFailure } from './checkedRun.js';
import { messageType } from './interleaving.js';
import type { PropertyCase } from './generators.js';
import { runCase } from './propertyRun.js';

export interface Counterexample {
  readonly failure: CheckFailure;
  /** The numbered steps, in Flink's words. */
  readonly steps: readonly string[];
  /** Where the full trace was written (null: not written). */
  readonly tracePath: string | null;
}

/** How many lines of ordinary progress a step's summary quotes. */
const PROGRESS_LINES = 3;

function withoutTime(line: string): string {
  return line.replace(/^\s*[\d.]+ s\s+/, '');
}

/** One line per cluster setting that matters for reading the case. */
export function describeCase(c: PropertyCase, mutants: readonly Mutant[]): string {
  const cl = c.cluster;
  const t = cl.timeouts;
  const on = Object.entries(c.profile)
    .filter(([, w]) => w > 0)
    .map(([k]) => k);
  return (
    `${cl.mode} cluster, ${cl.taskExecutors} TaskExecutors × ${cl.slotsPerTaskExecutor} slots, jobs of parallelism ${cl.jobs.map((j) => `${j.parallelism}${j.submitted ? '' : ' (late)'}`).join(', ')}; ` +
    `heartbeat ${t.heartbeatIntervalMs / 1000}/${t.heartbeatTimeoutMs / 1000} s, ask ${t.rpcTimeoutMs / 1000} s, slot ${t.slotTimeoutMs / 1000} s, idle slot ${t.idleSlotTimeoutMs / 1000} s, slot request ${t.slotRequestTimeoutMs / 1000} s; ` +
    `decisions of kinds ${on.join(', ') || 'none'}${mutants.length > 0 ? `; mutants ${mutants.join(', ')}` : ''}`
  );
}

/**
 * Runs the case again, recording it, and explains its failure. `traceStem` names the trace file
 * under runs/ (null: no file).
 */
export function explain(
  c: PropertyCase,
  mutants: readonly Mutant[],
  traceStem: string | null,
): Counterexample | null {
  const timeline = new Timeline();
  const lines = new Map<number, string[]>();
  const phases = new Map<number, string>();
  const output = traceStem === null ? null : openTraceFile(undefined, traceStem, false, () => {});
  const trace = output === null ? null : new CaseTrace(c, mutants, (line) => output.write(line));
  const result = runCase(c, {
    mutants,
    onStart: (record, state) => trace?.start(record, state),
    onStep: (record, phase, world) => {
      trace?.step(record, world.system);
      lines.set(record.index, timeline.lines(record, world.system).map(withoutTime));
      if (lines.get(record.index)?.length === 0)
        lines.set(record.index, [describeStep(record.step)]);
      phases.set(record.index, phase);
    },
  });
  trace?.end(result);
  output?.close();
  const failure = result.run.failure;
  if (failure === null) return null;

  const steps: string[] = [];
  const progress = (from: number, to: number): string => {
    const quoted = [];
    for (let i = from; i < to; i++)
      quoted.push(...(lines.get(i) ?? []).filter((l) => !/^(fireTimer|deliver #)/.test(l)));
    const n = to - from;
    if (n === 0) return '';
    const shown = quoted.slice(-PROGRESS_LINES);
    const more = quoted.length - shown.length;
    return `after ${n} step${n === 1 ? '' : 's'} of ordinary progress${shown.length === 0 ? '' : ` (${more > 0 ? '… ' : ''}${shown.join('; ')})`}, `;
  };
  let previous = 1;
  const last = failure.step ?? Number.POSITIVE_INFINITY;
  for (const taken of result.taken) {
    if (taken.stepIndex === null || taken.stepIndex > last) continue;
    if (taken.held !== undefined) {
      const m = taken.held;
      steps.push(
        `${progress(previous, taken.stepIndex)}${messageType(m)} ${m.from} → ${m.to} is held back (a slower link) until the next decision`,
      );
      previous = taken.stepIndex;
      continue;
    }
    const what = (lines.get(taken.stepIndex) ?? []).join('; ');
    steps.push(`${progress(previous, taken.stepIndex)}${what}`);
    previous = taken.stepIndex + 1;
  }
  if (failure.step !== null) {
    if (failure.step >= previous) {
      const what = (lines.get(failure.step) ?? []).join('; ');
      steps.push(
        `${progress(previous, failure.step)}${phases.get(failure.step) === 'healing' ? 'while healing, ' : ''}${what}`,
      );
    }
  } else {
    const healed = result.run.healingSteps;
    steps.push(
      `${progress(previous, result.run.faultSteps + 1)}the faults stop: partitions heal, crashed processes restart, and the cluster runs for ${(result.healMs / 1000).toFixed(0)} s (${healed} steps)`,
    );
  }
  return {
    failure,
    steps: steps.map((s, i) => `${i + 1}. ${s.charAt(0).toUpperCase()}${s.slice(1)}`),
    tracePath: output?.path ?? null,
  };
}

/** The report of a failed property: what broke, the case, the replay command, the steps, the trace. */
export function formatReport(
  c: PropertyCase,
  mutants: readonly Mutant[],
  counterexample: Counterexample,
  replay: string,
): string {
  const f = counterexample.failure;
  const where = f.step === null ? 'after healing' : `at step ${f.step}`;
  return [
    `PROPERTY FAILED (${f.kind}, ${where}): ${f.broken.join(', ') || f.kind}`,
    `  what broke: ${f.message}`,
    `  case: ${describeCase(c, mutants)}`,
    `  replay: ${replay}`,
    `  counterexample (${counterexample.steps.length} steps):`,
    ...counterexample.steps.map((s) => `    ${s}`),
    ...(f.pending.length > 0
      ? ['  why it has not converged:', ...f.pending.map((p) => `    ${p}`)]
      : []),
    `  trace: ${counterexample.tracePath ?? '(not written)'}`,
  ].join('\n');
}
