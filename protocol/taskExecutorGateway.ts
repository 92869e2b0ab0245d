/**
 * Messages the TaskExecutor receives (Flink's `TaskExecutorGateway`, unfenced), from
 * flink-protocol.md §1.3 and the gateway interface at the 1.15 branch point. Only `requestSlot`
 * and `submitTask` check an id argument (`ResourceManagerId`, `JobMasterId`).
 */
import { z } from 'zod';
import { AllocationID, JobID, JobMasterId, ResourceID, ResourceManagerId, SlotID } from './ids.js';
import { defineAsk, defineTell } from './messageSpec.js';
import {
  AllocatedSlotReport,
  Cause,
  ResourceProfile,
  RpcAddress,
  TaskDeploymentDescriptor,
} from './values.js';

const gateway = 'TaskExecutorGateway';

export const requestSlot = defineAsk({
  name: 'requestSlot',
  gateway,
  from: ['ResourceManager'],
  to: 'TaskExecutor',
  doc: 'Allocate the named slot to the job under the AllocationID, and offer it to the job leader.',
  flink: 'TaskExecutor#requestSlot',
  payload: {
    slotId: SlotID,
    jobId: JobID,
    allocationId: AllocationID,
    resourceProfile: ResourceProfile,
    targetAddress: RpcAddress,
    resourceManagerId: ResourceManagerId,
  },
  timeout: 'indefinite',
  replies: { acked: {}, occupied: { allocationId: AllocationID, jobId: JobID } },
  replyDocs: {
    acked: 'The slot is allocated to the job (also when the same request is repeated).',
    occupied: 'SlotOccupiedException: the index holds another allocation, named with its job.',
  },
  exceptions: ['TaskManagerException', 'SlotAllocationException'],
});

export const freeSlot = defineAsk({
  name: 'freeSlot',
  gateway,
  from: ['JobMaster'],
  to: 'TaskExecutor',
  doc: 'Free the slot of this AllocationID (keyed only by AllocationID; no job or leader check).',
  flink: 'TaskExecutor#freeSlot',
  payload: { allocationId: AllocationID, cause: Cause },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Freed, or RELEASING until its tasks end, or unknown (a no-op).' },
  exceptions: [],
});

export const freeInactiveSlots = defineTell({
  name: 'freeInactiveSlots',
  gateway,
  from: ['ResourceManager'],
  to: 'TaskExecutor',
  doc: 'Free every ALLOCATED (not ACTIVE) slot of the job; sent when the RM clears the job.',
  flink: 'TaskExecutor#freeInactiveSlots',
  payload: { jobId: JobID },
});

export const heartbeatFromResourceManager = defineAsk({
  name: 'heartbeatFromResourceManager',
  gateway,
  from: ['ResourceManager'],
  to: 'TaskExecutor',
  doc: 'Heartbeat request; a monitored RM gets the slot report back in heartbeatFromTaskManager.',
  flink: 'TaskExecutor#heartbeatFromResourceManager',
  payload: { resourceId: ResourceID },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered (only RecipientUnreachableException failures are counted).' },
  exceptions: [],
});

export const heartbeatFromJobManager = defineAsk({
  name: 'heartbeatFromJobManager',
  gateway,
  from: ['JobMaster'],
  to: 'TaskExecutor',
  doc: "Heartbeat request carrying the JM pool's slots on this TE; the TE syncs its slots with it.",
  flink: 'TaskExecutor#heartbeatFromJobManager',
  payload: { resourceId: ResourceID, allocatedSlotReport: AllocatedSlotReport },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered (only RecipientUnreachableException failures are counted).' },
  exceptions: [],
});

export const disconnectJobManager = defineTell({
  name: 'disconnectJobManager',
  gateway,
  from: ['JobMaster'],
  to: 'TaskExecutor',
  doc: 'The JM dropped this TE: disconnect the job (slots become inactive) and re-register.',
  flink: 'TaskExecutor#disconnectJobManager',
  payload: { jobId: JobID, cause: Cause },
});

export const disconnectResourceManager = defineTell({
  name: 'disconnectResourceManager',
  gateway,
  from: ['ResourceManager'],
  to: 'TaskExecutor',
  doc: 'The RM closed this TE connection: reconnect to the RM (no id check).',
  flink: 'TaskExecutor#disconnectResourceManager',
  payload: { cause: Cause },
});

export const submitTask = defineAsk({
  name: 'submitTask',
  gateway,
  from: ['JobMaster'],
  to: 'TaskExecutor',
  doc: 'Deploy a task into an allocated slot; requires the job connected to this JobMasterId.',
  flink: 'TaskExecutor#submitTask',
  payload: { tdd: TaskDeploymentDescriptor, jobMasterId: JobMasterId },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'The task runs in the slot, which is now ACTIVE.' },
  exceptions: ['TaskSubmissionException'],
});

export const canBeReleased = defineAsk({
  name: 'canBeReleased',
  gateway,
  from: ['ResourceManager'],
  to: 'TaskExecutor',
  doc: 'Ask whether the TE holds no partitions that occupy local resources (idle release check).',
  flink: 'TaskExecutor#canBeReleased',
  payload: {},
  timeout: 'definite',
  replies: { answered: { canBeReleased: z.boolean() } },
  replyDocs: { answered: 'True iff no partitions occupy local resources.' },
  exceptions: [],
});

export const taskExecutorGateway = [
  requestSlot,
  freeSlot,
  freeInactiveSlots,
  heartbeatFromResourceManager,
  heartbeatFromJobManager,
  disconnectJobManager,
  disconnectResourceManager,
  submitTask,
  canBeReleased,
] as const;
