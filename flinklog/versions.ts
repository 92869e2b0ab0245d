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

/**
 * Where each release's templates were read: the commit of Flink's source (in a public mirror that
 * carries Flink's history and some release refs) and how it was found. A release branch starts at
 * the master commit that moves master to the next SNAPSHOT version, so the commit before that bump
 * has the release's x.y.0 sources; patch releases may add lines (noted on the templates).
 */
export const RELEASE_SOURCES: Readonly<Record<FlinkVersion, { commit: string; how: string }>> = {
  '1.13': { commit: '83c40fd490fa', how: 'tag release-1.13.0-rc0 ("Commit for release 1.13.0")' },
  '1.14': { commit: 'fb3849fa017c', how: 'master "Update version to 1.15-SNAPSHOT" (2021-08-28)' },
  '1.15': { commit: '5c3bca55682d', how: 'master "Update version to 1.16-SNAPSHOT" (2022-03-15)' },
  '1.16': {
    commit: '5df8156c07ab',
    how: 'branch release-1.16.3-rc1 ("Commit for release 1.16.3")',
  },
  '1.17': { commit: '923361a3006c', how: 'master "Update version to 1.18-SNAPSHOT" (2023-02-07)' },
  '1.18': { commit: 'fff221fe5d9c', how: 'master "Update version to 1.19-SNAPSHOT" (2023-08-22)' },
  '1.19': { commit: 'bf5068ce920a', how: 'master "Update version to 1.20-SNAPSHOT" (2024-02-07)' },
  '1.20': {
    commit: '352e50e13028',
    how: 'master "[FLINK-35682][release] Update version to 2.0-SNAPSHOT" (2024-06-24)',
  },
  '2.0': {
    commit: 'b48ccce1ce20',
    how: 'master at 2024-11-20 (2.0-SNAPSHOT: changes before the 2.0.0 release are not covered)',
  },
};
