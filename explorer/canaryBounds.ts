/**
 * For each canary (impl/mutants.ts), the smallest search we know that exposes it: the cluster, the
 * faults it needs and a depth just past its shortest counterexample. The explorer's tests run
 * them with the canary on (it must be found) and off (the reference must stay clean to the same
 * depth), and the bug zoo's campaign (zoo/bugs.ts) searches with them.
 *
 * - taskExecutorAcceptsOccupiedSlot: a lost requestSlot answer; the ResourceManager's ask times
 *   out and it asks the TaskExecutor for the same slot again with a new AllocationID.
 * - taskExecutorIgnoresResourceManagerId: a ResourceManager leader change; the old leader's
 *   requestSlot reaches a TaskExecutor that has already been told of the new leader.
 * - slotPoolAcceptsSurplusOffers: a lost requestSlot answer with two slots; the retry takes the
 *   other slot, the TaskExecutor offers both, and the pool must take only one.
 */
import type { Canary } from '../impl/mutants.js';
import type { ExploreConfig } from './exploreConfig.js';
import { smallBounds } from './smallBounds.js';

export function canaryBounds(mutant: Canary): ExploreConfig {
  switch (mutant) {
    case 'canary:taskExecutorAcceptsOccupiedSlot':
      return smallBounds({ faults: { drop: 1 }, depth: 30 });
    case 'canary:taskExecutorIgnoresResourceManagerId':
      return smallBounds({ leaderChanges: 1, depth: 20 });
    case 'canary:slotPoolAcceptsSurplusOffers':
      return smallBounds({ slots: 2, faults: { drop: 1 }, depth: 31 });
  }
}
