/**
 * The observed state of each component of a Flink cluster, as a trace records it: every process's
 * state by its endpoint (null while it is down), and HA's at `ha`. A recorder writes only the
 * states a step changed; a checker keeps the latest of each and puts the cluster back together.
 */
import { HA_ENDPOINT } from '../protocol/leaderRetrieval.js';
import { PROVIDER_ENDPOINT, RM_ENDPOINT } from '../impl/cluster/clusterProcesses.js';
import type { FlinkClusterState } from '../impl/cluster/flinkCluster.js';
import { canonicalJson, type Json } from '../impl/sim/canonical.js';
import type { EndpointId } from '../impl/sim/world.js';

/** Every component's state by endpoint. */
export function componentStates(state: FlinkClusterState): Map<EndpointId, unknown> {
  const states = new Map<EndpointId, unknown>();
  for (const [endpoint, te] of Object.entries(state.taskExecutors)) states.set(endpoint, te);
  states.set(RM_ENDPOINT, state.resourceManager);
  // A standalone cluster has no provider: its state stays null and is written once.
  states.set(PROVIDER_ENDPOINT, state.resourceProvider);
  for (const [endpoint, jm] of Object.entries(state.jobMasters)) states.set(endpoint, jm);
  states.set(HA_ENDPOINT, state.ha);
  return states;
}

/** Remembers what was last written of each component, to write only what a step changed. */
export class ChangedStates {
  private readonly last = new Map<EndpointId, string>();

  /** The states that differ from the last call's (all of them the first time). */
  changed(state: FlinkClusterState): Record<EndpointId, Json> {
    const changed: Record<EndpointId, Json> = {};
    for (const [endpoint, component] of componentStates(state)) {
      const text = canonicalJson(component);
      if (this.last.get(endpoint) === text) continue;
      this.last.set(endpoint, text);
      changed[endpoint] = component as Json;
    }
    return changed;
  }
}
