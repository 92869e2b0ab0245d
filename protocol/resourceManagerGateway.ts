/**
 * Messages the ResourceManager receives (Flink's `ResourceManagerGateway`, fenced by
 * `ResourceManagerId`: a caller holding an old token is refused with FencingTokenException, and a
 * fenced tell from an old token is dropped), from flink-protocol.md §1.3 and §2.2.3.
 */
import {
  AllocationID,
  InstanceID,
  JobID,
  JobMasterId,
  ResourceID,
  ResourceManagerId,
  SlotID,
} from './ids.js';
import { defineAsk, defineTell } from './messageSpec.js';
import {
  Cause,
  JobStatus,
  ResourceRequirements,
  RpcAddress,
  SlotReport,
  TaskExecutorHeartbeatPayload,
  TaskExecutorRegistration,
} from './values.js';

/** Every call carries the caller's fencing token (Flink wraps it in a `FencedMessage`). */
const fenced = { fencingToken: ResourceManagerId };

const gateway = 'ResourceManagerGateway';

export const registerTaskExecutor = defineAsk({
  name: 'registerTaskExecutor',
  gateway,
  from: ['TaskExecutor'],
  to: 'ResourceManager',
  doc: 'Register a TaskExecutor; success carries a fresh InstanceID for this registration.',
  flink: 'ResourceManager#registerTaskExecutor',
  payload: { ...fenced, registration: TaskExecutorRegistration },
  timeout: 'indefinite',
  replies: {
    succeeded: { instanceId: InstanceID, resourceManagerResourceId: ResourceID },
    rejected: { reason: Cause },
    declined: { reason: Cause },
  },
  replyDocs: {
    succeeded: 'TaskExecutorRegistrationSuccess: registered under the new InstanceID.',
    rejected: 'TaskExecutorRegistrationRejection: refused for good; the TaskExecutor terminates.',
    declined: 'RegistrationResponse.Failure (e.g. an outdated attempt): retried after a delay.',
  },
  exceptions: [],
});

export const sendSlotReport = defineAsk({
  name: 'sendSlotReport',
  gateway,
  from: ['TaskExecutor'],
  to: 'ResourceManager',
  doc: "The TaskExecutor's first slot report after registering; registers it at the SlotManager.",
  flink: 'ResourceManager#sendSlotReport',
  payload: { ...fenced, resourceId: ResourceID, instanceId: InstanceID, slotReport: SlotReport },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'The SlotManager registered the TaskExecutor (or applied the report).' },
  exceptions: ['UnknownTaskManagerRegistration'],
});

export const notifySlotAvailable = defineTell({
  name: 'notifySlotAvailable',
  gateway,
  from: ['TaskExecutor'],
  to: 'ResourceManager',
  doc: 'A slot was really freed at the TaskExecutor (ignored for an unknown InstanceID).',
  flink: 'ResourceManager#notifySlotAvailable',
  payload: { ...fenced, instanceId: InstanceID, slotId: SlotID, allocationId: AllocationID },
});

export const registerJobMaster = defineAsk({
  name: 'registerJobMaster',
  gateway,
  from: ['JobMaster'],
  to: 'ResourceManager',
  doc: "Register a job's JobMaster; a newer JobMasterId replaces the old registration.",
  flink: 'ResourceManager#registerJobMaster',
  payload: {
    ...fenced,
    jobMasterId: JobMasterId,
    resourceId: ResourceID,
    jobMasterAddress: RpcAddress,
    jobId: JobID,
  },
  timeout: 'indefinite',
  replies: {
    succeeded: { resourceManagerId: ResourceManagerId, resourceManagerResourceId: ResourceID },
    declined: { reason: Cause },
  },
  replyDocs: {
    succeeded: 'JobMasterRegistrationSuccess: registered with this ResourceManager leader.',
    declined: "RegistrationResponse.Failure (e.g. JobMasterId is not HA's leader): retried.",
  },
  exceptions: [],
});

export const declareRequiredResources = defineAsk({
  name: 'declareRequiredResources',
  gateway,
  from: ['JobMaster'],
  to: 'ResourceManager',
  doc: "Replace the job's resource requirements at the SlotManager.",
  flink: 'ResourceManager#declareRequiredResources',
  payload: { ...fenced, jobMasterId: JobMasterId, resourceRequirements: ResourceRequirements },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'The SlotManager took the requirements.' },
  exceptions: ['UnknownJobManager', 'JobMasterIdMismatch'],
});

export const heartbeatFromTaskManager = defineAsk({
  name: 'heartbeatFromTaskManager',
  gateway,
  from: ['TaskExecutor'],
  to: 'ResourceManager',
  doc: "A TaskExecutor's heartbeat answer carrying its slot report (reconciled by the SlotManager).",
  flink: 'ResourceManager#heartbeatFromTaskManager',
  payload: { ...fenced, resourceId: ResourceID, heartbeatPayload: TaskExecutorHeartbeatPayload },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered.' },
  exceptions: [],
});

export const heartbeatFromJobManager = defineAsk({
  name: 'heartbeatFromJobManager',
  gateway,
  from: ['JobMaster'],
  to: 'ResourceManager',
  doc: "A JobMaster's heartbeat answer to the ResourceManager (no payload).",
  flink: 'ResourceManager#heartbeatFromJobManager',
  payload: { ...fenced, resourceId: ResourceID },
  timeout: 'indefinite',
  replies: { acked: {} },
  replyDocs: { acked: 'Delivered.' },
  exceptions: [],
});

export const disconnectTaskManager = defineTell({
  name: 'disconnectTaskManager',
  gateway,
  from: ['TaskExecutor'],
  to: 'ResourceManager',
  doc: 'The TaskExecutor closes its RM connection: unregister it and tell every JobMaster.',
  flink: 'ResourceManager#disconnectTaskManager',
  payload: { ...fenced, resourceId: ResourceID, cause: Cause },
});

export const disconnectJobManager = defineTell({
  name: 'disconnectJobManager',
  gateway,
  from: ['JobMaster'],
  to: 'ResourceManager',
  doc: 'The JobMaster closes its RM connection; a globally terminal status also clears the job.',
  flink: 'ResourceManager#disconnectJobManager',
  payload: { ...fenced, jobId: JobID, jobStatus: JobStatus, cause: Cause },
});

export const resourceManagerGateway = [
  registerTaskExecutor,
  sendSlotReport,
  notifySlotAvailable,
  registerJobMaster,
  declareRequiredResources,
  heartbeatFromTaskManager,
  heartbeatFromJobManager,
  disconnectTaskManager,
  disconnectJobManager,
] as const;
