/**
 * A process's startup banner, written by EnvironmentInformation#logEnvironmentInfo under the
 * logger of the entry point (TaskManagerRunner, StandaloneSessionClusterEntrypoint,
 * KubernetesApplicationClusterEntrypoint, YarnJobClusterEntrypoint, …):
 * ` Starting TaskManager (Version: 1.14.4, Scala: 2.11, Rev:895c609, Date:2022-02-25T11:57:14+01:00)`.
 * Its version tells which templates to expect.
 */
import type { LogFact } from './logFact.js';

const BANNER = /^\s*Starting (.+?) \(Version: ([^,)]+)[,)]/;

export function readBanner(message: string): Extract<LogFact, { kind: 'processStarted' }> | null {
  const m = BANNER.exec(message);
  if (m === null) return null;
  const component = m[1] ?? '';
  const version = (m[2] ?? '').trim();
  return {
    kind: 'processStarted',
    process: /TaskManager|TaskExecutor/.test(component) ? 'taskmanager' : 'jobmanager',
    version: version === '<unknown>' || version === '' ? null : version,
  };
}

/** The banner line as Flink writes it (for logs made from the simulator's traces). */
export function renderBanner(component: string, version: string): string {
  return ` Starting ${component} (Version: ${version}, Scala: 2.12, Rev:0000000, Date:1970-01-01T00:00:00+00:00)`;
}
