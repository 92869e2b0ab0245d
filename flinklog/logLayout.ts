/**
 * The layouts Flink's log lines come in, and the first line of an entry read in each. Flink's
 * shipped configurations print `%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n`: log4j2 (Flink
 * 1.11 and later) writes the empty context `%x` as `[]`, log4j1 (1.10 and earlier) writes nothing.
 * Clusters configured by hand, Kubernetes images and IDE runs add the thread (`[%t]`, before or
 * after the level), abbreviate the logger (`o.a.f.r.t.TaskExecutor`), write ISO timestamps or the
 * time of day only, and docker-compose prefixes each line with its container (`jobmanager_1  | `).
 *
 * A line that starts no entry continues the one before it (a stack trace, a message with line
 * feeds); see logEntries.ts.
 */

export type LayoutName = 'log4j2' | 'log4j1' | 'threadFirst' | 'threadAfterLevel';

export interface EntryHead {
  readonly layout: LayoutName;
  /** Milliseconds: since the epoch (read as UTC), or since midnight for a time-of-day stamp. */
  readonly time: number;
  readonly level: string;
  readonly logger: string;
  readonly thread: string | null;
  readonly message: string;
}

const DATE = String.raw`(?:(\d{4})-(\d{2})-(\d{2})[ T])?`;
// An ISO stamp's zone (`Z`, `+01:00`) is read past: every stamp is taken as UTC, so logs of one
// cluster written in different zones would be misordered.
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})(?:[,.](\d{1,3}))?(?:Z|[+-]\d{2}:?\d{2})?`;
const STAMP = `${DATE}${TIME}`;
const LEVEL = String.raw`(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)`;
/** A Java logger name, full or abbreviated (`o.a.f.r.t.TaskExecutor`), or a short name. */
const LOGGER = String.raw`([A-Za-z_$][\w$]*(?:\.[\w$]+)*)`;
/**
 * log4j2's empty context `[]`; pasted into a Markdown page it sometimes loses its `[` (seen in
 * public issue threads), so a lone `]` is read as the same.
 */
const CONTEXT = String.raw`(?:\[[^\]]*\]|\])`;
/**
 * What tools put before each line: docker-compose's `service_1  | ` (it names the container, so
 * the lines of several containers in one file can be told apart), Docker Desktop's
 * `2025-01-01 10:00:00.000 | `, and indentation.
 */
const PREFIX = /^\s*(?:([\w.-]+)\s+\|\s+|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}[.,]\d{3}\s+\|\s+)?/;

/** The container a line's prefix names (null: none), and the line without the prefix. */
export function splitPrefix(text: string): { container: string | null; rest: string } {
  const m = PREFIX.exec(text);
  if (m === null || m[0] === '') return { container: null, rest: text };
  return { container: m[1] ?? null, rest: text.slice(m[0].length) };
}

interface Layout {
  readonly name: LayoutName;
  readonly pattern: RegExp;
  /** Capture groups after the stamp's seven: which hold the level, logger, thread, message. */
  readonly groups: { level: number; logger: number; thread: number | null; message: number };
}

const LAYOUTS: readonly Layout[] = [
  {
    // 2023-03-01 10:00:00,123 INFO  org.apache.flink...TaskExecutor      [] - message
    name: 'log4j2',
    pattern: new RegExp(`^${STAMP}\\s+${LEVEL}\\s+${LOGGER}\\s+${CONTEXT}\\s+-\\s?(.*)$`),
    groups: { level: 8, logger: 9, thread: null, message: 10 },
  },
  {
    // 2023-03-01 10:00:00,123 [flink-akka.actor.default-dispatcher-3] INFO  org.apache... - message
    name: 'threadFirst',
    pattern: new RegExp(
      `^${STAMP}\\s+\\[(.*?)\\]\\s+${LEVEL}\\s+${LOGGER}(?:\\s+${CONTEXT})?\\s+-\\s?(.*)$`,
    ),
    groups: { thread: 8, level: 9, logger: 10, message: 11 },
  },
  {
    // 2023-03-01 10:00:00,123 INFO  [main] org.apache... - message
    name: 'threadAfterLevel',
    pattern: new RegExp(
      `^${STAMP}\\s+${LEVEL}\\s+\\[(.*?)\\]\\s+${LOGGER}(?:\\s+${CONTEXT})?\\s+-\\s?(.*)$`,
    ),
    groups: { level: 8, thread: 9, logger: 10, message: 11 },
  },
  {
    // 2019-03-01 10:00:00,123 INFO  org.apache.flink...TaskExecutor      - message
    name: 'log4j1',
    pattern: new RegExp(`^${STAMP}\\s+${LEVEL}\\s+${LOGGER}\\s+-\\s?(.*)$`),
    groups: { level: 8, logger: 9, thread: null, message: 10 },
  },
];

/**
 * The entry a line starts, or null when it continues the one before. `preferred` is the layout
 * the file's earlier entries had: tried first, since a message may itself look like a line head.
 */
export function readEntryHead(line: string, preferred: LayoutName | null = null): EntryHead | null {
  const text = splitPrefix(line).rest;
  const ordered =
    preferred === null
      ? LAYOUTS
      : [
          ...LAYOUTS.filter((l) => l.name === preferred),
          ...LAYOUTS.filter((l) => l.name !== preferred),
        ];
  for (const layout of ordered) {
    const m = layout.pattern.exec(text);
    if (m === null) continue;
    const { groups } = layout;
    return {
      layout: layout.name,
      time: stampMillis(m),
      level: normaliseLevel(m[groups.level] ?? ''),
      logger: m[groups.logger] ?? '',
      thread: groups.thread === null ? null : (m[groups.thread] ?? null),
      message: m[groups.message] ?? '',
    };
  }
  return null;
}

function normaliseLevel(level: string): string {
  return level === 'WARNING' ? 'WARN' : level;
}

function stampMillis(m: RegExpExecArray): number {
  const n = (i: number) => Number(m[i] ?? 0);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const timeOfDay = ((n(4) * 60 + n(5)) * 60 + n(6)) * 1000 + millis;
  if (m[1] === undefined) return timeOfDay;
  return Date.UTC(n(1), n(2) - 1, n(3)) + timeOfDay;
}

/** The simple class name of a logger (`org.apache.flink.runtime.taskexecutor.TaskExecutor`, `o.a.f.r.t.TaskExecutor`). */
export function loggerClass(logger: string): string {
  const dot = logger.lastIndexOf('.');
  return dot < 0 ? logger : logger.slice(dot + 1);
}
