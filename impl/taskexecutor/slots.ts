/**
 * The TaskExecutor's slot RPCs and the single freeing path (flink-protocol.md §2.1.5):
 * `requestSlot`, `freeSlot`, `freeInactiveSlots`, `submitTask`, the JM heartbeat's slot sync,
 * slot timeouts, and task termination.
 */
import type { AllocationID, ExecutionAttemptID, JobID, SlotID } from '../../protocol/ids.js';
import type { TaskExecutorMessage } from '../../protocol/catalogue.js';
import type { AllocatedSlotReport } from '../../protocol/values.js';
import { checkState } from '../assertions.js';
import { numberField, type Json } from '../sim/canonical.js';
import type { AskRef } from '../sim/effects.js';
import {
  closeJobManagerConnectionIfNoAllocatedResources,
  getOrCreateJob,
} from './jobLeaderService.js';
import { isConnectedToResourceManager } from './resourceManagerConnection.js';
import { offerSlotsToJobManager } from './slotOffers.js';
import type { TaskExecutorContext } from './taskExecutorContext.js';
import { findJob, type JobManagerConnection } from './taskExecutorState.js';
import {
  addTask,
  allocateSlot,
  freeSlot,
  isAllocatedAt,
  isSlotFree,
  isValidTimeout,
  allocatedSlotsOfJob,
  removeTask,
  slotAt,
  slotOf,
  slotsOfJob,
  tryMarkSlotActive,
} from './taskSlotTable.js';

import { hasMutant } from '../mutants.js';

export const TASK_TERMINATION_PREFIX = 'taskTermination/';

type RequestSlot = Extract<TaskExecutorMessage, { type: 'requestSlot' }>;

/**
 * `TaskExecutor#requestSlot`: refused unless CONNECTED to the RM leader that sent it; then
 * `allocateSlotForJob` (a free index is allocated, the same allocation again is fine, another
 * allocation at the index is `SlotOccupiedException`), and the job's slots are offered if the job
 * is connected.
 */
export function onRequestSlot(
  te: TaskExecutorContext,
  request: RequestSlot,
  ask: AskRef | null,
): void {
  const reply = (msg: Parameters<typeof te.out.reply>[1]) => {
    if (ask !== null) te.out.reply(ask, msg);
  };
  if (
    !isConnectedToResourceManager(te, request.resourceManagerId) &&
    !hasMutant(te.config.mutants, 'canary:taskExecutorIgnoresResourceManagerId')
  ) {
    reply({
      type: 'requestSlot.failed',
      exception: 'TaskManagerException',
      reason: `TaskManager is not connected to the resource manager ${request.resourceManagerId}.`,
    });
    return;
  }
  const { slotId, jobId, allocationId } = request;
  const table = te.state.taskSlotTable;
  if (
    hasMutant(te.config.mutants, 'canary:taskExecutorAcceptsOccupiedSlot') &&
    !isSlotFree(table, slotId.slotNumber) &&
    !isAllocatedAt(table, slotId.slotNumber, jobId, allocationId)
  )
    table.slots = table.slots.filter((s) => s.index !== slotId.slotNumber); // the canary's defect
  if (isSlotFree(table, slotId.slotNumber)) {
    if (
      !allocateSlot(
        table,
        slotId.slotNumber,
        jobId,
        allocationId,
        request.resourceProfile,
        te.config.slotTimeoutMs,
        te.out,
      )
    ) {
      reply({
        type: 'requestSlot.failed',
        exception: 'SlotAllocationException',
        reason: 'Could not allocate slot.',
      });
      return;
    }
  } else if (!isAllocatedAt(table, slotId.slotNumber, jobId, allocationId)) {
    const current = slotAt(table, slotId.slotNumber);
    if (current === undefined)
      throw new Error('TaskExecutor#allocateSlot: an occupied index without a slot');
    reply({
      type: 'requestSlot.occupied',
      allocationId: current.allocationId,
      jobId: current.jobId,
    });
    return;
  }
  checkState(
    isAllocatedAt(
      table,
      slotId.slotNumber < 0 ? (slotOf(table, allocationId)?.index ?? -1) : slotId.slotNumber,
      jobId,
      allocationId,
    ),
    'TaskExecutor#requestSlot',
    'the acknowledged slot is allocated to the job under the allocation id',
  );
  const job = getOrCreateJob(te, jobId);
  if (job.connection !== null) offerSlotsToJobManager(te, jobId);
  reply({ type: 'requestSlot.acked' });
}

/**
 * `freeSlotInternal`: the one way a slot is freed. A slot that really becomes free is reported to
 * a connected RM (`notifySlotAvailable`), and a job left without slots is released. A busy slot
 * only starts RELEASING; an unknown allocation is ignored.
 */
export function freeSlotInternal(
  te: TaskExecutorContext,
  allocationId: AllocationID,
  _cause: string,
): void {
  const table = te.state.taskSlotTable;
  const slot = slotOf(table, allocationId);
  if (slot === undefined) return; // SlotNotFoundException is swallowed
  const jobId = slot.jobId;
  const wasReleasing = slot.state === 'RELEASING';
  const freed = freeSlot(table, allocationId, te.out);
  if (!freed.found) return;
  if (freed.value === -1) {
    checkState(
      slot.state === 'RELEASING',
      'TaskExecutor#freeSlotInternal',
      'a busy slot is RELEASING',
    );
    // TaskSlot#closeAsync fails the tasks once, when the slot starts releasing.
    if (!wasReleasing) for (const task of slot.tasks) failExternally(te, task);
    return;
  }
  checkState(
    slotOf(table, allocationId) === undefined,
    'TaskExecutor#freeSlotInternal',
    'a freed slot is gone',
  );
  const established = te.state.establishedResourceManagerConnection;
  if (established !== null) {
    te.out.tell(established.target.address, {
      type: 'notifySlotAvailable',
      fencingToken: established.target.leaderId,
      instanceId: established.instanceId,
      slotId: { resourceId: te.config.resourceId, slotNumber: freed.value } as SlotID,
      allocationId,
    });
  }
  closeJobManagerConnectionIfNoAllocatedResources(te, jobId);
}

/** `TaskExecutor#freeSlot` (from the JM): no job or leader check. */
export function onFreeSlot(
  te: TaskExecutorContext,
  allocationId: AllocationID,
  cause: string,
  ask: AskRef | null,
): void {
  freeSlotInternal(te, allocationId, cause);
  if (ask !== null) te.out.reply(ask, { type: 'freeSlot.acked' });
}

/** `TaskExecutor#freeInactiveSlots` (from the RM): frees the job's ALLOCATED slots only. */
export function onFreeInactiveSlots(te: TaskExecutorContext, jobId: JobID): void {
  for (const slot of allocatedSlotsOfJob(te.state.taskSlotTable, jobId)) {
    freeSlotInternal(te, slot.allocationId, 'Slot was re-claimed by resource manager.');
  }
}

/** `TaskExecutor#timeoutSlot`: only the current registration of the timeout frees the slot. */
export function onSlotTimeout(
  te: TaskExecutorContext,
  allocationId: AllocationID,
  data: Json,
): void {
  const ticket = numberField(data, 'ticket');
  if (ticket === null || !isValidTimeout(te.state.taskSlotTable, allocationId, ticket)) return;
  freeSlotInternal(te, allocationId, `The slot ${allocationId} has timed out.`);
}

type SubmitTask = Extract<TaskExecutorMessage, { type: 'submitTask' }>;

/**
 * `TaskExecutor#submitTask`: the job must be connected to the JobMasterId that submits; the slot
 * is activated if it is still ALLOCATED (`tryMarkSlotActive`: the task may beat the offer's
 * answer); then the task joins the slot.
 */
export function onSubmitTask(
  te: TaskExecutorContext,
  request: SubmitTask,
  ask: AskRef | null,
): void {
  const fail = (reason: string) => {
    if (ask !== null)
      te.out.reply(ask, {
        type: 'submitTask.failed',
        exception: 'TaskSubmissionException',
        reason,
      });
  };
  const { jobId, allocationId, executionAttemptId } = request.tdd;
  const connection = findJob(te.state, jobId)?.connection ?? null;
  if (connection === null || connection.target.leaderId !== request.jobMasterId) {
    fail(
      `Could not submit task because there is no JobManager associated for the job ${jobId} with id ${request.jobMasterId}.`,
    );
    return;
  }
  const keepTimeout = hasMutant(te.config.mutants, 'FLINK-18012:submittedSlotKeepsTimeout');
  if (!tryMarkSlotActive(te.state.taskSlotTable, jobId, allocationId, te.out, keepTimeout)) {
    fail(`No task slot allocated for job ID ${jobId} and allocation ID ${allocationId}.`);
    return;
  }
  const added = addTask(te.state.taskSlotTable, { executionAttemptId, jobId, allocationId });
  if (added !== 'added') {
    fail(`Could not submit task ${executionAttemptId}: ${added}.`);
    return;
  }
  if (ask !== null) te.out.reply(ask, { type: 'submitTask.acked' });
}

/** `Task#failExternally`: the task ends after `taskTerminationMs` (our fixed duration). */
export function failExternally(te: TaskExecutorContext, task: ExecutionAttemptID): void {
  te.out.armTimer(`${TASK_TERMINATION_PREFIX}${task}`, te.config.taskTerminationMs);
}

/** A task terminated: `removeTask`, and free its slot if that was the last task of a RELEASING slot. */
export function onTaskTerminated(te: TaskExecutorContext, task: ExecutionAttemptID): void {
  const { freeAllocation } = removeTask(te.state.taskSlotTable, task);
  if (freeAllocation !== null)
    freeSlotInternal(te, freeAllocation, 'The last task of the slot terminated.');
}

/**
 * `syncSlotsWithSnapshotFromJobMaster`: allocations the JM holds that this TE does not hold for the
 * job at that index → `failSlot`; ACTIVE slots of the job the JM no longer reports → freed.
 * ALLOCATED slots are left to their timeouts.
 */
export function syncSlotsWithSnapshotFromJobMaster(
  te: TaskExecutorContext,
  connection: JobManagerConnection,
  report: AllocatedSlotReport,
): void {
  const table = te.state.taskSlotTable;
  for (const info of report.allocatedSlotInfos) {
    if (!isAllocatedAt(table, info.slotIndex, report.jobId, info.allocationId)) {
      te.out.tell(connection.target.address, {
        type: 'failSlot',
        fencingToken: connection.target.leaderId,
        resourceId: te.config.resourceId,
        allocationId: info.allocationId,
        cause: `Slot ${info.slotIndex} on TaskExecutor ${te.config.resourceId} is not allocated by job ${report.jobId}.`,
      });
    }
  }
  const reported = new Set<string>(report.allocatedSlotInfos.map((i) => i.allocationId));
  for (const slot of slotsOfJob(table, report.jobId)) {
    if (slot.state === 'ACTIVE' && !reported.has(slot.allocationId)) {
      freeSlotInternal(
        te,
        slot.allocationId,
        `Slot ${slot.allocationId} is no longer used by job ${report.jobId}.`,
      );
    }
  }
}
