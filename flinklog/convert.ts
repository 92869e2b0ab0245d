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
import { LogFact } from './logFact.js';
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
  'YarnTaskExecutorRunner',
  'KubernetesTaskExecutorRunner',
  'TaskSlotTableImpl',
  'TaskManagerRunner',
  'DefaultJobLeaderService',
]);

/** Classes that log in both processes: they say nothing about which process a file is. */
const EITHER_PROCESS = new Set(['GlobalConfiguration']);

/**
 * The process a class logs in: a TaskManager's classes; the JobManager's (every other class the
 * catalogue knows, and a MiniCluster's); null for a class of either process or one unknown.
 */
function processOfClass(index: TemplateIndex, cls: string): 'taskmanager' | 'jobmanager' | null {
  if (TASK_MANAGER_CLASSES.has(cls)) return 'taskmanager';
  if (EITHER_PROCESS.has(cls)) return null;
  return cls === 'MiniCluster' || index.knows(cls) ? 'jobmanager' : null;
}

const SAMPLES = 10;
/** The longest message matched against the templates. */
export const MAX_MATCHED = 16_384;
const TEXT_LIMIT = 500;

/** One process's lines in a file: the file, or one container's lines, or one restart's. */
interface Stream {
  readonly index: number;
  readonly file: LogFile;
  readonly roles: { jobmanager: boolean; taskmanager: boolean };
  /** The previous entry's stamp (to count entries out of order). */
  lastTime: number;
}

function newStream(
  path: string,
  index: number,
  container: string | null,
  fromLine: number | null,
): Stream {
  return {
    index,
    file: {
      path: `${path}${container === null ? '' : ` [${container}]`}${fromLine === null ? '' : ` (from line ${fromLine})`}`,
      role: 'unknown',
      layout: null,
      version: null,
      taskManager: null,
      taskManagerFrom: null,
      lines: 0,
      entries: 0,
      recognised: 0,
      unknownOfKnownLoggers: 0,
      orphanLines: 0,
      outOfOrder: 0,
      debug: false,
      lastTime: null,
    },
    roles: { jobmanager: false, taskmanager: false },
    lastTime: Number.NEGATIVE_INFINITY,
  };
}

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

  for (const source of sources) {
    /** The stream each container's lines go to now (null: lines without a container). */
    const current = new Map<string | null, Stream>();
    const streams: Stream[] = [];
    const open = (container: string | null, fromLine: number | null): Stream => {
      const stream = newStream(source.path, files.length, container, fromLine);
      files.push(stream.file);
      streams.push(stream);
      current.set(container, stream);
      return stream;
    };
    const streamOf = (container: string | null) => current.get(container) ?? open(container, null);
    let orphans = 0;
    for await (const item of readEntries(source.lines)) {
      if (item.kind === 'orphan') {
        // Counted in the file's first stream (a line such as docker-compose's `Attaching to …`
        // opens none of its own).
        orphans++;
        continue;
      }
      const { entry } = item;
      let stream = streamOf(entry.container);
      const cls = loggerClass(entry.head.logger);
      const recognised = recognise(index, cls, entry);
      const fact = recognised?.fact ?? null;
      // A new TaskManager process in the same file (a restart; an appended log) is a stream of
      // its own: its banner, or a ResourceID other than the one the stream has. A MiniCluster's
      // log (the JobManager's lines too) starts all its TaskManagers in one process: not split.
      if (
        fact !== null &&
        stream.roles.taskmanager &&
        !stream.roles.jobmanager &&
        ((fact.kind === 'processStarted' && fact.process === 'taskmanager') ||
          (fact.kind === 'taskManagerResourceId' &&
            stream.file.taskManager !== null &&
            stream.file.taskManager !== fact.taskManager))
      )
        stream = open(entry.container, entry.line);
      // Which process the stream is: a banner says it; a JobManager class's line, recognised or
      // not, makes it (also) a JobManager's, as in a MiniCluster's log; a TaskManager class's line
      // only once recognised (the lines before a TaskManager's banner are that process's start).
      const process = fact?.kind === 'processStarted' ? fact.process : processOfClass(index, cls);
      if (process === 'jobmanager' || (process === 'taskmanager' && recognised !== null))
        stream.roles[process] = true;
      const file = stream.file;
      file.entries++;
      file.lines = Math.max(file.lines, entry.lastLine);
      file.layout ??= entry.head.layout;
      if (entry.head.level === 'DEBUG' || entry.head.level === 'TRACE') file.debug = true;
      if (entry.head.time < stream.lastTime) file.outOfOrder++;
      stream.lastTime = entry.head.time;
      file.lastTime = Math.max(file.lastTime ?? entry.head.time, entry.head.time);
      if (recognised === null) {
        unknown++;
        byLogger.set(cls, (byLogger.get(cls) ?? 0) + 1);
        if (index.knows(cls) && !EITHER_PROCESS.has(cls)) {
          file.unknownOfKnownLoggers++;
          if (samples.length < SAMPLES)
            samples.push(`${file.path}:${entry.line}: ${entry.head.message.slice(0, 200)}`);
        }
        continue;
      }
      file.recognised++;
      // A line of the catalogue that states nothing the checks follow (a job going RUNNING is one).
      if (fact === null) continue;
      const valid = LogFact.safeParse(fact);
      if (!valid.success) {
        if (notes.length < 50)
          notes.push(
            `${file.path}:${entry.line}: template ${recognised.template} matched, but what it states does not fit the log trace (${valid.error.issues[0]?.message ?? 'invalid'}): left out`,
          );
        continue;
      }
      if (fact.kind === 'processStarted') file.version ??= fact.version;
      if (fact.kind === 'taskManagerResourceId') {
        file.taskManager = fact.taskManager;
        file.taskManagerFrom = 'ownLine';
      }
      pending.push({
        time: file.lastTime,
        order: order++,
        file: stream.index,
        entry,
        template: recognised.template,
        versions: recognised.versions,
        fact,
      });
    }
    for (const stream of streams) {
      const { jobmanager, taskmanager } = stream.roles;
      stream.file.role =
        jobmanager && taskmanager
          ? 'both'
          : jobmanager
            ? 'jobmanager'
            : taskmanager
              ? 'taskmanager'
              : 'unknown';
    }
    if (streams.length === 0) open(null, null);
    const first = streams[0];
    if (first !== undefined) first.file.orphanLines += orphans;
  }

  nameTaskManagers(files, pending);
  const flinkVersion = expectedRelease(files, notes);
  for (const p of pending) {
    // Judged by the file's own release (its banner), else the cluster's.
    const own = files[p.file]?.version;
    const release = own === null || own === undefined ? flinkVersion : releaseOf(own);
    if (release !== null && !p.versions.includes(release) && notes.length < 50)
      notes.push(
        `${files[p.file]?.path}:${p.entry.line}: template ${p.template} matched, but the catalogue has it only in ${p.versions.join(', ') || 'no release'}, not in ${release}`,
      );
  }

  pending.sort((a, b) => a.time - b.time || a.order - b.order);
  const events: LogEvent[] = pending.map((p, i) => {
    // A banner says its process; a class of either process logs for a TaskManager when its file
    // is a TaskManager's.
    const process =
      p.fact.kind === 'processStarted'
        ? p.fact.process
        : processOfClass(index, loggerClass(p.entry.head.logger));
    const tm =
      process === 'taskmanager' || (process === null && files[p.file]?.role === 'taskmanager');
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
): { template: string; versions: readonly string[]; fact: LogFact | null } | null {
  const banner = readBanner(entry.head.message);
  if (banner !== null) return { template: 'banner', versions: FLINK_VERSIONS, fact: banner };
  // Slot lines are short (a ResourceProfile or a requirements list at most): a longer message is
  // none of them, and is not matched (the templates' text arguments would make that slow).
  if (entry.head.message.length > MAX_MATCHED) return null;
  for (const compiled of index.candidates(cls)) {
    const args = matchVariant(compiled, entry.head.message);
    if (args === null) continue;
    return {
      template: compiled.template.id,
      // Every release writing this line, whatever its level there (variants of one line differ
      // in level only).
      versions: compiled.template.variants
        .filter((v) => v.format === compiled.variant.format && v.logger === compiled.variant.logger)
        .flatMap((v) => v.versions),
      fact: compiled.template.fact(args),
    };
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
    if (f.kind === 'taskDeployed') allocationAt.set(f.allocationId, f.taskManager);
    if (f.kind === 'slotAllocationStarted' && f.taskManager !== null && f.allocationId !== null)
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
