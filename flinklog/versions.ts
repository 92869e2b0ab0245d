/**
 * The Flink releases whose log lines the catalogue knows (templates/), and reading a release from
 * a log's startup banner (`Starting TaskManager (Version: 1.14.4, Scala: 2.11, Rev:…, Date:…)`).
 */

export const FLINK_VERSIONS = [
  '1.13',
  '1.14',
  '1.15',
  '1.16',
  '1.17',
  '1.18',
  '1.19',
  '1.20',
  '2.0',
] as const;
export type FlinkVersion = (typeof FLINK_VERSIONS)[number];

/** Every release from `from` to `to` (inclusive; `to` omitted: the newest). */
export function versionsFrom(from: FlinkVersion, to: FlinkVersion = '2.0'): FlinkVersion[] {
  const a = FLINK_VERSIONS.indexOf(from);
  const b = FLINK_VERSIONS.indexOf(to);
  return FLINK_VERSIONS.slice(a, b + 1);
}

/** The catalogue's release for a full version string (`1.14.4` → `1.14`, `2.0.1` → `2.0`), or null. */
export function releaseOf(version: string): FlinkVersion | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (m === null) return null;
  const release = `${m[1]}.${m[2]}`;
  return (FLINK_VERSIONS as readonly string[]).includes(release) ? (release as FlinkVersion) : null;
}
