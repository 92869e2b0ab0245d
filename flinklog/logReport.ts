/**
 * The report of a log check: the files and what was recognised in them, which lifecycle facts the
 * logs could not show at their level, every violation with the log lines behind it, and the lines
 * nobody recognised. As data (`--json`) and as text. Exit codes as `check`: 0 conforming, 1 a
 * violation, 2 nothing usable (no line of any file is in a Flink log layout).
 */
import {
  checkLogTrace,
  LOG_INVARIANTS,
  type LogCheckOptions,
  type LogViolation,
} from './checkLogTrace.js';
import { JOB_ENDS } from './logFact.js';
import type { LogTrace } from './logTrace.js';
import { TEMPLATES } from './templates/index.js';
import { variantLevel } from './templates/logTemplate.js';

export interface LogCheckReport {
  readonly verdict: 'conforms' | 'violates' | 'unusable';
  readonly exitCode: 0 | 1 | 2;
  readonly flinkVersion: string | null;
  readonly files: LogTrace['header']['files'];
  /** Recognised lines by template. */
  readonly recognised: Readonly<Record<string, number>>;
  /** What the slot checks followed: TaskManagers with a log, their allocations, jobs that ended. */
  readonly followed: {
    readonly taskManagers: number;
    readonly allocations: number;
    readonly freed: number;
    readonly jobsEnded: number;
  };
  readonly unobservable: readonly string[];
  readonly checked: readonly string[];
  readonly violations: readonly LogViolation[];
  readonly unknown: LogTrace['end']['unknown'];
  readonly notes: readonly string[];
}

/**
 * What the model follows that no INFO (or DEBUG) line of Flink states: the checks take these as
 * hidden transitions, never as violations.
 */
const NEVER_LOGGED = [
  "the JobMaster's answer to an offer, slot by slot: an accepted slot shows as Activate slot, a rejected one as Free slot",
  'a slot going back to ALLOCATED when its job disconnects (TaskSlotTableImpl#markSlotInactive logs nothing)',
  'heartbeats that arrive in time, and slot reports (the ResourceManager logs them at DEBUG if at all)',
  "the slot pool's view of each slot at the JobMaster, and the ResourceManager's slot manager view of each slot",
];

export function buildLogReport(trace: LogTrace, options: LogCheckOptions = {}): LogCheckReport {
  const { header, events, end } = trace;
  const usable = header.files.some((f) => f.entries > 0);
  const violations = usable ? checkLogTrace(trace, options) : [];
  const recognised: Record<string, number> = {};
  for (const e of events) recognised[e.template] = (recognised[e.template] ?? 0) + 1;
  const verdict = !usable ? 'unusable' : violations.length > 0 ? 'violates' : 'conforms';
  return {
    verdict,
    exitCode: verdict === 'conforms' ? 0 : verdict === 'violates' ? 1 : 2,
    flinkVersion: header.flinkVersion,
    files: header.files,
    recognised,
    followed: followed(trace),
    unobservable: unobservable(trace),
    checked: Object.entries(LOG_INVARIANTS).map(([name, doc]) => `${name}: ${doc}`),
    violations,
    unknown: end.unknown,
    notes: end.notes,
  };
}

function followed(trace: LogTrace): LogCheckReport['followed'] {
  const taskManagers = new Set<string>();
  const allocations = new Set<string>();
  const freed = new Set<string>();
  const jobsEnded = new Set<string>();
  for (const e of trace.events) {
    const f = e.fact;
    if (e.taskManager !== null) {
      taskManagers.add(e.taskManager);
      if ('allocationId' in f && f.allocationId !== null) {
        allocations.add(`${e.taskManager}/${f.allocationId}`);
        if (f.kind === 'slotFreed') freed.add(`${e.taskManager}/${f.allocationId}`);
      }
    }
    if (f.kind === 'jobReachedTerminalState') jobsEnded.add(f.jobId);
    if (f.kind === 'jobStatusChanged' && JOB_ENDS.has(f.state)) jobsEnded.add(f.jobId);
  }
  return {
    taskManagers: taskManagers.size,
    allocations: allocations.size,
    freed: freed.size,
    jobsEnded: jobsEnded.size,
  };
}

/** What these logs could not show: by their level, by the processes whose logs are missing, and always. */
function unobservable(trace: LogTrace): string[] {
  const { files, flinkVersion } = trace.header;
  const out: string[] = [];
  const has = (role: 'jobmanager' | 'taskmanager') =>
    files.some((f) => f.role === role || f.role === 'both');
  const debug = files.some((f) => f.debug);
  if (!has('taskmanager'))
    out.push(
      'no TaskManager log: slot states at the TaskManagers (allocate, activate, free) were not followed',
    );
  if (!has('jobmanager'))
    out.push(
      "no JobManager log: job ends, deployments, registrations and the ResourceManager's requests were not seen",
    );
  const logged = new Set(
    trace.events.flatMap((e) => (e.taskManager === null ? [] : [e.taskManager])),
  );
  const named = new Set(
    trace.events.flatMap((e) =>
      'taskManager' in e.fact && typeof e.fact.taskManager === 'string' ? [e.fact.taskManager] : [],
    ),
  );
  const withoutLog = [...named].filter((tm) => !logged.has(tm));
  if (withoutLog.length > 0 && has('taskmanager'))
    out.push(
      `TaskManagers named in the JobManager's log without a log of their own (their slots were not followed): ${withoutLog.slice(0, 10).join(', ')}${withoutLog.length > 10 ? `, and ${withoutLog.length - 10} more` : ''}`,
    );
  // For each fact a template states: whether this release writes it at INFO, at DEBUG only, or not at all.
  const levels = new Map<string, { info: boolean; debug: boolean }>();
  for (const t of TEMPLATES)
    for (const v of t.variants) {
      if (flinkVersion !== null && !v.versions.includes(flinkVersion as never)) continue;
      const seen = levels.get(t.observes) ?? { info: false, debug: false };
      if (variantLevel(t, v) === 'DEBUG') seen.debug = true;
      else seen.info = true;
      levels.set(t.observes, seen);
    }
  if (!debug)
    for (const [observes, seen] of levels)
      if (seen.debug && !seen.info) out.push(`at INFO: ${observes} (logged at DEBUG only)`);
  if (flinkVersion !== null)
    for (const observes of new Set(TEMPLATES.map((t) => t.observes)))
      if (!levels.has(observes))
        out.push(`in Flink ${flinkVersion}: ${observes} (no line states it in this release)`);
  return [...out, ...NEVER_LOGGED.map((n) => `never logged: ${n}`)];
}

export function formatLogReport(report: LogCheckReport): string[] {
  const out: string[] = [];
  if (report.verdict === 'unusable') {
    const names = report.files.map((f) => f.path).join(', ');
    return [
      `${names}: no line in a Flink log layout (\`yyyy-MM-dd HH:mm:ss,SSS LEVEL logger [] - message\` and its variants); is this a Flink log?`,
    ];
  }
  out.push(
    `Flink logs: ${report.files.length} file(s), Flink ${report.flinkVersion ?? 'version unknown (no banner)'}; relaxed check: a log observes part of the lifecycle`,
  );
  for (const f of report.files)
    out.push(
      `  ${f.path}: ${f.role}${f.taskManager === null ? '' : ` ${f.taskManager}${f.taskManagerFrom === 'ownLine' ? '' : ` (named from ${f.taskManagerFrom === 'jobManagerLog' ? "the JobManager's log" : 'the file name'})`}`}, ${f.version === null ? 'no banner' : `Flink ${f.version}`}, ${f.layout ?? 'no'} layout, ${f.lines} lines, ${f.entries} entries, ${f.recognised} recognised, ${f.entries - f.recognised} not${f.orphanLines > 0 ? `, ${f.orphanLines} lines before the first entry` : ''}${f.outOfOrder > 0 ? `, ${f.outOfOrder} entries out of time order` : ''}${f.debug ? ', DEBUG present' : ''}`,
    );
  const recognised = Object.entries(report.recognised).sort((a, b) => b[1] - a[1]);
  out.push(`recognised: ${recognised.map(([t, n]) => `${t} ${n}`).join(', ') || 'nothing'}`);
  for (const v of report.violations) {
    out.push(`VIOLATION ${v.invariant}: ${v.message}`);
    for (const l of v.lines) out.push(`  ${l.file}:${l.line}: ${l.text}`);
  }
  const { taskManagers, allocations, freed, jobsEnded } = report.followed;
  const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  out.push(
    `followed: ${n(allocations, 'allocation')} (${freed} freed) at ${n(taskManagers, 'TaskManager')} with a log; ${n(jobsEnded, 'job')} ended`,
  );
  for (const c of report.checked) out.push(`checked: ${c}`);
  for (const u of report.unobservable) out.push(`not observable: ${u}`);
  const loggers = Object.entries(report.unknown.byLogger).slice(0, 8);
  out.push(
    `not recognised: ${report.unknown.entries} entries${loggers.length > 0 ? ` (most from ${loggers.map(([l, n]) => `${l} ${n}`).join(', ')})` : ''}`,
  );
  for (const s of report.unknown.samples.slice(0, 5)) out.push(`  of a known class: ${s}`);
  for (const n of report.notes) out.push(`note: ${n}`);
  out.push(
    `verdict: ${report.verdict === 'conforms' ? 'CONFORMS' : 'VIOLATES'} (exit ${report.exitCode})`,
  );
  return out;
}
