/**
 * What `flink-slot-model explore` searches: a small cluster, the simulator's network and fault
 * budgets, and the bounds of the search. The built-in default is a standalone cluster of two
 * interchangeable TaskExecutors with one slot each and one job of parallelism 1, one lost message,
 * an ask timeout short enough that losing an answer matters within the bound, and heartbeats slow
 * enough not to fire within it (every heartbeat would multiply the interleavings without adding
 * slot traffic; the property suite covers them). A `--config` file is laid over it, then the
 * command line's options.
 */
import { z } from 'zod';
import { overlay, parseWith, readJsonFile } from '../cli/configFile.js';
import { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import { SimConfig } from '../impl/sim/config.js';

export const ExploreConfig = z.strictObject({
  cluster: FlinkClusterConfig,
  /** Network timing and fault budgets (`maxSteps` and `weights` are not used: every step is taken). */
  sim: SimConfig,
  /** The longest path, in steps. */
  maxDepth: z.number().int().min(0).max(10_000),
  /** States past this simulated time are checked but not expanded (null: no such bound). */
  maxTimeMs: z.number().int().min(0).nullable(),
  /** The search stops, incomplete, once it has kept this many distinct states. */
  maxStates: z.number().int().min(1),
  /** Treat the standalone TaskExecutors as interchangeable. */
  symmetry: z.boolean(),
  /** Rename AllocationIDs and InstanceIDs by first appearance. */
  renameIds: z.boolean(),
});
export type ExploreConfig = z.infer<typeof ExploreConfig>;

export const EXPLORE_DEFAULT = {
  cluster: {
    taskExecutors: 2,
    slotsPerTaskExecutor: 1,
    jobs: [{ parallelism: 1 }],
    leaderChanges: 0,
    jobActions: 0,
    timeouts: { rpcTimeoutMs: 100, heartbeatIntervalMs: 1_000_000, heartbeatTimeoutMs: 5_000_000 },
  },
  sim: { faults: { drop: 1 } },
  maxDepth: 30,
  maxTimeMs: null,
  maxStates: 1_000_000,
  symmetry: true,
  renameIds: true,
};

export function loadExploreConfig(path: string | undefined): ExploreConfig {
  const given = path === undefined ? {} : readJsonFile(path);
  return parseWith(ExploreConfig, overlay(EXPLORE_DEFAULT, given), path ?? 'built-in default');
}
