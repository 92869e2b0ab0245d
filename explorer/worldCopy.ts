/**
 * The world a step starts from, copied so that the step can change it without touching the state
 * it came from, copying only what the step can change. A step changes the simulator's own lists
 * and counters (messages, timers, asks, links, endpoints, fault counts: small, copied one level
 * deep, their entries are never changed in place but replaced), the cluster's bookkeeping (the
 * processes' records, the incarnations, HA's state: copied), and the state of the one component
 * it reaches (copied whole). Every other component's state stays shared with the parent, which is
 * what makes successors cheap and lets the state keys reuse the encodings of unchanged components
 * (explorer/stateKey.ts). explorer/reductions.test.ts checks that exploring leaves every parent
 * unchanged, and that a successor starts as an exact copy of its parent.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import { RM_ENDPOINT, PROVIDER_ENDPOINT } from '../impl/cluster/clusterProcesses.js';
import type { ClusterAction, FlinkClusterState } from '../impl/cluster/flinkCluster.js';
import type { Step } from '../impl/sim/step.js';
import type { EndpointId, World } from '../impl/sim/world.js';

export type ClusterState = World<FlinkClusterState, ClusterMessage>;

/** The component a step hands control to (its handler runs), or null for a network fault. */
export function endpointReached(world: ClusterState, step: Step<ClusterAction>): EndpointId | null {
  switch (step.kind) {
    case 'deliver':
    case 'reorder':
      return world.messages.find((m) => m.seq === step.seq)?.to ?? null;
    case 'fireTimer':
    case 'crash':
    case 'restart':
    case 'client':
      return step.endpoint;
    case 'drop':
    case 'duplicate':
    case 'delay':
    case 'partition':
    case 'heal':
      return null;
  }
}

export function successorWorld(world: ClusterState, step: Step<ClusterAction>): ClusterState {
  const reached = endpointReached(world, step);
  const system = world.system;
  const copied: FlinkClusterState = {
    ...system,
    taskExecutors: { ...system.taskExecutors },
    jobMasters: { ...system.jobMasters },
    incarnations: { ...system.incarnations },
    // HA learns of every crash and restart, and is small.
    ha: structuredClone(system.ha),
  };
  if (reached !== null) {
    if (reached in copied.taskExecutors)
      copied.taskExecutors[reached] = structuredClone(system.taskExecutors[reached] ?? null);
    if (reached in copied.jobMasters)
      copied.jobMasters[reached] = structuredClone(system.jobMasters[reached] ?? null);
    if (reached === RM_ENDPOINT) copied.resourceManager = structuredClone(system.resourceManager);
    if (reached === PROVIDER_ENDPOINT)
      copied.resourceProvider = structuredClone(system.resourceProvider);
  }
  return {
    ...world,
    // A tuple: an object spread of it would be a record that `nextUint32` cannot read.
    rng: [...world.rng],
    endpoints: { ...world.endpoints },
    messages: [...world.messages],
    timers: [...world.timers],
    asks: [...world.asks],
    blockedLinks: [...world.blockedLinks],
    faultCounts: { ...world.faultCounts },
    system: copied,
  };
}
