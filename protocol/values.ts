/**
 * The data structures that protocol messages carry (flink-protocol.md §1.3), reduced to the fields
 * slot allocation depends on.
 *
 * Simplifications (each also listed in docs/simplifications.md):
 * - A ResourceProfile is an opaque name. `UNKNOWN` and `ANY` keep Flink's special meaning
 *   (§1.4); any other name is a concrete profile and two concrete profiles match only when equal.
 *   CPU and memory arithmetic is not modelled because the 1.15–1.17 DeclarativeSlotManager only
 *   ever matches whole slots.
 * - Registration and heartbeat payloads drop what slot allocation never reads (ports, hardware
 *   description, memory configuration, cluster partitions, accumulators, blob keys, tokens).
 * - An exception (`cause`) is its message text.
 */
import { z } from 'zod';
import {
  AllocationID,
  ExecutionAttemptID,
  JobID,
  ResourceID,
  SlotID,
  TaskManagerSessionId,
} from './ids.js';

/** An RPC address of an endpoint. In the simulator it is the endpoint's name. */
export const RpcAddress = z.string().min(1);
export type RpcAddress = z.infer<typeof RpcAddress>;

/** The text of the exception that caused a disconnect, free or failure. */
export const Cause = z.string();

/** `ResourceProfile`: `UNKNOWN`, `ANY`, or the name of a concrete profile. */
export const ResourceProfile = z.string().min(1);
export type ResourceProfile = z.infer<typeof ResourceProfile>;
export const UNKNOWN_PROFILE: ResourceProfile = 'UNKNOWN';
export const ANY_PROFILE: ResourceProfile = 'ANY';

/** `SlotStatus`: one entry of a slot report; a free slot has neither job nor allocation. */
export const SlotStatus = z.strictObject({
  slotId: SlotID,
  resourceProfile: ResourceProfile,
  jobId: JobID.nullable(),
  allocationId: AllocationID.nullable(),
});
export type SlotStatus = z.infer<typeof SlotStatus>;

/** `SlotReport`: every static slot of a TaskExecutor, plus its allocated dynamic slots. */
export const SlotReport = z.array(SlotStatus);
export type SlotReport = z.infer<typeof SlotReport>;

/** `SlotOffer`: an allocated slot a TaskExecutor offers to the JobMaster of its job. */
export const SlotOffer = z.strictObject({
  allocationId: AllocationID,
  slotIndex: z.number().int().min(0),
  resourceProfile: ResourceProfile,
});
export type SlotOffer = z.infer<typeof SlotOffer>;

/** `ResourceRequirement`: how many slots of one profile a job needs. */
export const ResourceRequirement = z.strictObject({
  resourceProfile: ResourceProfile,
  numberOfRequiredSlots: z.number().int().min(0),
});
export type ResourceRequirement = z.infer<typeof ResourceRequirement>;

/** `ResourceRequirements`: a job's whole declaration; a new one replaces the previous. */
export const ResourceRequirements = z.strictObject({
  jobId: JobID,
  targetAddress: RpcAddress,
  resourceRequirements: z.array(ResourceRequirement),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

/** `AllocatedSlotReport`: the slots a JobMaster's pool holds from one TaskExecutor. */
export const AllocatedSlotReport = z.strictObject({
  jobId: JobID,
  allocatedSlotInfos: z.array(
    z.strictObject({ slotIndex: z.number().int().min(0), allocationId: AllocationID }),
  ),
});
export type AllocatedSlotReport = z.infer<typeof AllocatedSlotReport>;

/** `TaskExecutorRegistration`, reduced to identity, address and slot profiles. */
export const TaskExecutorRegistration = z.strictObject({
  taskExecutorAddress: RpcAddress,
  resourceId: ResourceID,
  defaultSlotResourceProfile: ResourceProfile,
  numberOfSlots: z.number().int().min(0),
});
export type TaskExecutorRegistration = z.infer<typeof TaskExecutorRegistration>;

/** `TaskManagerRegistrationInformation`: who registers at a JobMaster, and which incarnation. */
export const TaskManagerRegistrationInformation = z.strictObject({
  taskManagerAddress: RpcAddress,
  resourceId: ResourceID,
  sessionId: TaskManagerSessionId,
});
export type TaskManagerRegistrationInformation = z.infer<typeof TaskManagerRegistrationInformation>;

/** `TaskExecutorHeartbeatPayload`, reduced to the slot report. */
export const TaskExecutorHeartbeatPayload = z.strictObject({ slotReport: SlotReport });
export type TaskExecutorHeartbeatPayload = z.infer<typeof TaskExecutorHeartbeatPayload>;

/** `TaskExecutorToJobManagerHeartbeatPayload`, reduced to the execution deployment report. */
export const TaskExecutorToJobManagerHeartbeatPayload = z.strictObject({
  executionDeploymentReport: z.array(ExecutionAttemptID),
});
export type TaskExecutorToJobManagerHeartbeatPayload = z.infer<
  typeof TaskExecutorToJobManagerHeartbeatPayload
>;

/** `TaskDeploymentDescriptor`, reduced to where the task goes. */
export const TaskDeploymentDescriptor = z.strictObject({
  jobId: JobID,
  allocationId: AllocationID,
  executionAttemptId: ExecutionAttemptID,
});
export type TaskDeploymentDescriptor = z.infer<typeof TaskDeploymentDescriptor>;

/** `JobStatus` (flink-core `JobStatus`). */
export const JobStatus = z.enum([
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
]);
export type JobStatus = z.infer<typeof JobStatus>;

/** `JobStatus#isGloballyTerminalState`: the job will never run again anywhere. */
export function isGloballyTerminal(status: JobStatus): boolean {
  return status === 'FAILED' || status === 'CANCELED' || status === 'FINISHED';
}
