/**
 * How the campaign's findings read: one line per mutant as it is done, the table (plain or
 * Markdown for the README), and the catalogue of the zoo (`mutants --list`).
 */
import { MUTANTS, type Mutant } from '../impl/mutants.js';
import { ZOO } from './bugs.js';
import type { ExploreConfig } from '../explorer/exploreConfig.js';
import type { ExplorerFinding, MutantFinding, SuiteFinding } from './campaign.js';

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function steps(n: number | null): string {
  return n === null ? '?' : `${n} step${n === 1 ? '' : 's'}`;
}

/** A search's bounds in a few words: the cluster, the fault budgets, the leader changes, the depth. */
export function describeSearch(b: ExploreConfig): string {
  const c = b.cluster;
  const faults = Object.entries(b.sim.faults)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  const timeouts = Object.entries(c.timeouts)
    .filter(([name, ms]) => ms < 5_000 && name !== 'rpcTimeoutMs')
    .map(([name, ms]) => `${name.replace(/Ms$/, '')} ${ms} ms`);
  return [
    `${c.taskExecutors}×${c.slotsPerTaskExecutor} slots`,
    `parallelism ${c.jobs.map((j) => j.parallelism).join('+')}`,
    faults.length === 0 ? 'no faults' : faults.join(', '),
    ...(c.leaderChanges > 0 ? [`${c.leaderChanges} leader change`] : []),
    ...timeouts,
    `depth ${b.maxDepth}`,
  ].join(', ');
}

function suiteCell(s: SuiteFinding): string[] {
  if (!s.caught) return ['not caught', `${s.runs}`, seconds(s.ms), '—'];
  return [s.by ?? '?', `${s.runs}`, seconds(s.ms), steps(s.steps)];
}

function explorerCell(e: ExplorerFinding | null): string[] {
  if (e === null) return ['not searched', '—', '—', '—'];
  if (!e.caught) return ['not caught', '—', `${e.distinct}`, seconds(e.ms)];
  return [e.by ?? '?', steps(e.depth), `${e.distinct}`, seconds(e.ms)];
}

/** One line for a mutant just hunted. */
export function formatFinding(f: MutantFinding): string {
  const [by, runs, time, steps] = suiteCell(f.suite);
  const [eBy, depth, states, eTime] = explorerCell(f.explorer);
  return `${f.mutant}: suite ${by} at run ${runs} in ${time}, shrunk to ${steps}; explorer ${eBy}${f.explorer?.caught === true ? ` in ${depth}, ${states} states, ${eTime}` : ''}`;
}

const HEADER = [
  'mutant',
  'FLINK',
  'suite: caught by',
  'runs',
  'to failure',
  'shrunk',
  'explorer: caught by',
  'depth',
  'states',
  'time',
];

export function formatTable(findings: readonly MutantFinding[], markdown: boolean): string[] {
  const rows = findings.map((f) => [
    markdown ? `\`${f.mutant}\`` : f.mutant,
    ZOO[f.mutant].flink ?? 'canary',
    ...suiteCell(f.suite),
    ...explorerCell(f.explorer),
  ]);
  if (markdown)
    return [
      `| ${HEADER.join(' | ')} |`,
      `|${HEADER.map((_, i) => (i >= 3 && i !== 6 ? ' ---: ' : ' --- ')).join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ];
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 3 && i !== 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADER), ...rows.map(line)];
}

/** The zoo, mutant by mutant: what it breaks, where it comes from, what should catch it. */
export function formatCatalogue(mutants: readonly Mutant[]): string[] {
  const lines: string[] = [];
  for (const m of mutants) {
    const e = ZOO[m];
    lines.push(`${m}${e.flink === null ? ' (canary)' : ` (${e.flink})`}`);
    lines.push(`  defect:       ${MUTANTS[m]}`);
    if (e.fixedBy !== null) lines.push(`  fixed by:     ${e.fixedBy}`);
    if (e.affected !== null) lines.push(`  affected:     ${e.affected}`);
    lines.push(`  interleaving: ${e.interleaving}`);
    lines.push(`  expected:     ${e.expected.join(' or ')}`);
    lines.push(
      `  budget:       ${e.runs} runs of the property suite; ${e.bounds === null ? `not searched by the explorer (${e.notSearched ?? 'no bounds'})` : `the explorer on ${describeSearch(e.bounds)}`}`,
    );
    lines.push('');
  }
  return lines;
}
