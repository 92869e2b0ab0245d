/**
 * The log trace: what `convert` makes of a cluster's Flink logs, and what `check --flink-log`
 * checks. Newline-delimited JSON like the simulator's traces (traces/FORMAT.md), but a different
 * format (`flink-slot-model-log-trace`): a log observes only what its lines say, so a line is a
 * fact with the log line behind it, not a step of the simulator. Documented in flinklog/FORMAT.md.
 *
 *   line 1      header  the files read: role, layout, Flink version, TaskManager, counts
 *   lines 2..n  event   one per recognised line, in time order across the files
 *   last line   end     the lines nobody recognised: how many, by logger, a few samples
 */
import { z } from 'zod';
import { LogFact } from './logFact.js';

export const LOG_TRACE_FORMAT = 'flink-slot-model-log-trace';
export const LOG_TRACE_FORMAT_VERSION = 1;

const Count = z.number().int().min(0);

export const LogFile = z.strictObject({
  /** The path as given on the command line. */
  path: z.string(),
  role: z.enum(['jobmanager', 'taskmanager', 'both', 'unknown']),
  layout: z.string().nullable(),
  /** The version in the file's banner, if it has one. */
  version: z.string().nullable(),
  /** The TaskManager a TaskManager log belongs to (its ResourceID, or `file:<name>` if unknown). */
  taskManager: z.string().nullable(),
  /** How the TaskManager was named: its own line, the JobManager's lines, or the file name. */
  taskManagerFrom: z.enum(['ownLine', 'jobManagerLog', 'fileName']).nullable(),
  lines: Count,
  entries: Count,
  recognised: Count,
  /** Entries whose logger the catalogue knows but whose message matched no template. */
  unknownOfKnownLoggers: Count,
  /** Lines before the file's first entry. */
  orphanLines: Count,
  /** Entries stamped earlier than the one before them in the same file. */
  outOfOrder: Count,
  /** The last entry's stamp (ms, read as UTC), or null for a file without entries. */
  lastTime: z.number().int().nullable(),
  /** Whether any DEBUG entries were seen (else the file is read as logged at INFO). */
  debug: z.boolean(),
});
export type LogFile = z.infer<typeof LogFile>;

export const LogTraceHeader = z.strictObject({
  kind: z.literal('header'),
  format: z.literal(LOG_TRACE_FORMAT),
  formatVersion: z.literal(LOG_TRACE_FORMAT_VERSION),
  /** The Flink release whose templates were expected (from the banners), or null. */
  flinkVersion: z.string().nullable(),
  files: z.array(LogFile),
});
export type LogTraceHeader = z.infer<typeof LogTraceHeader>;

export const LogEvent = z.strictObject({
  kind: z.literal('event'),
  /** 1, 2, … in the order the checker takes them. */
  seq: z.number().int().min(1),
  /** Milliseconds as stamped (read as UTC). */
  time: z.number().int(),
  /** The file (index into the header's files) and its line. */
  file: Count,
  line: z.number().int().min(1),
  level: z.string(),
  logger: z.string(),
  template: z.string(),
  /** The process that logged it, and for a TaskManager which one. */
  process: z.enum(['jobmanager', 'taskmanager']),
  taskManager: z.string().nullable(),
  fact: LogFact,
  /** The line's message (first line, at most 500 characters). */
  text: z.string(),
});
export type LogEvent = z.infer<typeof LogEvent>;

export const LogTraceEnd = z.strictObject({
  kind: z.literal('end'),
  events: Count,
  unknown: z.strictObject({
    entries: Count,
    byLogger: z.record(z.string(), Count),
    /** A few lines of loggers the catalogue knows that matched no template: file:line text. */
    samples: z.array(z.string()),
  }),
  /** What the converter noticed (a release newer than the catalogue, lines of another release). */
  notes: z.array(z.string()),
});
export type LogTraceEnd = z.infer<typeof LogTraceEnd>;

export interface LogTrace {
  readonly header: LogTraceHeader;
  readonly events: readonly LogEvent[];
  readonly end: LogTraceEnd;
}

/** The trace as NDJSON lines. */
export function logTraceLines(trace: LogTrace): string[] {
  return [
    JSON.stringify(trace.header),
    ...trace.events.map((e) => JSON.stringify(e)),
    JSON.stringify(trace.end),
  ];
}
