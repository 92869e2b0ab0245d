/**
 * For each canary (impl/mutants.ts), the smallest search we know that exposes it: the cluster, the
 * faults it needs and a depth just past its shortest counterexample. The explorer's tests run
 * them with the canary on (it must be found) and off (the reference must stay clean to the same
 * depth), and the bug zoo's campaign starts from them.
 *
 * - taskExecutorAcceptsOccupiedSlot: a lost requestSlot answer; the ResourceManager's ask times
 *   out and it asks the TaskExecutor for the same slot again with a new AllocationID.
 * - taskExecutorIgnoresResourceManagerId: a ResourceManager leader change; the old leader's
 *   requestSlot reaches a TaskExecutor that has already been told of the new leader.
 * - slotPoolAcceptsSurplusOffers: a lost requestSlot answer with two slots; the retry takes the
 *   other slot, the TaskExecutor offers both, and the pool must take only one.
 */
import type { Mutant } from '../impl/mutants.js';
import { loadExploreConfig, type ExploreConfig } from './exploreConfig.js';

const NONE = { drop: 0, duplicate: 0, delay: 0, reorder: 0, crash: 0, partition: 0 };

export function canaryBounds(mutant: Mutant): ExploreConfig {
  const base = loadExploreConfig(undefined);
  const oneTaskExecutor = { ...base.cluster, taskExecutors: 1, slotsPerTaskExecutor: 1 };
  switch (mutant) {
    case 'canary:taskExecutorAcceptsOccupiedSlot':
      return {
        ...base,
        cluster: oneTaskExecutor,
        sim: { ...base.sim, faults: { ...NONE, drop: 1 } },
        maxDepth: 30,
      };
    case 'canary:taskExecutorIgnoresResourceManagerId':
      return {
        ...base,
        cluster: { ...oneTaskExecutor, leaderChanges: 1 },
        sim: { ...base.sim, faults: NONE },
        maxDepth: 20,
      };
    case 'canary:slotPoolAcceptsSurplusOffers':
      return {
        ...base,
        cluster: { ...oneTaskExecutor, slotsPerTaskExecutor: 2 },
        sim: { ...base.sim, faults: { ...NONE, drop: 1 } },
        maxDepth: 31,
      };
  }
}
