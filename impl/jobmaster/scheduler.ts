/**
 * A stand-in for the DefaultScheduler with one job vertex of parallelism N in one slot-sharing
 * group (flink-protocol.md §3 steps 6 and 13–15): it asks the slot pool for N slots (taking free
 * ones first, as `PhysicalSlotProviderImpl#allocatePhysicalSlot` does), waits until every slot of
 * the round is there (`waitForAllSlotsAndDeploy`), deploys one task per slot with `submitTask`, and
 * on any failure (a slot lost under its task, a request failed, a deployment refused) restarts
 * every task after the fixed restart delay: tasks cancelled, their slots returned to the pool as
 * free, the pool told the job restarts (`setIsJobRestarting`), then a new round of requests.
 *
 * Simplifications (docs/simplifications.md): no task execution (a deployed task runs until its
 * slot goes), no cancellation RPC to the TaskExecutor (a restarted task's earlier attempt is left
 * to the TaskExecutor, which drops it when its slot is freed), no execution deployment
 * reconciliation from heartbeats, and an unbounded fixed-delay restart strategy.
 */
import type { AllocationID, ExecutionAttemptID } from '../../protocol/ids.js';
import type { JobStatus } from '../../protocol/values.js';
import * as slotPool from './slotpool/declarativeSlotPoolBridge.js';
import type { PoolSlot } from './slotpool/defaultDeclarativeSlotPool.js';
import {
  checkPhysicalSlotRequestBulkTimeout,
  startBulkTimestamp,
} from './slotpool/physicalSlotRequestBulkChecker.js';
import { isMatching } from '../resources/requirementMatcher.js';
import { askWith, type LeaderContext } from './jobMasterContext.js';
import type { SubtaskState } from './jobMasterState.js';
import { slotPoolActions } from './slotPoolPort.js';

export const RESTART_TIMER = 'scheduler/restart';
export const BULK_CHECK_TIMER = 'scheduler/bulkCheck';

/** `startScheduling`: the job runs and the first round asks for its slots. */
export function startScheduling(jm: LeaderContext): void {
  transitionTo(jm, 'RUNNING');
  allocateSlotsAndDeploy(jm);
}

function transitionTo(jm: LeaderContext, status: JobStatus): void {
  jm.leader.scheduler.jobStatus = status;
  // DefaultSchedulerFactory's job status listener tells the pool whether the job restarts.
  slotPool.setIsJobRestarting(jm.leader.slotPool, status === 'RESTARTING');
}

function slotRequestId(round: number, index: number): string {
  return `r${round}/${index}`;
}

function allocateSlotsAndDeploy(jm: LeaderContext): void {
  const scheduler = jm.leader.scheduler;
  scheduler.round += 1;
  const round = scheduler.round;
  scheduler.subtasks = Array.from({ length: scheduler.parallelism }, (_, index) => ({
    index,
    slotRequestId: slotRequestId(round, index),
    allocationId: null,
    resourceId: null,
    executionAttemptId: null,
    state: 'SCHEDULED' as const,
  }));
  const actions = slotPoolActions(jm);
  for (const subtask of scheduler.subtasks) {
    if (scheduler.round !== round || subtask.slotRequestId === null) return;
    const free = jm.leader.slotPool.pool.slots.find(
      (s) => s.state === 'FREE' && isMatching(s.resourceProfile, jm.config.resourceProfile),
    );
    if (free !== undefined) {
      const slot = slotPool.allocateAvailableSlot(
        jm.leader.slotPool,
        subtask.slotRequestId,
        free.allocationId,
        jm.config.resourceProfile,
        actions,
      );
      onSlotRequestFulfilled(jm, subtask.slotRequestId, slot);
    } else {
      slotPool.requestNewAllocatedSlot(
        jm.leader.slotPool,
        subtask.slotRequestId,
        jm.config.resourceProfile,
        null,
        actions,
      );
    }
  }
  if (scheduler.round === round && scheduler.subtasks.some((s) => s.allocationId === null)) {
    // PhysicalSlotRequestBulkCheckerImpl#schedulePendingRequestBulkTimeoutCheck
    scheduler.bulk = startBulkTimestamp(jm.now);
    jm.out.armTimer(BULK_CHECK_TIMER, jm.config.slotRequestTimeoutMs, {
      grant: jm.leader.grant,
      round,
    });
  }
}

function subtaskOf(jm: LeaderContext, slotRequestId: string): SubtaskState | undefined {
  return jm.leader.scheduler.subtasks.find((s) => s.slotRequestId === slotRequestId);
}

/** A slot request's future completed with a reserved slot. */
export function onSlotRequestFulfilled(
  jm: LeaderContext,
  slotRequestId: string,
  slot: PoolSlot,
): void {
  const subtask = subtaskOf(jm, slotRequestId);
  if (subtask === undefined) return;
  subtask.allocationId = slot.allocationId;
  subtask.resourceId = slot.taskManager;
  const scheduler = jm.leader.scheduler;
  if (scheduler.subtasks.some((s) => s.allocationId === null)) return;
  scheduler.bulk = null;
  jm.out.cancelTimer(BULK_CHECK_TIMER);
  const round = scheduler.round;
  for (const s of scheduler.subtasks) {
    // A deployment that fails over cancels the round: the rest is not deployed.
    if (scheduler.round !== round || scheduler.jobStatus !== 'RUNNING') return;
    deploy(jm, s);
  }
}

/** `Execution#deploy`: `submitTask` to the TaskExecutor that holds the slot. */
function deploy(jm: LeaderContext, subtask: SubtaskState): void {
  const tm = jm.leader.registeredTaskManagers.find((r) => r.resourceId === subtask.resourceId);
  if (tm === undefined || subtask.allocationId === null) {
    failover(jm, `TaskManager ${subtask.resourceId ?? '?'} is not registered.`);
    return;
  }
  const round = jm.leader.scheduler.round;
  // Unique across leaderships, as Flink's random ExecutionAttemptIDs are: the JobMasterId is.
  subtask.executionAttemptId = `${jm.leader.jobMasterId}/${round}/${subtask.index}`;
  subtask.state = 'DEPLOYING';
  askWith(
    jm,
    tm.address,
    {
      type: 'submitTask',
      tdd: {
        jobId: jm.config.jobId,
        allocationId: subtask.allocationId as AllocationID,
        executionAttemptId: subtask.executionAttemptId as ExecutionAttemptID,
      },
      jobMasterId: jm.leader.jobMasterId,
    },
    { kind: 'submitTask', grant: jm.leader.grant, round, index: subtask.index },
  );
}

/** The answer to a `submitTask`: the task runs, or the deployment failed and the job restarts. */
export function onSubmitTaskAnswer(
  jm: LeaderContext,
  round: number,
  index: number,
  acked: boolean,
  cause: string,
): void {
  const scheduler = jm.leader.scheduler;
  const subtask = scheduler.subtasks[index];
  if (round !== scheduler.round || subtask?.state !== 'DEPLOYING') return;
  if (acked) subtask.state = 'RUNNING';
  else failover(jm, `Could not deploy ${subtask.executionAttemptId ?? '?'}: ${cause}`);
}

/** A pending slot request failed (not enough resources, the pool closed). */
export function onSlotRequestFailed(jm: LeaderContext, slotRequestId: string, cause: string): void {
  const subtask = subtaskOf(jm, slotRequestId);
  if (subtask === undefined) return;
  subtask.slotRequestId = null;
  failover(jm, cause);
}

/** The slot under a task went (freed, failed, its TaskExecutor lost): the task fails. */
export function onPayloadReleased(jm: LeaderContext, slotRequestId: string, cause: string): void {
  const subtask = subtaskOf(jm, slotRequestId);
  if (subtask === undefined) return;
  // The request stays: cancelling the round releases it ("could not find the slot" by then).
  failover(jm, cause);
}

/**
 * `DefaultScheduler#handleTaskFailure` → `restartTasksWithDelay` (a full restart: one region):
 * RESTARTING, every task cancelled and its slot request released (reserved slots go back to the
 * pool as free), and a new round after the restart delay.
 */
export function failover(jm: LeaderContext, cause: string): void {
  const scheduler = jm.leader.scheduler;
  if (scheduler.jobStatus !== 'RUNNING') return;
  scheduler.restarts += 1;
  restartTasksWithDelay(jm, `Job restarts: ${cause}`);
}

/** `restartTasksWithDelay`: the round is cancelled, the job RESTARTING until the delay passes. */
function restartTasksWithDelay(jm: LeaderContext, cause: string): void {
  cancelRound(jm, cause);
  transitionTo(jm, 'RESTARTING');
  jm.out.armTimer(RESTART_TIMER, jm.config.restartDelayMs, {
    grant: jm.leader.grant,
    round: jm.leader.scheduler.round,
  });
}

/** Cancels the current round: its requests are released and no answer of it counts any more. */
function cancelRound(jm: LeaderContext, cause: string): void {
  const scheduler = jm.leader.scheduler;
  const subtasks = scheduler.subtasks;
  scheduler.subtasks = [];
  scheduler.bulk = null;
  jm.out.cancelTimer(BULK_CHECK_TIMER);
  const actions = slotPoolActions(jm);
  for (const subtask of subtasks) {
    subtask.state = 'CANCELED';
    if (subtask.slotRequestId !== null && jm.leader.slotPool.state === 'STARTED')
      slotPool.releaseSlot(jm.leader.slotPool, subtask.slotRequestId, cause, actions);
  }
}

/** The restart delay elapsed: RUNNING again, and a new round asks for the slots. */
export function onRestartTimer(jm: LeaderContext, round: number): void {
  const scheduler = jm.leader.scheduler;
  if (scheduler.jobStatus !== 'RESTARTING' || scheduler.round !== round) return;
  transitionTo(jm, 'RUNNING');
  allocateSlotsAndDeploy(jm);
}

/** The bulk check: a bulk unfulfillable for `slot.request.timeout` fails the round. */
export function onBulkCheck(jm: LeaderContext, round: number): void {
  const scheduler = jm.leader.scheduler;
  if (scheduler.round !== round || scheduler.bulk === null) return;
  const pending = scheduler.subtasks.filter((s) => s.allocationId === null);
  const fulfilled = scheduler.subtasks.flatMap((s) =>
    s.allocationId === null ? [] : [s.allocationId as AllocationID],
  );
  const result = checkPhysicalSlotRequestBulkTimeout(
    {
      pendingRequests: pending.map(() => jm.config.resourceProfile),
      fulfilledAllocationIds: fulfilled,
    },
    scheduler.bulk,
    jm.leader.slotPool.pool.slots.map((s) => ({
      allocationId: s.allocationId,
      resourceProfile: s.resourceProfile,
      // A reserved slot holds a running streaming task, which never gives it back.
      occupiedIndefinitely: s.state === 'RESERVED',
    })),
    jm.config.slotRequestTimeoutMs,
    jm.now,
  );
  if (result === 'PENDING') {
    jm.out.armTimer(BULK_CHECK_TIMER, jm.config.slotRequestTimeoutMs, {
      grant: jm.leader.grant,
      round,
    });
  } else if (result === 'TIMEOUT') {
    failover(
      jm,
      `NoResourceAvailableException: Slot request bulk is not fulfillable! Could not allocate the required slot within slot request timeout`,
    );
  }
}

/**
 * A client changes the job's parallelism (the rescale of the adaptive scheduler, which the model
 * performs as a restart with the new parallelism).
 */
export function changeParallelism(jm: LeaderContext, parallelism: number): void {
  const scheduler = jm.leader.scheduler;
  if (scheduler.jobStatus !== 'RUNNING' && scheduler.jobStatus !== 'RESTARTING') return;
  scheduler.parallelism = parallelism;
  if (scheduler.jobStatus === 'RESTARTING') return; // the pending restart uses the new value
  restartTasksWithDelay(jm, `Rescaling to parallelism ${parallelism}.`);
}

/** The job reaches a globally terminal state (finished or cancelled by a client). */
export function terminate(jm: LeaderContext, status: 'FINISHED' | 'CANCELED'): void {
  cancelRound(jm, status === 'FINISHED' ? 'The job finished.' : 'The job was cancelled.');
  jm.out.cancelTimer(RESTART_TIMER);
  transitionTo(jm, status);
}
