/**
 * The TaskExecutor process (Flink's `taskexecutor/TaskExecutor.java`): turns what the simulator
 * delivers (messages, answers to its asks, timers) into calls of the handlers of the other files
 * in this folder. Each case names the Flink method it models.
 *
 * Left out (docs/simplifications.md): partitions and their tracker, blob and class-loader
 * services, local recovery of allocations, orderly shutdown (`onStop`), and task execution beyond
 * a task's place in its slot.
 */
import { specFor, type TaskExecutorMessage } from '../../protocol/catalogue.js';
import type { NotifyLeaderAddress } from '../../protocol/leaderRetrieval.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Json } from '../sim/canonical.js';
import type { Out } from '../sim/effects.js';
import type { AskFailure, Delivery, HandlerContext } from '../sim/system.js';
import type { PendingAsk } from '../sim/world.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import {
  heartbeatRpcOutcome,
  onHeartbeatTimeout,
  targetOfTimeoutTimer,
} from '../heartbeat/heartbeatManager.js';
import { registrationResultOf } from '../registration/retryingRegistration.js';
import {
  disconnectAndTryReconnectToJobManager,
  jmRegistrationRetryTimer,
  onHeartbeatFromJobManager,
  onJobLeader,
  onJobManagerHeartbeatOutcome,
  onJobManagerLost,
  onJobManagerRegistrationAnswer,
  onJobManagerRegistrationRetry,
} from './jobLeaderService.js';
import {
  onHeartbeatFromResourceManager,
  onRegistrationTimeout,
  onResourceManagerHeartbeatOutcome,
  onResourceManagerLeader,
  onResourceManagerLost,
  onResourceManagerRegistrationAnswer,
  onResourceManagerRegistrationRetry,
  onSlotReportFailed,
  reconnectToResourceManager,
  REGISTRATION_TIMEOUT_TIMER,
  RM_REGISTRATION_RETRY_TIMER,
  startRegistrationTimeout,
} from './resourceManagerConnection.js';
import { onOfferAnswer } from './slotOffers.js';
import {
  onFreeInactiveSlots,
  onFreeSlot,
  onRequestSlot,
  onSlotTimeout,
  onSubmitTask,
  onTaskTerminated,
  TASK_TERMINATION_PREFIX,
} from './slots.js';
import type { TaskExecutorAskContext, TaskExecutorContext } from './taskExecutorContext.js';
import {
  createTaskExecutorState,
  type TaskExecutorConfig,
  type TaskExecutorState,
} from './taskExecutorState.js';
import { SLOT_TIMEOUT_PREFIX } from './taskSlotTable.js';
import type { AllocationID, ExecutionAttemptID, JobID } from '../../protocol/ids.js';

function context(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  out: Out<ClusterMessage>,
): TaskExecutorContext {
  return { state, config, out, self: ctx.endpoint, now: ctx.now };
}

/**
 * `TaskExecutor#onStart`: a fresh process (new session id, empty slot table) starts RM leader
 * retrieval and arms the registration timeout.
 */
export function startTaskExecutor(
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  out: Out<ClusterMessage>,
): TaskExecutorState {
  const state = createTaskExecutorState(config, ctx.incarnation);
  out.tell(HA_ENDPOINT, { type: 'startLeaderRetrieval', jobId: null });
  startRegistrationTimeout(context(state, config, ctx, out));
  return state;
}

/** What a TaskExecutor receives: its gateway's RPCs and leader notifications. */
export type TaskExecutorInbound = TaskExecutorMessage | NotifyLeaderAddress;

/**
 * Narrows a delivered message to what a TaskExecutor takes. Senders address messages by
 * receiver, so anything else arriving here is a bug in the sender.
 */
function inbound(msg: ClusterMessage, endpoint: string): TaskExecutorInbound {
  if (msg.type === 'notifyLeaderAddress' || specFor('TaskExecutor', msg.type) !== undefined) {
    return msg as TaskExecutorInbound;
  }
  throw new Error(`TaskExecutor ${endpoint}: no handler for message ${msg.type}`);
}

/** A message delivered to the TaskExecutor. */
export function onTaskExecutorMessage(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  delivery: Delivery<ClusterMessage>,
  out: Out<ClusterMessage>,
): void {
  const te = context(state, config, ctx, out);
  const { ask } = delivery;
  const msg = inbound(delivery.msg, ctx.endpoint);
  switch (msg.type) {
    case 'notifyLeaderAddress':
      if (msg.jobId === null) onResourceManagerLeader(te, msg.leaderAddress, msg.leaderSessionId);
      else onJobLeader(te, msg.jobId, msg.leaderAddress, msg.leaderSessionId);
      return;
    case 'requestSlot':
      onRequestSlot(te, msg, ask);
      return;
    case 'freeSlot':
      onFreeSlot(te, msg.allocationId, msg.cause, ask);
      return;
    case 'freeInactiveSlots':
      onFreeInactiveSlots(te, msg.jobId);
      return;
    case 'heartbeatFromResourceManager':
      onHeartbeatFromResourceManager(te, msg.resourceId, ask);
      return;
    case 'heartbeatFromJobManager':
      onHeartbeatFromJobManager(te, msg.resourceId, msg.allocatedSlotReport, ask);
      return;
    case 'disconnectJobManager':
      disconnectAndTryReconnectToJobManager(te, msg.jobId, msg.cause);
      return;
    case 'disconnectResourceManager':
      reconnectToResourceManager(te, msg.cause);
      return;
    case 'submitTask':
      onSubmitTask(te, msg, ask);
      return;
    case 'canBeReleased':
      // No partitions are modelled, so nothing ever occupies local resources.
      if (ask !== null) out.reply(ask, { type: 'canBeReleased.answered', canBeReleased: true });
      return;
  }
}

/**
 * A task running on the TaskExecutor finished (Flink's `Task` reached a final state and
 * `unregisterTaskAndNotifyFinalState` removed it from its slot). The model has no task
 * execution, so the environment decides when a task finishes: a client step.
 */
export function onTaskExecutorTaskFinished(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  attempt: ExecutionAttemptID,
  out: Out<ClusterMessage>,
): void {
  onTaskTerminated(context(state, config, ctx, out), attempt);
}

/** An answer to one of the TaskExecutor's asks, routed by the ask's context. */
export function onTaskExecutorReply(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  reply: ClusterMessage,
  out: Out<ClusterMessage>,
): void {
  const te = context(state, config, ctx, out);
  const askContext = ask.context as TaskExecutorAskContext;
  switch (askContext.kind) {
    case 'rmRegistration':
      onResourceManagerRegistrationAnswer(
        te,
        ask.context,
        registrationResultOf(reply),
        reply.type === 'registerTaskExecutor.succeeded' ? reply : null,
      );
      return;
    case 'slotReport':
      if (reply.type !== 'sendSlotReport.acked') onSlotReportFailed(te);
      return;
    case 'rmHeartbeat':
      onResourceManagerHeartbeatOutcome(te, askContext.resourceId, heartbeatRpcOutcome(reply));
      return;
    case 'jmRegistration':
      onJobManagerRegistrationAnswer(
        te,
        askContext.jobId,
        ask.context,
        registrationResultOf(reply),
        reply.type === 'registerTaskManager.succeeded' ? reply.jobMasterResourceId : null,
      );
      return;
    case 'offer':
      onOfferAnswer(
        te,
        askContext.jobId,
        askContext.offerId,
        askContext.jobMasterId,
        askContext.offered,
        reply.type === 'offerSlots.accepted'
          ? { kind: 'accepted', offers: reply.offers }
          : { kind: 'failed', reason: 'reason' in reply ? reply.reason : reply.type },
      );
      return;
    case 'jmHeartbeat':
      onJobManagerHeartbeatOutcome(te, askContext.resourceId, heartbeatRpcOutcome(reply));
      return;
    case 'disconnectTaskManager':
      return; // the answer changes nothing
  }
}

/** An ask of the TaskExecutor that timed out or found its receiver down. */
export function onTaskExecutorAskFailure(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  failure: AskFailure,
  out: Out<ClusterMessage>,
): void {
  const te = context(state, config, ctx, out);
  const askContext = ask.context as TaskExecutorAskContext;
  const result = registrationResultOf(failure);
  switch (askContext.kind) {
    case 'rmRegistration':
      onResourceManagerRegistrationAnswer(te, ask.context, result, null);
      return;
    case 'slotReport':
      onSlotReportFailed(te);
      return;
    case 'rmHeartbeat':
      onResourceManagerHeartbeatOutcome(te, askContext.resourceId, heartbeatRpcOutcome(failure));
      return;
    case 'jmRegistration':
      onJobManagerRegistrationAnswer(te, askContext.jobId, ask.context, result, null);
      return;
    case 'offer':
      onOfferAnswer(
        te,
        askContext.jobId,
        askContext.offerId,
        askContext.jobMasterId,
        askContext.offered,
        failure === 'timeout'
          ? { kind: 'timeout' }
          : { kind: 'failed', reason: 'RecipientUnreachableException' },
      );
      return;
    case 'jmHeartbeat':
      onJobManagerHeartbeatOutcome(te, askContext.resourceId, heartbeatRpcOutcome(failure));
      return;
    case 'disconnectTaskManager':
      return;
  }
}

/** A timer of the TaskExecutor fired. */
export function onTaskExecutorTimer(
  state: TaskExecutorState,
  config: TaskExecutorConfig,
  ctx: HandlerContext,
  name: string,
  data: Json,
  out: Out<ClusterMessage>,
): void {
  const te = context(state, config, ctx, out);
  if (name === REGISTRATION_TIMEOUT_TIMER) return onRegistrationTimeout(te, data);
  if (name === RM_REGISTRATION_RETRY_TIMER) return onResourceManagerRegistrationRetry(te);
  if (name.startsWith(SLOT_TIMEOUT_PREFIX))
    return onSlotTimeout(te, name.slice(SLOT_TIMEOUT_PREFIX.length) as AllocationID, data);
  if (name.startsWith(TASK_TERMINATION_PREFIX))
    return onTaskTerminated(te, name.slice(TASK_TERMINATION_PREFIX.length) as ExecutionAttemptID);
  const rm = targetOfTimeoutTimer(state.resourceManagerHeartbeat, name);
  if (rm !== undefined) {
    if (onHeartbeatTimeout(state.resourceManagerHeartbeat, rm))
      onResourceManagerLost(te, rm, `The heartbeat of ResourceManager ${rm} timed out.`);
    return;
  }
  const jm = targetOfTimeoutTimer(state.jobManagerHeartbeat, name);
  if (jm !== undefined) {
    if (onHeartbeatTimeout(state.jobManagerHeartbeat, jm))
      onJobManagerLost(te, jm, `The heartbeat of JobManager ${jm} timed out.`);
    return;
  }
  const job = /^jobManagerRegistration\/(.+)\/retry$/.exec(name)?.[1];
  if (job !== undefined && name === jmRegistrationRetryTimer(job as JobID))
    return onJobManagerRegistrationRetry(te, job as JobID);
  throw new Error(`TaskExecutor ${ctx.endpoint}: no handler for timer ${name}`);
}
