/**
 * The cluster as a trace shows it: the latest observed state of each component, put back together
 * as the state the invariants and the conformance monitors read. Only observed components appear,
 * so an invariant over TaskExecutors sees exactly the observed ones.
 */
import {
  PROVIDER_ENDPOINT,
  RM_ENDPOINT,
  type ClusterRouting,
} from '../../impl/cluster/clusterProcesses.js';
import type { FlinkClusterState } from '../../impl/cluster/flinkCluster.js';
import { createHaState, type HaState } from '../../impl/ha/haService.js';
import type { EndpointId } from '../../impl/sim/world.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';

export class ObservedCluster {
  /** Mutated in place as states arrive; a component's state object itself is never changed. */
  readonly state: FlinkClusterState = {
    taskExecutors: {},
    resourceManager: null,
    resourceProvider: null,
    jobMasters: {},
    ha: createHaState(),
    incarnations: {},
    jobActions: 0,
  };
  private readonly seen = new Set<EndpointId>();

  constructor(private readonly routing: ClusterRouting) {}

  /** Every endpoint whose state a trace may carry. */
  get endpoints(): EndpointId[] {
    return [...this.routing.endpoints, HA_ENDPOINT];
  }

  has(endpoint: EndpointId): boolean {
    return this.seen.has(endpoint);
  }

  /** Takes a component's observed state; false if the endpoint is none of this cluster's. */
  observe(endpoint: EndpointId, value: unknown): boolean {
    const s = this.state;
    if (this.routing.isTaskExecutor(endpoint))
      s.taskExecutors[endpoint] = value as FlinkClusterState['taskExecutors'][string];
    else if (this.routing.isJobMaster(endpoint))
      s.jobMasters[endpoint] = value as FlinkClusterState['jobMasters'][string];
    else if (endpoint === RM_ENDPOINT && this.routing.isReal(RM_ENDPOINT))
      s.resourceManager = value as FlinkClusterState['resourceManager'];
    else if (endpoint === PROVIDER_ENDPOINT)
      s.resourceProvider = value as FlinkClusterState['resourceProvider'];
    else if (endpoint === HA_ENDPOINT) s.ha = value as HaState;
    else return false;
    this.seen.add(endpoint);
    return true;
  }
}
