/**
 * The options that size the cluster (`--task-executors`, `--slots`, `--jobs`, `--parallelism`),
 * shared by `simulate` and `explore`: the same options with each command's defaults (shown in the
 * help; the configuration holds them) and limits (an exhaustive search allows far smaller ones).
 */
import type { Command } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from './usageError.js';

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
