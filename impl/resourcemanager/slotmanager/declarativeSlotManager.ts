/**
 * Flink's `DeclarativeSlotManager` (the default slot manager of 1.15–1.17), flink-protocol.md
 * §2.3.2: it takes the jobs' declared requirements, tracks every registered slot, picks free slots
 * for missing resources and asks their TaskExecutors for them (a new AllocationID per attempt),
 * reconciles slot reports, requests workers when slots are missing, and tells a job when its
 * requirements cannot be met. Plain data plus functions; what it sends goes through
 * `SlotManagerActions`, which the ResourceManager implements.
 */
import type { InstanceID, JobID, ResourceID, SlotID } from '../../../protocol/ids.js';
import type { ResourceRequirements, SlotReport } from '../../../protocol/values.js';
import {
  slotStatusListener,
  type DeclarativeSlotManager,
  type SlotManagerActions,
} from './dsmState.js';
import * as resources from './resourceTracker.js';
import { checkResourceRequirements } from './slotAllocation.js';
import * as slots from './slotTracker.js';
import * as workers from './taskExecutorManager.js';

export * from './dsmState.js';
export { checkResourceRequirements, onSlotRequestAnswer } from './slotAllocation.js';

/**
 * `processResourceRequirements`: a job's declaration replaces its requirements (an empty one for
 * a job without requirements is ignored), then missing resources are allocated. Lowering the
 * requirements cancels nothing and frees nothing.
 */
export function processResourceRequirements(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  requirements: ResourceRequirements,
  actions: SlotManagerActions,
): void {
  const { jobId } = requirements;
  const declared = requirements.resourceRequirements.filter((r) => r.numberOfRequiredSlots > 0);
  if (declared.length === 0 && resources.isRequirementEmpty(dsm.resourceTracker, jobId)) return;
  if (declared.length > 0) dsm.jobMasterTargetAddresses[jobId] = requirements.targetAddress;
  resources.notifyResourceRequirements(dsm.resourceTracker, jobId, declared);
  checkResourceRequirements(dsm, config, actions);
}

/** `clearResourceRequirements` (the job was removed): reclaim its inactive slots, drop its requirements. */
export function clearResourceRequirements(
  dsm: DeclarativeSlotManager,
  jobId: JobID,
  actions: SlotManagerActions,
): void {
  if (resources.getAcquiredResources(dsm.resourceTracker, jobId).length > 0) {
    for (const instanceId of slots.instancesWithSlotsOfJob(dsm.slotTracker, jobId))
      actions.freeInactiveSlots(instanceId, jobId);
  }
  delete dsm.jobMasterTargetAddresses[jobId];
  resources.notifyResourceRequirements(dsm.resourceTracker, jobId, []);
}

/**
 * `registerTaskManager`: `alreadyRegistered` applies the report as a status update; `rejected`
 * means the max-slot limit refused the worker (which is released); otherwise every reported slot
 * is added in the state its report gives, and missing resources are allocated.
 */
export function registerTaskManager(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  instanceId: InstanceID,
  resourceId: ResourceID,
  report: SlotReport,
  actions: SlotManagerActions,
): 'registered' | 'alreadyRegistered' | 'rejected' {
  if (workers.registrationOf(dsm.taskExecutorManager, instanceId) !== undefined) {
    reportSlotStatus(dsm, config, instanceId, report, actions);
    return 'alreadyRegistered';
  }
  if (
    !workers.registerTaskManager(
      dsm.taskExecutorManager,
      config,
      instanceId,
      resourceId,
      report,
      actions.now,
    )
  ) {
    actions.releaseResource(instanceId);
    return 'rejected';
  }
  for (const status of report) {
    slots.addSlot(
      dsm.slotTracker,
      status.slotId,
      status.resourceProfile,
      instanceId,
      status.jobId,
      slotStatusListener(dsm, actions.now),
      config.mutants,
    );
  }
  checkResourceRequirements(dsm, config, actions);
  return 'registered';
}

/** `unregisterTaskManager`: every slot of the TaskExecutor goes (its jobs lose them); re-check. */
export function unregisterTaskManager(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  instanceId: InstanceID,
  actions: SlotManagerActions,
): boolean {
  const registration = workers.registrationOf(dsm.taskExecutorManager, instanceId);
  if (registration === undefined) return false;
  for (const key of registration.slotKeys) {
    const slot = dsm.slotTracker.slots[key];
    if (slot !== undefined)
      slots.removeSlot(dsm.slotTracker, slot.slotId, slotStatusListener(dsm, actions.now));
  }
  workers.unregisterTaskExecutor(dsm.taskExecutorManager, instanceId);
  checkResourceRequirements(dsm, config, actions);
  return true;
}

/** `reportSlotStatus`: the report of a registered TaskExecutor is reconciled; a change re-checks. */
export function reportSlotStatus(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  instanceId: InstanceID,
  report: SlotReport,
  actions: SlotManagerActions,
): boolean {
  if (workers.registrationOf(dsm.taskExecutorManager, instanceId) === undefined) return false;
  if (
    slots.notifySlotStatus(
      dsm.slotTracker,
      report,
      slotStatusListener(dsm, actions.now),
      config.mutants,
    )
  )
    checkResourceRequirements(dsm, config, actions);
  return true;
}

/**
 * `freeSlot` (from `notifySlotAvailable`): the AllocationID is ignored. Freeing a slot the slot
 * manager already holds FREE (a duplicated or reordered `notifySlotAvailable`) fails Flink's
 * `checkState(state != FREE)` before anything changes; freeing a slot it does not track at all (the
 * TaskExecutor registered, but its slot report never arrived) fails `DefaultSlotTracker`'s
 * `checkNotNull(slot)`. Either exception ends the RPC handler and the RPC system logs it. The
 * model returns `illegalState` and changes nothing.
 */
export function freeSlot(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  slotId: SlotID,
  actions: SlotManagerActions,
): 'freed' | 'illegalState' {
  const tracked = dsm.slotTracker.slots[slots.slotKey(slotId)];
  if (tracked === undefined || tracked.state === 'FREE') return 'illegalState';
  slots.notifyFree(dsm.slotTracker, slotId, slotStatusListener(dsm, actions.now));
  checkResourceRequirements(dsm, config, actions);
  return 'freed';
}

/** `setFailUnfulfillableRequest`: the end of the standalone start-up period turns notifications on. */
export function setFailUnfulfillableRequest(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  fail: boolean,
  actions: SlotManagerActions,
): void {
  dsm.sendNotEnoughResourceNotifications = fail;
  if (fail) checkResourceRequirements(dsm, config, actions);
}

/** `getRequiredResources`: how many default workers the pending slots need. */
export function getRequiredWorkers(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
): number {
  return workers.requiredWorkers(dsm.taskExecutorManager, config);
}

/** The idle check (`checkTaskManagerTimeoutsAndRedundancy`): release timed-out idle TaskExecutors. */
export function checkTaskManagerTimeouts(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  actions: SlotManagerActions,
): void {
  for (const instanceId of workers.idleTaskExecutorsToRelease(
    dsm.taskExecutorManager,
    config,
    actions.now,
  ))
    actions.releaseResource(instanceId);
}
