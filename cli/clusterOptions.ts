/**
 * The options that size the cluster (`--task-executors`, `--slots`, `--jobs`, `--parallelism`),
 * shared by `simulate` and `explore`: the same options with each command's defaults (shown in the
 * help; the configuration holds them) and limits (an exhaustive search allows far smaller ones),
 * and how `--jobs`, `--parallelism` and `--late-jobs` resize the configuration's jobs.
 */
import type { Command } from 'commander';
import type { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import { parseNonNegativeInt, parsePositiveInt, UsageError } from './usageError.js';

type Jobs = FlinkClusterConfig['jobs'];

export interface ClusterSize {
  readonly taskExecutors: number;
  readonly slots: number;
  readonly jobs: number;
  readonly parallelism: number;
}

export function withClusterSize(
  command: Command,
  defaults: ClusterSize,
  limits: ClusterSize,
  taskExecutors = 'TaskExecutors',
): Command {
  return command
    .option(
      '--task-executors <n>',
      `${taskExecutors} (default ${defaults.taskExecutors})`,
      parseNonNegativeInt('--task-executors', limits.taskExecutors),
    )
    .option(
      '--slots <n>',
      `slots per TaskExecutor (default ${defaults.slots})`,
      parsePositiveInt('--slots', limits.slots),
    )
    .option(
      '--jobs <n>',
      `number of jobs (default ${defaults.jobs})`,
      parseNonNegativeInt('--jobs', limits.jobs),
    )
    .option(
      '--parallelism <n>',
      `parallelism of every job (default ${defaults.parallelism})`,
      parseNonNegativeInt('--parallelism', limits.parallelism),
    );
}

/**
 * The configuration's jobs after `--jobs`, `--parallelism` and `--late-jobs` (the last N jobs are
 * submitted by a client during the run); a new job gets `parallelism`, or else `fallback`.
 */
export function sizedJobs(
  base: Jobs,
  options: { readonly jobs?: number; readonly parallelism?: number; readonly lateJobs?: number },
  fallback: number,
): Jobs {
  const count = options.jobs ?? base.length;
  const late = options.lateJobs;
  if (late !== undefined && late > count)
    throw new UsageError(`--late-jobs ${late}: there are only ${count} jobs`);
  if (options.jobs === undefined && options.parallelism === undefined && late === undefined)
    return base;
  return Array.from({ length: count }, (_, i) => ({
    parallelism: options.parallelism ?? base[i]?.parallelism ?? fallback,
    submitted: late === undefined ? (base[i]?.submitted ?? true) : i < count - late,
  }));
}
