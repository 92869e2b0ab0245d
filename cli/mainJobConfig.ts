/**
 * The main job's configuration: the cluster, the simulator (its `maxSteps` is the length of the
 * fault phase, its budgets the fault mix) and the healing phase. The built-in default is a
 * standalone cluster of 3 TaskExecutors × 2 slots running 2 jobs of parallelism 2 under a light
 * mix of every fault; a `--config` file is laid over it, then the command line's options.
 */
import { z } from 'zod';
import { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import { FAULT_KINDS, SimConfig, type FaultBudget } from '../impl/sim/config.js';
import { overlay, parseWith, readJsonFile } from './configFile.js';
import { UsageError } from './usageError.js';

export const MainJobConfig = z.strictObject({
  cluster: FlinkClusterConfig,
  sim: SimConfig,
  /** Simulated milliseconds of healing after the fault phase. */
  healMs: z.number().int().min(0),
});
export type MainJobConfig = z.infer<typeof MainJobConfig>;

/** Named fault mixes for `--faults`. */
export const FAULT_PRESETS: Readonly<Record<string, FaultBudget>> = {
  none: { drop: 0, duplicate: 0, delay: 0, reorder: 0, crash: 0, partition: 0 },
  light: { drop: 4, duplicate: 2, delay: 2, reorder: 4, crash: 2, partition: 2 },
  heavy: { drop: 20, duplicate: 10, delay: 10, reorder: 20, crash: 6, partition: 6 },
};

export const MAIN_JOB_DEFAULT = {
  cluster: {},
  // Every message takes at least 1 ms, as every RPC does: endless exchanges cannot freeze time.
  sim: { maxSteps: 2_000, faults: FAULT_PRESETS['light'], network: { minLatencyMs: 1 } },
  healMs: 300_000,
};

export function loadMainJobConfig(path: string | undefined): MainJobConfig {
  const given = path === undefined ? {} : readJsonFile(path);
  return parseWith(MainJobConfig, overlay(MAIN_JOB_DEFAULT, given), path ?? 'built-in default');
}

/**
 * `--faults`: a preset (`none`, `light`, `heavy`) or budgets per kind, `drop=3,crash=1`; kinds not
 * named get none.
 */
export function parseFaults(value: string): FaultBudget {
  const preset = FAULT_PRESETS[value];
  if (preset !== undefined) return preset;
  const budget: Record<string, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0]));
  for (const part of value.split(',')) {
    const match = /^([a-z]+)=(\d+)$/.exec(part.trim());
    const kind = match?.[1];
    if (match === null || kind === undefined || !(FAULT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(
        `--faults: "${part}" is neither a preset (${Object.keys(FAULT_PRESETS).join(', ')}) nor kind=count with a kind of ${FAULT_KINDS.join(', ')}`,
      );
    budget[kind] = Number(match[2]);
  }
  return budget as FaultBudget;
}
