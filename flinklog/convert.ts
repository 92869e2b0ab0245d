/**
 * Converts the Flink logs of one cluster (a JobManager log and TaskManager logs, in any order)
 * into a log trace (logTrace.ts): every entry is read in its layout (logLayout.ts), matched
 * against the template catalogue (templates/), and what it states becomes an event; the events of
 * all files are put in time order. Nothing a log holds stops the conversion: lines it does not
 * know are counted and sampled.
 *
 * Time order across files is only as good as the hosts' clocks; within a file the file's own
 * order is kept (an entry stamped earlier than the one before it is counted, not moved), so the
 * checks that follow one TaskManager never depend on another host's clock.
 */
import { basename } from 'node:path';
import { readBanner } from './banner.js';
import { readEntries, type LogEntry } from './logEntries.js';
import { loggerClass } from './logLayout.js';
import type { LogFact } from './logFact.js';
import {
  LOG_TRACE_FORMAT,
  LOG_TRACE_FORMAT_VERSION,
  type LogEvent,
  type LogFile,
  type LogTrace,
} from './logTrace.js';
import { TemplateIndex } from './templates/index.js';
import { matchVariant } from './templates/logTemplate.js';
import { FLINK_VERSIONS, releaseOf } from './versions.js';

export interface LogSource {
  /** As the user named it (a path). */
  readonly path: string;
  readonly lines: AsyncIterable<string> | Iterable<string>;
}

/** Classes that log in a TaskManager process; every other class is the JobManager's. */
const TASK_MANAGER_CLASSES = new Set([
  'TaskExecutor',
  'TaskSlotTableImpl',
  'TaskManagerRunner',
  'DefaultJobLeaderService',
]);

/** Classes that log in both processes: they say nothing about which process a file is. */
const EITHER_PROCESS = new Set(['GlobalConfiguration']);

const SAMPLES = 10;
const TEXT_LIMIT = 500;

interface Pending {
  readonly time: number;
  readonly order: number;
  readonly file: number;
  readonly entry: LogEntry;
  readonly template: string;
  readonly versions: readonly string[];
  readonly fact: LogFact;
}

export async function convertLogs(sources: readonly LogSource[]): Promise<LogTrace> {
  const index = new TemplateIndex();
  const files: LogFile[] = [];
  const pending: Pending[] = [];
  const byLogger = new Map<string, number>();
  const samples: string[] = [];
  const notes: string[] = [];
  let unknown = 0;
  let order = 0;

  for (const [fileIndex, source] of sources.entries()) {
    const file = {
      path: source.path,
      role: 'unknown' as LogFile['role'],
      layout: null as string | null,
      version: null as string | null,
      taskManager: null as string | null,
      taskManagerFrom: null as LogFile['taskManagerFrom'],
      lines: 0,
      entries: 0,
      recognised: 0,
      unknownOfKnownLoggers: 0,
      orphanLines: 0,
      outOfOrder: 0,
      debug: false,
      lastTime: null as number | null,
    };
    let roles = { jobmanager: false, taskmanager: false };
    let lastTime = Number.NEGATIVE_INFINITY;
    let effective = Number.NEGATIVE_INFINITY;
    for await (const item of readEntries(source.lines)) {
      if (item.kind === 'orphan') {
        file.orphanLines++;
        file.lines = item.line;
        continue;
      }
      const { entry } = item;
      file.entries++;
      file.lines = entry.line + entry.lines - 1;
      file.layout ??= entry.head.layout;
      if (entry.head.level === 'DEBUG' || entry.head.level === 'TRACE') file.debug = true;
      if (entry.head.time < lastTime) file.outOfOrder++;
      lastTime = entry.head.time;
      effective = Math.max(effective, entry.head.time);
      file.lastTime = effective;
      const cls = loggerClass(entry.head.logger);
      const recognised = recognise(index, cls, entry);
      if (recognised === null) {
        unknown++;
        byLogger.set(cls, (byLogger.get(cls) ?? 0) + 1);
        if (index.knows(cls) && !EITHER_PROCESS.has(cls)) {
          file.unknownOfKnownLoggers++;
          if (samples.length < SAMPLES)
            samples.push(`${source.path}:${entry.line}: ${entry.head.message.slice(0, 200)}`);
        }
        continue;
      }
      file.recognised++;
      const { fact } = recognised;
      if (fact.kind === 'processStarted') {
        file.version ??= fact.version;
        roles = { ...roles, [fact.process]: true };
      } else if (TASK_MANAGER_CLASSES.has(cls)) roles.taskmanager = true;
      else if (!EITHER_PROCESS.has(cls)) roles.jobmanager = true;
      if (fact.kind === 'taskManagerResourceId') {
        file.taskManager = fact.taskManager;
        file.taskManagerFrom = 'ownLine';
      }
      pending.push({ time: effective, order: order++, file: fileIndex, entry, ...recognised });
    }
    file.role =
      roles.jobmanager && roles.taskmanager
        ? 'both'
        : roles.jobmanager
          ? 'jobmanager'
          : roles.taskmanager
            ? 'taskmanager'
            : 'unknown';
    files.push(file);
  }

  nameTaskManagers(files, pending);
  const flinkVersion = expectedRelease(files, notes);
  for (const p of pending)
    if (flinkVersion !== null && !p.versions.includes(flinkVersion))
      notes.push(
        `${files[p.file]?.path}:${p.entry.line}: template ${p.template} matched, but the catalogue has it only in ${p.versions.join(', ') || 'no release'}, not in ${flinkVersion}`,
      );

  pending.sort((a, b) => a.time - b.time || a.order - b.order);
  const events: LogEvent[] = pending.map((p, i) => {
    const cls = loggerClass(p.entry.head.logger);
    // A class of either process logs for a TaskManager when its file is a TaskManager's.
    const tm =
      TASK_MANAGER_CLASSES.has(cls) ||
      (EITHER_PROCESS.has(cls) && files[p.file]?.role === 'taskmanager');
    return {
      kind: 'event',
      seq: i + 1,
      time: p.entry.head.time,
      file: p.file,
      line: p.entry.line,
      level: p.entry.head.level,
      logger: p.entry.head.logger,
      template: p.template,
      process: tm ? 'taskmanager' : 'jobmanager',
      taskManager: tm ? (files[p.file]?.taskManager ?? null) : null,
      fact: p.fact,
      text: p.entry.head.message.slice(0, TEXT_LIMIT),
    };
  });
  return {
    header: {
      kind: 'header',
      format: LOG_TRACE_FORMAT,
      formatVersion: LOG_TRACE_FORMAT_VERSION,
      flinkVersion,
      files,
    },
    events,
    end: {
      kind: 'end',
      events: events.length,
      unknown: {
        entries: unknown,
        byLogger: Object.fromEntries(
          [...byLogger].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
        ),
        samples,
      },
      notes: notes.slice(0, 50),
    },
  };
}

function recognise(
  index: TemplateIndex,
  cls: string,
  entry: LogEntry,
): { template: string; versions: readonly string[]; fact: LogFact } | null {
  const banner = readBanner(entry.head.message);
  if (banner !== null) return { template: 'banner', versions: FLINK_VERSIONS, fact: banner };
  for (const compiled of index.candidates(cls)) {
    const args = matchVariant(compiled, entry.head.message);
    if (args === null) continue;
    const fact = compiled.template.fact(args);
    if (fact === null) return null;
    return { template: compiled.template.id, versions: compiled.variant.versions, fact };
  }
  return null;
}

/**
 * Names each TaskManager log's TaskManager. Its own line (`Starting TaskManager with ResourceID`)
 * is best; else the JobManager's lines that put one of its allocations at a ResourceID (a task
 * deployed with that allocation id, a slot allocation started there); else the file's name.
 */
function nameTaskManagers(files: LogFile[], pending: readonly Pending[]): void {
  const allocationAt = new Map<string, string>();
  for (const p of pending) {
    const f = p.fact;
    if ((f.kind === 'taskDeployed' || f.kind === 'slotAllocationStarted') && f.taskManager !== null)
      allocationAt.set(f.allocationId, f.taskManager);
  }
  for (const [i, file] of files.entries()) {
    if (file.taskManager !== null || file.role === 'jobmanager' || file.role === 'unknown')
      continue;
    for (const p of pending) {
      if (p.file !== i || !('allocationId' in p.fact) || p.fact.allocationId === null) continue;
      const at = allocationAt.get(p.fact.allocationId);
      if (at !== undefined) {
        file.taskManager = at;
        file.taskManagerFrom = 'jobManagerLog';
        break;
      }
    }
    if (file.taskManager === null) {
      file.taskManager = `file:${basename(file.path)}`;
      file.taskManagerFrom = 'fileName';
    }
  }
}

/** The release the banners name; a note when files disagree or the catalogue does not know it. */
function expectedRelease(files: readonly LogFile[], notes: string[]): string | null {
  const versions = [...new Set(files.flatMap((f) => (f.version === null ? [] : [f.version])))];
  if (versions.length > 1)
    notes.push(`the files' banners name different versions: ${versions.join(', ')}`);
  const version = versions[0];
  if (version === undefined) return null;
  const release = releaseOf(version);
  if (release === null)
    notes.push(
      `Flink ${version} is not in the template catalogue (${FLINK_VERSIONS[0]}–${FLINK_VERSIONS[FLINK_VERSIONS.length - 1]}): its lines are read with every release's templates`,
    );
  return release;
}
