/**
 * The TaskExecutors registered at a JobMaster (flink-protocol.md §2.5.3): `registerTaskManager`
 * with session ids, `offerSlots`, `failSlot` (releasing a TaskExecutor left without slots),
 * `disconnectTaskManager`, and the allocated slot report a JobMaster heartbeat carries. Plain data
 * and functions; the JobMaster hands in its slot pool service and a port for what leaves it.
 */
import type { AllocationID, JobID, ResourceID } from '../../protocol/ids.js';
import type {
  AllocatedSlotReport,
  SlotOffer,
  TaskManagerRegistrationInformation,
} from '../../protocol/values.js';
import * as slotPool from './slotpool/declarativeSlotPoolBridge.js';
import { allocatedSlotReport } from './slotpool/defaultDeclarativeSlotPool.js';

/** `TaskManagerRegistration`: where the TaskExecutor is and which of its sessions registered. */
export interface TaskManagerRegistration {
  readonly resourceId: ResourceID;
  readonly address: string;
  readonly sessionId: string;
}

export interface TaskManagersActions extends slotPool.SlotPoolServiceActions {
  /** Start monitoring the TaskExecutor's heartbeat (the JobMaster is the sender). */
  monitorTaskManager(resourceId: ResourceID, address: string): void;
  unmonitorTaskManager(resourceId: ResourceID): void;
  /** Tell the TaskExecutor `disconnectJobManager(jobId, cause)`. */
  disconnectJobManager(address: string, cause: string): void;
}

export type RegisterTaskManagerOutcome = 'succeeded' | 'rejected';

/**
 * `registerTaskManager`: another job's registration is rejected (the TaskExecutor releases that
 * job); the session already registered succeeds again without change; a new session of a
 * registered TaskExecutor disconnects the old one first; then the pool takes the TaskExecutor and
 * its heartbeat is monitored. (The connect step, and its `Failure` for an unresolvable address,
 * are not modelled: docs/simplifications.md.)
 */
export function registerTaskManager(
  registrations: TaskManagerRegistration[],
  service: slotPool.SlotPoolService,
  ownJobId: JobID,
  jobId: JobID,
  info: TaskManagerRegistrationInformation,
  actions: TaskManagersActions,
): RegisterTaskManagerOutcome {
  if (jobId !== ownJobId) return 'rejected';
  const old = registrations.find((r) => r.resourceId === info.resourceId);
  if (old !== undefined && old.sessionId === info.sessionId) return 'succeeded';
  if (old !== undefined)
    disconnectTaskManager(
      registrations,
      service,
      info.resourceId,
      'TaskExecutor re-registered with a new session id.',
      actions,
    );
  slotPool.registerTaskManager(service, info.resourceId);
  registrations.push({
    resourceId: info.resourceId,
    address: info.taskManagerAddress,
    sessionId: info.sessionId,
  });
  actions.monitorTaskManager(info.resourceId, info.taskManagerAddress);
  return 'succeeded';
}

/** `offerSlots`: an unknown TaskExecutor gets an exception ("Unknown TaskManager"); otherwise the pool decides. */
export function offerSlots(
  registrations: readonly TaskManagerRegistration[],
  service: slotPool.SlotPoolService,
  resourceId: ResourceID,
  offers: readonly SlotOffer[],
  actions: TaskManagersActions,
  acceptEveryOffer = false,
): SlotOffer[] | 'unknownTaskManager' {
  if (!registrations.some((r) => r.resourceId === resourceId)) return 'unknownTaskManager';
  return slotPool.offerSlots(service, resourceId, offers, actions, acceptEveryOffer);
}

/**
 * `failSlot` → `internalFailAllocation`: the allocation leaves the pool (its TaskExecutor is told
 * `freeSlot`); a TaskExecutor left without slots is released (`releaseEmptyTaskManager`; the
 * model's TaskExecutors hold no result partitions that would keep it). Unknown TaskExecutor:
 * ignored.
 */
export function failSlot(
  registrations: TaskManagerRegistration[],
  service: slotPool.SlotPoolService,
  resourceId: ResourceID,
  allocationId: AllocationID,
  cause: string,
  actions: TaskManagersActions,
): void {
  if (!registrations.some((r) => r.resourceId === resourceId)) return;
  const empty = slotPool.failAllocation(service, resourceId, allocationId, cause, actions);
  if (empty !== null)
    disconnectTaskManager(registrations, service, empty, 'No more slots registered', actions);
}

/**
 * `disconnectTaskManager` (from the TaskExecutor, the RM, a heartbeat timeout or internally):
 * stop monitoring, release its slots (`freeSlot` each), and if it was registered, forget it and
 * tell it `disconnectJobManager`.
 */
export function disconnectTaskManager(
  registrations: TaskManagerRegistration[],
  service: slotPool.SlotPoolService,
  resourceId: ResourceID,
  cause: string,
  actions: TaskManagersActions,
): void {
  actions.unmonitorTaskManager(resourceId);
  slotPool.releaseTaskManager(service, resourceId, cause, actions);
  const i = registrations.findIndex((r) => r.resourceId === resourceId);
  if (i < 0) return;
  const [registration] = registrations.splice(i, 1);
  if (registration !== undefined) actions.disconnectJobManager(registration.address, cause);
}

/** `createAllocatedSlotReport`: what a heartbeat to the TaskExecutor carries. */
export function allocatedSlotReportFor(
  service: slotPool.SlotPoolService,
  jobId: JobID,
  resourceId: ResourceID,
): AllocatedSlotReport {
  return { jobId, allocatedSlotInfos: allocatedSlotReport(service.pool, resourceId) };
}
