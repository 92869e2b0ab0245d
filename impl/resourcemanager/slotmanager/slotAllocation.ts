/**
 * How the DeclarativeSlotManager allocates (flink-protocol.md §2.3.2 `checkResourceRequirements`,
 * `allocateSlot` and its answer handling, `tryFulfillRequirementsWithPendingSlots`): free matching
 * slots first, each under a new AllocationID, then pending worker slots, then new workers, and
 * a notification when nothing helps.
 */
import { hasMutant } from '../../mutants.js';
import type { JobID, SlotID, AllocationID } from '../../../protocol/ids.js';
import type { ResourceProfile, ResourceRequirement } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';
import {
  slotStatusListener,
  type DeclarativeSlotManager,
  type SlotManagerActions,
  type SlotRequestAnswer,
} from './dsmState.js';
import { isMatching } from '../../resources/requirementMatcher.js';
import { add, type ResourceCounter } from '../../resources/resourceCounter.js';
import * as resources from './resourceTracker.js';
import * as slots from './slotTracker.js';
import * as workers from './taskExecutorManager.js';

/** `checkResourceRequirements`: allocate free slots for missing resources, then pending or new workers. */
export function checkResourceRequirements(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  actions: SlotManagerActions,
): void {
  const unfulfilled: { jobId: JobID; missing: ResourceCounter }[] = [];
  for (const { jobId, missing } of resources.getMissingResources(dsm.resourceTracker)) {
    const outstanding: ResourceCounter = {};
    for (const requirement of missing) {
      const left = tryAllocateSlots(dsm, jobId, requirement, actions);
      if (left > 0) add(outstanding, requirement.resourceProfile, left);
    }
    if (Object.keys(outstanding).length > 0) unfulfilled.push({ jobId, missing: outstanding });
  }
  let pending: ResourceCounter = { ...dsm.taskExecutorManager.pendingSlots };
  for (const { jobId, missing } of unfulfilled)
    pending = fulfillWithPendingSlots(dsm, config, jobId, missing, pending, actions);
}

/** `internalTryAllocateSlots`: one free matching slot per missing resource; returns how many stay missing. */
function tryAllocateSlots(
  dsm: DeclarativeSlotManager,
  jobId: JobID,
  requirement: ResourceRequirement,
  actions: SlotManagerActions,
): number {
  for (let i = 0; i < requirement.numberOfRequiredSlots; i++) {
    const slot = slots
      .freeSlots(dsm.slotTracker)
      .find((s) => isMatching(s.resourceProfile, requirement.resourceProfile));
    if (slot === undefined) return requirement.numberOfRequiredSlots - i;
    allocateSlot(dsm, slot, jobId, requirement.resourceProfile, actions);
  }
  return 0;
}

/** `allocateSlot`: FREE → PENDING(job) under a new AllocationID, and `requestSlot` to its TaskExecutor. */
function allocateSlot(
  dsm: DeclarativeSlotManager,
  slot: slots.TrackedSlot,
  jobId: JobID,
  profile: ResourceProfile,
  actions: SlotManagerActions,
): void {
  checkState(
    workers.registrationOf(dsm.taskExecutorManager, slot.instanceId) !== undefined,
    'DeclarativeSlotManager#allocateSlot',
    `task executor ${slot.instanceId} is registered`,
  );
  const allocationId = actions.newAllocationId();
  slots.notifyAllocationStart(
    dsm.slotTracker,
    slot.slotId,
    jobId,
    slotStatusListener(dsm, actions.now),
  );
  workers.markUsed(dsm.taskExecutorManager, slot.instanceId);
  dsm.pendingSlotAllocations[slots.slotKey(slot.slotId)] = allocationId;
  const targetAddress = dsm.jobMasterTargetAddresses[jobId];
  checkState(
    targetAddress !== undefined,
    'DeclarativeSlotManager#allocateSlot',
    `job ${jobId} has a target address`,
  );
  actions.requestSlot(slot.instanceId, {
    slotId: slot.slotId,
    jobId,
    allocationId,
    resourceProfile: profile,
    targetAddress,
  });
}

/**
 * Whether the slot still waits for this answer: `pendingSlotAllocations` holds exactly its
 * AllocationID (FLINK-21874 made it a map from a set; FLINK-20605 introduced the check).
 */
function answerStillAwaited(
  pending: AllocationID | undefined,
  allocationId: AllocationID,
  config: workers.TaskExecutorManagerConfig,
): boolean {
  // Bug zoo: before 1.13.0, no check at all (FLINK-20605), then a check of the slot only (FLINK-21874).
  if (hasMutant(config.mutants, 'FLINK-20605:lateAllocationAnswerApplied')) return true;
  if (hasMutant(config.mutants, 'FLINK-21874:allocationAnswerMatchedBySlot'))
    return pending !== undefined;
  return pending === allocationId;
}

/**
 * The answer to a `requestSlot`. Ignored unless the slot still waits for exactly this allocation.
 * An ack completes it; SlotOccupiedException makes the slot ALLOCATED to the job the TaskExecutor
 * named; any other failure (also a timeout, which may have allocated the slot after all) frees it.
 * Failures re-check the requirements, so a retry gets a new AllocationID.
 */
export function onSlotRequestAnswer(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  request: { readonly slotId: SlotID; readonly allocationId: AllocationID; readonly jobId: JobID },
  answer: SlotRequestAnswer,
  actions: SlotManagerActions,
): 'ignored' | 'handled' {
  const pending = dsm.pendingSlotAllocations[slots.slotKey(request.slotId)];
  if (!answerStillAwaited(pending, request.allocationId, config)) return 'ignored';
  const track = slotStatusListener(dsm, actions.now);
  switch (answer.kind) {
    case 'acked':
      slots.notifyAllocationComplete(dsm.slotTracker, request.slotId, request.jobId, track);
      return 'handled';
    case 'occupied': {
      // FLINK-9884 (bug zoo): the occupied answer handled as a failure (below).
      if (hasMutant(config.mutants, 'FLINK-9884:occupiedSlotCountedFree')) {
        slots.notifyFree(dsm.slotTracker, request.slotId, track);
        break;
      }
      const slot = dsm.slotTracker.slots[slots.slotKey(request.slotId)];
      checkState(
        slot !== undefined,
        'DeclarativeSlotManager#allocateSlot',
        'a pending slot is tracked',
      );
      slots.notifySlotStatus(
        dsm.slotTracker,
        [
          {
            slotId: request.slotId,
            resourceProfile: slot.resourceProfile,
            jobId: answer.jobId,
            allocationId: answer.allocationId,
          },
        ],
        track,
      );
      break;
    }
    case 'failed':
      slots.notifyFree(dsm.slotTracker, request.slotId, track);
      break;
  }
  checkResourceRequirements(dsm, config, actions);
  return 'handled';
}

/**
 * `tryFulfillRequirementsWithPendingSlots`: missing resources take pending worker slots, then new
 * workers; when neither is possible, the job is told (if notifications are on) and skipped.
 */
function fulfillWithPendingSlots(
  dsm: DeclarativeSlotManager,
  config: workers.TaskExecutorManagerConfig,
  jobId: JobID,
  missing: ResourceCounter,
  pending: ResourceCounter,
  actions: SlotManagerActions,
): ResourceCounter {
  for (const [profile, count] of Object.entries(missing)) {
    for (let i = 0; i < count; i++) {
      const match = Object.keys(pending).find((p) => isMatching(p, profile));
      if (match !== undefined) {
        add(pending, match, -1);
        continue;
      }
      if (
        workers.allocateWorker(dsm.taskExecutorManager, config, profile, () =>
          actions.allocateResource(),
        )
      ) {
        add(pending, config.defaultSlotResourceProfile, config.numSlotsPerWorker - 1);
        continue;
      }
      if (dsm.sendNotEnoughResourceNotifications) {
        actions.notifyNotEnoughResourcesAvailable(
          jobId,
          resources.getAcquiredResources(dsm.resourceTracker, jobId),
        );
        return pending;
      }
    }
  }
  return pending;
}
