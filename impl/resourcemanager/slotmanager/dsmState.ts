/**
 * The DeclarativeSlotManager's state (Flink's `DeclarativeSlotManager` fields), the actions it asks
 * of its ResourceManager, and the slot status listener that keeps its trackers in step.
 */
import type { AllocationID, InstanceID, JobID, SlotID } from '../../../protocol/ids.js';
import type { ResourceProfile, ResourceRequirement, RpcAddress } from '../../../protocol/values.js';
import * as resources from './resourceTracker.js';
import * as slots from './slotTracker.js';
import * as workers from './taskExecutorManager.js';

export interface DeclarativeSlotManager {
  slotTracker: slots.SlotTracker;
  resourceTracker: resources.ResourceTracker;
  taskExecutorManager: workers.TaskExecutorManager;
  /** The request in flight for a PENDING slot; answers for other allocation ids are ignored. */
  pendingSlotAllocations: Record<string, AllocationID>;
  /** Where each job's JobMaster is (from its last non-empty declaration): `requestSlot`'s target. */
  jobMasterTargetAddresses: Record<JobID, RpcAddress>;
  /** Off during the standalone start-up period. */
  sendNotEnoughResourceNotifications: boolean;
}

/** What the slot manager asks of its ResourceManager (Flink's `ResourceActions` and gateways). */
export interface SlotManagerActions {
  readonly now: number;
  newAllocationId(): AllocationID;
  requestSlot(instanceId: InstanceID, request: SlotRequest): void;
  freeInactiveSlots(instanceId: InstanceID, jobId: JobID): void;
  notifyNotEnoughResourcesAvailable(jobId: JobID, acquired: ResourceRequirement[]): void;
  /** Start a new worker (`allocateResource`); false when the deployment cannot (standalone). */
  allocateResource(): boolean;
  /** Release an idle or surplus worker (`releaseResource`). */
  releaseResource(instanceId: InstanceID): void;
}

export interface SlotRequest {
  readonly slotId: SlotID;
  readonly jobId: JobID;
  readonly allocationId: AllocationID;
  readonly resourceProfile: ResourceProfile;
  readonly targetAddress: RpcAddress;
}

/** How a `requestSlot` ended, as the slot manager reads it. */
export type SlotRequestAnswer =
  | { readonly kind: 'acked' }
  | { readonly kind: 'occupied'; readonly allocationId: AllocationID; readonly jobId: JobID }
  | { readonly kind: 'failed' };

export function createDeclarativeSlotManager(
  sendNotEnoughResourceNotifications: boolean,
): DeclarativeSlotManager {
  return {
    slotTracker: slots.createSlotTracker(),
    resourceTracker: {},
    taskExecutorManager: workers.createTaskExecutorManager(),
    pendingSlotAllocations: {},
    jobMasterTargetAddresses: {},
    sendNotEnoughResourceNotifications,
  };
}

/** The slot status listener: keeps the resource tracker and the TaskExecutor counters in step. */
export function slotStatusListener(
  dsm: DeclarativeSlotManager,
  now: number,
): slots.SlotStatusListener {
  return ({ slot, previous, current, jobId }) => {
    if (previous === 'PENDING') delete dsm.pendingSlotAllocations[slots.slotKey(slot.slotId)];
    if (current === 'PENDING')
      resources.notifyAcquiredResource(dsm.resourceTracker, jobId, slot.resourceProfile);
    if (current === 'FREE')
      resources.notifyLostResource(dsm.resourceTracker, jobId, slot.resourceProfile);
    if (current === 'ALLOCATED') workers.occupySlot(dsm.taskExecutorManager, slot.instanceId);
    if (previous === 'ALLOCATED' && current === 'FREE')
      workers.freeSlot(dsm.taskExecutorManager, slot.instanceId, now);
  };
}
