/**
 * What a check found, as data (`check --json` prints it as is) and as text for people. Exit
 * codes: 0 the trace conforms, 1 a divergence or a broken invariant, 2 input the checker cannot use.
 */
import type { Divergence } from '../../conformance/machineInstance.js';
import type { EndLine } from '../format.js';

export type Verdict = 'conforms' | 'violates' | 'unusable';

export interface DivergenceFinding {
  /** The trace line (0: the processes' start, before any line). */
  readonly line: number;
  readonly step: number;
  /** The event the trace shows there. */
  readonly event: string;
  readonly message: string;
  /** The machine, its state, the event and what it allowed (or the two states that differ). */
  readonly detail: Divergence | null;
}

export interface InvariantFinding {
  readonly invariant: string;
  /** The first line it was broken on, and what broke there. */
  readonly line: number;
  readonly step: number;
  readonly problems: readonly string[];
  /** On how many lines it was broken. */
  readonly lines: number;
}

export interface CheckReport {
  readonly verdict: Verdict;
  readonly exitCode: 0 | 1 | 2;
  readonly mode: 'full' | 'relaxed' | null;
  readonly observed: 'all' | readonly string[] | null;
  readonly lines: number;
  readonly steps: number;
  readonly ended: EndLine['reason'] | null;
  readonly divergence: DivergenceFinding | null;
  readonly violations: readonly InvariantFinding[];
  /** What the trace did not let the checker check, one sentence each. */
  readonly unchecked: readonly string[];
  readonly error: { readonly line: number; readonly message: string } | null;
}

export function exitCodeOf(verdict: Verdict): 0 | 1 | 2 {
  return verdict === 'conforms' ? 0 : verdict === 'violates' ? 1 : 2;
}

/** The report for people: findings first, then what was not checked, then the verdict. */
export function formatReport(name: string, report: CheckReport): string[] {
  if (report.error !== null) return [`${name}:${report.error.line}: ${report.error.message}`];
  const out: string[] = [];
  const scope =
    report.mode === 'full'
      ? 'every component observed'
      : `relaxed: only ${(report.observed as readonly string[]).join(', ')} observed`;
  out.push(`${name}: ${report.lines} lines, ${report.steps} steps checked (${scope})`);
  const d = report.divergence;
  if (d !== null) {
    out.push(`divergence at line ${d.line}${d.step > 0 ? ` (step ${d.step})` : ''}: ${d.event}`);
    if (d.detail?.kind === 'notAllowed') {
      out.push(`  ${d.detail.component} is in state ${d.detail.state}`);
      out.push(`  the trace shows ${JSON.stringify(d.detail.event)}`);
      out.push(`  the model allows there: ${d.detail.allowed.join(', ') || 'nothing'}`);
    } else if (d.detail?.kind === 'stateDiffers') {
      out.push(
        `  ${d.detail.component}: the model is in ${d.detail.model}, the trace observed ${d.detail.observed}`,
      );
    } else out.push(`  ${d.message}`);
  }
  for (const v of report.violations) {
    out.push(
      `broken invariant ${v.invariant} at line ${v.line} (step ${v.step})${v.lines > 1 ? `, and on ${v.lines - 1} later lines` : ''}:`,
    );
    for (const problem of v.problems) out.push(`  ${problem}`);
  }
  for (const note of report.unchecked) out.push(`not checked: ${note}`);
  out.push(
    `verdict: ${report.verdict === 'conforms' ? 'CONFORMS' : 'VIOLATES'} (exit ${report.exitCode})`,
  );
  return out;
}
