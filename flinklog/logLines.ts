/**
 * Writes Flink log lines from the template catalogue: the layout (log4j2's default) and the
 * message of a template for a release. The renderer of simulated runs and the tests write their
 * lines with it.
 */
import { templateById } from './templates/index.js';
import { renderTemplate, variantLevel } from './templates/logTemplate.js';
import type { FlinkVersion } from './versions.js';

/** The package of each class the catalogue names (its logger's full name). */
const PACKAGES: Readonly<Record<string, string>> = {
  TaskExecutor: 'org.apache.flink.runtime.taskexecutor',
  TaskManagerRunner: 'org.apache.flink.runtime.taskexecutor',
  DefaultJobLeaderService: 'org.apache.flink.runtime.taskexecutor',
  TaskSlotTableImpl: 'org.apache.flink.runtime.taskexecutor.slot',
  GlobalConfiguration: 'org.apache.flink.configuration',
  ResourceManager: 'org.apache.flink.runtime.resourcemanager',
  StandaloneResourceManager: 'org.apache.flink.runtime.resourcemanager',
  ResourceManagerServiceImpl: 'org.apache.flink.runtime.resourcemanager',
  ActiveResourceManager: 'org.apache.flink.runtime.resourcemanager.active',
  DeclarativeSlotManager: 'org.apache.flink.runtime.resourcemanager.slotmanager',
  FineGrainedSlotManager: 'org.apache.flink.runtime.resourcemanager.slotmanager',
  DefaultSlotStatusSyncer: 'org.apache.flink.runtime.resourcemanager.slotmanager',
  ExecutionGraph: 'org.apache.flink.runtime.executiongraph',
  JobMaster: 'org.apache.flink.runtime.jobmaster',
  JobManagerRunnerImpl: 'org.apache.flink.runtime.jobmaster',
  JobMasterServiceLeadershipRunner: 'org.apache.flink.runtime.jobmaster',
  Dispatcher: 'org.apache.flink.runtime.dispatcher',
  StandaloneDispatcher: 'org.apache.flink.runtime.dispatcher',
  ClusterEntrypoint: 'org.apache.flink.runtime.entrypoint',
};

/**
 * The class that writes a catalogue line: the catalogue's, except where Flink logs under a
 * subclass (the ResourceManager's lines as StandaloneResourceManager's).
 */
const WRITER: Readonly<Record<string, string>> = {
  ResourceManager: 'StandaloneResourceManager',
  Dispatcher: 'StandaloneDispatcher',
};

/** `2026-01-01 00:00:00,000` plus `ms`. */
export function logStamp(ms: number): string {
  const iso = new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/** One entry in log4j2's default layout. */
export function logEntry(ms: number, cls: string, message: string, level = 'INFO'): string {
  const writer = WRITER[cls] ?? cls;
  const logger = `${PACKAGES[writer] ?? 'org.apache.flink'}.${writer}`;
  return `${logStamp(ms)} ${level.padEnd(5)} ${logger.padEnd(60)} [] - ${message}`;
}

/** Whether the release writes the template's line. */
export function emits(id: string, version: FlinkVersion): boolean {
  return templateById(id).variants.some((v) => v.versions.includes(version));
}

/** The template's line as the release writes it (its newest variant if the release has none). */
export function templateLine(
  ms: number,
  id: string,
  values: readonly (string | number)[],
  version: FlinkVersion = '1.17',
): string {
  const template = templateById(id);
  const variant =
    template.variants.find((v) => v.versions.includes(version)) ??
    template.variants[template.variants.length - 1];
  if (variant === undefined) throw new Error(`template ${id} has no variant`);
  return logEntry(
    ms,
    variant.logger,
    renderTemplate(variant, values),
    variantLevel(template, variant),
  );
}
