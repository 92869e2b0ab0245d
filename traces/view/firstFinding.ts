/**
 * The first thing the checker found wrong in a trace, the one the view highlights: the earlier of
 * the first divergence and the first broken invariant (a divergence first when both are on one
 * line, as the checker's report lists them). Its words are the checker's own: the report is
 * formatted (traces/check/report.ts) with only this finding in it.
 */
import { formatReport, type CheckReport } from '../check/report.js';

export interface Finding {
  readonly kind: 'divergence' | 'invariant';
  readonly line: number;
  readonly step: number;
  /** The finding as `flink-slot-model check` prints it: its heading, then its detail lines. */
  readonly words: readonly string[];
  /** The machine instance that diverged (`te-1 taskSlot[0]`), for a divergence. */
  readonly component: string | null;
}

export function firstFinding(report: CheckReport, name: string): Finding | null {
  const divergence = report.divergence;
  const invariant = report.violations.reduce<(typeof report.violations)[number] | undefined>(
    (first, v) => (first === undefined || v.line < first.line ? v : first),
    undefined,
  );
  if (divergence === null && invariant === undefined) return null;
  const only: CheckReport = {
    ...report,
    divergence: null,
    violations: [],
    unchecked: [],
  };
  if (divergence !== null && (invariant === undefined || divergence.line <= invariant.line)) {
    return {
      kind: 'divergence',
      line: divergence.line,
      step: divergence.step,
      // The first and last lines of a report are its summary and its verdict.
      words: formatReport(name, { ...only, divergence }).slice(1, -1),
      component: divergence.detail?.component ?? null,
    };
  }
  if (invariant === undefined) return null;
  return {
    kind: 'invariant',
    line: invariant.line,
    step: invariant.step,
    words: formatReport(name, { ...only, violations: [invariant] }).slice(1, -1),
    component: null,
  };
}
