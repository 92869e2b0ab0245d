/**
 * Messages the JobMaster receives (Flink's `JobMasterGateway`, fenced by `JobMasterId`), from
 * flink-protocol.md §1.3 and §2.5.3.
 */
import { AllocationID, JobID, JobMasterId, ResourceID, ResourceManagerId } from './ids.js';
import { defineAsk, defineTell } from './messageSpec.js';
import {
  Cause,
  ResourceRequirement,
  SlotOffer,
  TaskExecutorToJobManagerHeartbeatPayload,
  TaskManagerRegistrationInformation,
} from './values.js';
import { z } from 'zod';

/** Every call carries the caller's fencing token (Flink wraps it in a `FencedMessage`). */
const fenced = { fencingToken: JobMasterId };

const gateway = 'JobMasterGateway';

export const registerTaskManager = defineAsk({
  name: 'registerTaskManager',
  gateway,
  from: ['TaskExecutor'],
  to: 'JobMaster',
  doc: 'A TaskExecutor registers at the job leader; the same session id again is idempotent.',
  flink: 'JobMaster#registerTaskManager',
  payload: {
    ...fenced,
    jobId: JobID,
    taskManagerRegistrationInformation: TaskManagerRegistrationInformation,
  },
  timeout: 'indefinite',
  replies: {
    succeeded: { jobMasterResourceId: ResourceID },
    rejected: { reason: Cause },
    declined: { reason: Cause },
  },
  replyDocs: {
    succeeded: 'JMTMRegistrationSuccess: the TaskExecutor may offer slots.',
    rejected: "JMTMRegistrationRejection (wrong job): the TaskExecutor releases the job's slots.",
    declined: 'RegistrationResponse.Failure (e.g. unresolvable address): retried after a delay.',
  },
  exceptions: [],
});

export const offerSlots = defineAsk({
  name: 'offerSlots',
  gateway,
  from: ['TaskExecutor'],
  to: 'JobMaster',
  doc: "Offer the TaskExecutor's ALLOCATED slots of the job; the reply is the accepted subset.",
  flink: 'JobMaster#offerSlots',
  payload: { ...fenced, resourceId: ResourceID, offers: z.array(SlotOffer) },
  timeout: 'indefinite',
  replies: { accepted: { offers: z.array(SlotOffer) } },
  replyDocs: { accepted: 'The accepted offers; every other offered slot is to be freed.' },
  exceptions: ['UnknownTaskManager'],
});

export const failSlot = defineTell({
  name: 'failSlot',
  gateway,
  from: ['TaskExecutor'],
  to: 'JobMaster',
  doc: 'The TaskExecutor no longer holds this allocation for the job: drop it from the pool.',
  flink: 'JobMaster#failSlot',
  payload: { ...fenced, resourceId: ResourceID, allocationId: AllocationID, cause: Cause },
});

export const heartbeatFromTaskManager = defineAsk({
  name: 'heartbeatFromTaskManager',
  gateway,
  from: ['TaskExecutor'],
  to: 'JobMaster',
  doc: "A TaskExecutor's heartbeat answer carrying the executions deployed on it.",
  flink: 'JobMaster#heartbeatFromTaskManager',
  payload: {
    ...fenced,
    resourceId: ResourceID,
    heartbeatPayload: TaskExecutorToJobManagerHeartbeatPayload,
  },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered.' },
  exceptions: [],
});

export const heartbeatFromResourceManager = defineAsk({
  name: 'heartbeatFromResourceManager',
  gateway,
  from: ['ResourceManager'],
  to: 'JobMaster',
  doc: 'Heartbeat request from the ResourceManager; a monitored RM gets heartbeatFromJobManager.',
  flink: 'JobMaster#heartbeatFromResourceManager',
  payload: { ...fenced, resourceId: ResourceID },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered (only RecipientUnreachableException failures are counted).' },
  exceptions: [],
});

export const disconnectTaskManager = defineAsk({
  name: 'disconnectTaskManager',
  gateway,
  from: ['TaskExecutor', 'ResourceManager'],
  to: 'JobMaster',
  doc: 'Drop the TaskExecutor: release its slots (freeSlot each) and disconnect it from the job.',
  flink: 'JobMaster#disconnectTaskManager',
  payload: { ...fenced, resourceId: ResourceID, cause: Cause },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'The TaskExecutor is no longer registered at this JobMaster.' },
  exceptions: [],
});

export const disconnectResourceManager = defineTell({
  name: 'disconnectResourceManager',
  gateway,
  from: ['ResourceManager'],
  to: 'JobMaster',
  doc: 'The ResourceManager closed the JM connection; reconnect if the id is the current RM.',
  flink: 'JobMaster#disconnectResourceManager',
  payload: { ...fenced, resourceManagerId: ResourceManagerId, cause: Cause },
});

export const notifyNotEnoughResourcesAvailable = defineTell({
  name: 'notifyNotEnoughResourcesAvailable',
  gateway,
  from: ['ResourceManager'],
  to: 'JobMaster',
  doc: 'The requirements cannot be fulfilled: fail pending slot requests.',
  flink: 'JobMaster#notifyNotEnoughResourcesAvailable',
  payload: { ...fenced, acquiredResources: z.array(ResourceRequirement) },
});

export const notifyAllocationFailure = defineTell({
  name: 'notifyAllocationFailure',
  gateway,
  from: ['ResourceManager'],
  to: 'JobMaster',
  doc: 'Fail an allocation (exists in 1.15–1.16 but neither slot manager sends it).',
  flink: 'JobMaster#notifyAllocationFailure',
  payload: { ...fenced, allocationId: AllocationID, cause: Cause },
  versions: '1.15–1.16 (removed by FLINK-30084)',
});

export const jobMasterGateway = [
  registerTaskManager,
  offerSlots,
  failSlot,
  heartbeatFromTaskManager,
  heartbeatFromResourceManager,
  disconnectTaskManager,
  disconnectResourceManager,
  notifyNotEnoughResourcesAvailable,
  notifyAllocationFailure,
] as const;
