/**
 * What every ResourceManager handler works with, and the contexts of the asks it sends.
 */
import type { AllocationID, JobID, ResourceID, SlotID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Out } from '../sim/effects.js';
import type { EndpointId } from '../sim/world.js';
import type {
  ResourceManagerConfig,
  ResourceManagerLeadership,
  ResourceManagerState,
} from './resourceManagerState.js';

export interface ResourceManagerContext {
  readonly state: ResourceManagerState;
  readonly config: ResourceManagerConfig;
  readonly out: Out<ClusterMessage>;
  readonly self: EndpointId;
  readonly now: number;
}

/** A handler context while this process leads. */
export interface LeaderContext extends ResourceManagerContext {
  readonly leader: ResourceManagerLeadership;
}

export type ResourceManagerAskContext =
  | {
      kind: 'requestSlot';
      grant: number;
      slotId: SlotID;
      allocationId: AllocationID;
      jobId: JobID;
    }
  | {
      kind: 'heartbeatRequest';
      grant: number;
      target: 'taskManager' | 'jobManager';
      resourceId: ResourceID;
    }
  | { kind: 'disconnectTaskManager' }
  | { kind: 'initialize'; grant: number }
  | { kind: 'requestResource'; grant: number };
