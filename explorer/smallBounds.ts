/**
 * A small search built from the explorer's default: the cluster, the faults (every kind not named
 * gets no budget), the leader changes and the depth. The canaries' and the bug zoo's bounds are
 * written with it, so each names only what its defect needs.
 */
import type { FaultKind } from '../impl/sim/config.js';
import { loadExploreConfig, type ExploreConfig } from './exploreConfig.js';

export interface SmallBounds {
  readonly taskExecutors?: number;
  readonly slots?: number;
  /** Parallelism of each job (default: one job of parallelism 1). */
  readonly jobs?: readonly number[];
  readonly leaderChanges?: number;
  readonly faults?: Partial<Record<FaultKind, number>>;
  /** Overrides of the cluster's timeouts. */
  readonly timeouts?: Partial<ExploreConfig['cluster']['timeouts']>;
  readonly mode?: ExploreConfig['cluster']['mode'];
  readonly depth: number;
}

const NO_FAULTS = { drop: 0, duplicate: 0, delay: 0, reorder: 0, crash: 0, partition: 0 };

export function smallBounds(spec: SmallBounds): ExploreConfig {
  const base = loadExploreConfig(undefined);
  const jobs =
    spec.jobs === undefined
      ? base.cluster.jobs
      : spec.jobs.map((parallelism) => ({ ...base.cluster.jobs[0], parallelism }));
  return {
    ...base,
    cluster: {
      ...base.cluster,
      taskExecutors: spec.taskExecutors ?? 1,
      slotsPerTaskExecutor: spec.slots ?? 1,
      jobs: jobs as ExploreConfig['cluster']['jobs'],
      leaderChanges: spec.leaderChanges ?? 0,
      timeouts: { ...base.cluster.timeouts, ...spec.timeouts },
      mode: spec.mode ?? base.cluster.mode,
    },
    sim: { ...base.sim, faults: { ...NO_FAULTS, ...spec.faults } },
    maxDepth: spec.depth,
  };
}
