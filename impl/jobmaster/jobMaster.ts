/**
 * The JobMaster process of one job (Flink's `JobMasterServiceLeadershipRunner` with its current
 * `JobMaster`): turns what the simulator delivers into calls of the handlers of this folder, after
 * the fencing check every `JobMasterGateway` call goes through. Each case names the Flink method it
 * models.
 *
 * Left out (docs/simplifications.md): partitions, checkpoints, the REST-facing RPCs, task
 * execution state updates, and the connect step of a TaskExecutor registration.
 */
import { specFor, type JobMasterMessage } from '../../protocol/catalogue.js';
import type { ResourceID } from '../../protocol/ids.js';
import type { LeaderRetrievalMessage } from '../../protocol/leaderRetrieval.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import {
  heartbeatRpcOutcome,
  intervalTimer,
  onHeartbeatTimeout,
  targetOfTimeoutTimer,
} from '../heartbeat/heartbeatManager.js';
import { registrationResultOf } from '../registration/retryingRegistration.js';
import { numberField, type Json } from '../sim/canonical.js';
import type { AskRef, Out } from '../sim/effects.js';
import type { AskFailure, Delivery, HandlerContext } from '../sim/system.js';
import type { PendingAsk } from '../sim/world.js';
import {
  type JobMasterAskContext,
  type JobMasterContext,
  type LeaderContext,
} from './jobMasterContext.js';
import {
  createJobMasterState,
  type JobMasterConfig,
  type JobMasterState,
} from './jobMasterState.js';
import {
  grantLeadership,
  IDLE_SLOT_CHECK_TIMER,
  onIdleSlotCheck,
  onJobTerminated,
  revokeLeadership,
} from './leadership.js';
import {
  onDeclareAnswer,
  onDeclareRetry,
  onDisconnectResourceManager,
  onHeartbeatFromResourceManager,
  onResourceManagerHeartbeatOutcome,
  onResourceManagerLeader,
  onResourceManagerLost,
  onResourceManagerRegistrationAnswer,
  onResourceManagerRegistrationRetry,
  RM_REGISTRATION_RETRY_TIMER,
} from './resourceManagerConnection.js';
import {
  BULK_CHECK_TIMER,
  changeParallelism,
  onBulkCheck,
  onRestartTimer,
  onSubmitTaskAnswer,
  RESTART_TIMER,
} from './scheduler.js';
import * as slotPool from './slotpool/declarativeSlotPoolBridge.js';
import { DECLARE_RETRY_TIMER, slotPoolActions } from './slotPoolPort.js';
import {
  onHeartbeatFromTaskManager,
  onTaskManagerHeartbeatInterval,
  onTaskManagerHeartbeatOutcome,
  onTaskManagerHeartbeatTimeout,
} from './taskManagerHeartbeats.js';
import * as taskManagers from './taskManagers.js';
import { hasMutant } from '../mutants.js';

/** What a client can do to a job (through the Dispatcher's REST API). */
export type JobClientAction =
  | { readonly kind: 'finishJob' }
  | { readonly kind: 'cancelJob' }
  | { readonly kind: 'changeParallelism'; readonly parallelism: number };

/** What the JobMaster receives: its gateway's RPCs and leader election and retrieval. */
export type JobMasterInbound = JobMasterMessage | LeaderRetrievalMessage;

function context(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  out: Out<ClusterMessage>,
): JobMasterContext {
  return { state, config, out, self: ctx.endpoint, now: ctx.now };
}

function leading(jm: JobMasterContext): LeaderContext | null {
  return jm.state.leader === null ? null : { ...jm, leader: jm.state.leader };
}

/** A fresh process leads nothing until HA grants it leadership for its job. */
export function startJobMaster(): JobMasterState {
  return createJobMasterState();
}

const LEADERSHIP_MESSAGES: readonly string[] = [
  'grantLeadership',
  'revokeLeadership',
  'notifyLeaderAddress',
  'startLeaderRetrieval',
  'stopLeaderRetrieval',
];

function inbound(msg: ClusterMessage, endpoint: string): JobMasterInbound {
  if (LEADERSHIP_MESSAGES.includes(msg.type) || specFor('JobMaster', msg.type) !== undefined)
    return msg as JobMasterInbound;
  throw new Error(`JobMaster ${endpoint}: no handler for message ${msg.type}`);
}

/** A message delivered to the JobMaster. */
export function onJobMasterMessage(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  delivery: Delivery<ClusterMessage>,
  out: Out<ClusterMessage>,
): void {
  const jm = context(state, config, ctx, out);
  const msg = inbound(delivery.msg, ctx.endpoint);
  switch (msg.type) {
    case 'grantLeadership':
      grantLeadership(jm, msg.leaderSessionId);
      return;
    case 'revokeLeadership':
      revokeLeadership(jm, 'Leadership revoked.');
      return;
    case 'notifyLeaderAddress': {
      // ResourceManagerLeaderListener: only the RM's leader is retrieved by the JobMaster.
      const leader = leading(jm);
      if (leader !== null && msg.jobId === null)
        onResourceManagerLeader(leader, msg.leaderAddress, msg.leaderSessionId);
      return;
    }
    case 'startLeaderRetrieval':
    case 'stopLeaderRetrieval':
      throw new Error(`JobMaster ${ctx.endpoint}: ${msg.type} is sent to the HA service`);
    default:
      break;
  }
  // FencedRpcEndpoint: a call under another JobMasterId (or without leadership) is refused.
  const leader = leading(jm);
  if (leader === null || msg.fencingToken !== leader.leader.jobMasterId) {
    if (delivery.ask !== null)
      out.reply(delivery.ask, {
        type: `${msg.type}.failed`,
        exception: 'FencingTokenException',
        reason: `Fencing token mismatch: expected ${leader?.leader.jobMasterId ?? 'none'}, got ${msg.fencingToken}.`,
      } as ClusterMessage);
    return;
  }
  dispatch(leader, msg, delivery.ask);
}

function dispatch(jm: LeaderContext, msg: JobMasterMessage, ask: AskRef | null): void {
  const leader = jm.leader;
  const actions = slotPoolActions(jm);
  switch (msg.type) {
    case 'registerTaskManager': {
      const outcome = taskManagers.registerTaskManager(
        leader.registeredTaskManagers,
        leader.slotPool,
        jm.config.jobId,
        msg.jobId,
        msg.taskManagerRegistrationInformation,
        actions,
      );
      if (ask === null) return;
      jm.out.reply(
        ask,
        outcome === 'succeeded'
          ? { type: 'registerTaskManager.succeeded', jobMasterResourceId: jm.config.resourceId }
          : {
              type: 'registerTaskManager.rejected',
              reason: `The JobMaster of job ${jm.config.jobId} does not serve job ${msg.jobId}.`,
            },
      );
      return;
    }
    case 'offerSlots': {
      const accepted = taskManagers.offerSlots(
        leader.registeredTaskManagers,
        leader.slotPool,
        msg.resourceId,
        msg.offers,
        actions,
        hasMutant(jm.config.mutants, 'canary:slotPoolAcceptsSurplusOffers'),
      );
      if (ask === null) return;
      jm.out.reply(
        ask,
        accepted === 'unknownTaskManager'
          ? {
              type: 'offerSlots.failed',
              exception: 'UnknownTaskManager',
              reason: `Unknown TaskManager ${msg.resourceId}`,
            }
          : { type: 'offerSlots.accepted', offers: accepted },
      );
      return;
    }
    case 'failSlot':
      taskManagers.failSlot(
        leader.registeredTaskManagers,
        leader.slotPool,
        msg.resourceId,
        msg.allocationId,
        msg.cause,
        actions,
      );
      return;
    case 'heartbeatFromTaskManager':
      onHeartbeatFromTaskManager(jm, msg.resourceId, ask);
      return;
    case 'heartbeatFromResourceManager':
      onHeartbeatFromResourceManager(jm, msg.resourceId, ask);
      return;
    case 'disconnectTaskManager':
      taskManagers.disconnectTaskManager(
        leader.registeredTaskManagers,
        leader.slotPool,
        msg.resourceId,
        msg.cause,
        actions,
      );
      if (ask !== null) jm.out.reply(ask, { type: 'disconnectTaskManager.acked' });
      return;
    case 'disconnectResourceManager':
      onDisconnectResourceManager(jm, msg.resourceManagerId, msg.cause);
      return;
    case 'notifyNotEnoughResourcesAvailable':
      slotPool.notifyNotEnoughResourcesAvailable(leader.slotPool, actions);
      return;
    case 'notifyAllocationFailure':
      // 1.15–1.16: fails the allocation like failSlot, without a TaskExecutor id (never sent by the DSM).
      return;
  }
}

/** An answer to one of the JobMaster's asks. */
export function onJobMasterReply(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  reply: ClusterMessage,
  out: Out<ClusterMessage>,
): void {
  onAnswer(context(state, config, ctx, out), ask.context as JobMasterAskContext, reply);
}

/** An ask of the JobMaster that timed out or found its receiver down. */
export function onJobMasterAskFailure(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  failure: AskFailure,
  out: Out<ClusterMessage>,
): void {
  onAnswer(context(state, config, ctx, out), ask.context as JobMasterAskContext, failure);
}

function onAnswer(
  base: JobMasterContext,
  context: JobMasterAskContext,
  answer: ClusterMessage | AskFailure,
): void {
  // The futures of a stopped JobMaster complete on a main thread that no longer runs.
  const jm = leading(base);
  if (jm === null || context.kind === 'freeSlot' || context.grant !== jm.leader.grant) return;
  const failed = typeof answer === 'string' || answer.type.endsWith('.failed');
  switch (context.kind) {
    case 'rmRegistration':
      onResourceManagerRegistrationAnswer(
        jm,
        context,
        registrationResultOf(answer),
        typeof answer === 'object' && answer.type === 'registerJobMaster.succeeded'
          ? {
              resourceManagerId: answer.resourceManagerId,
              resourceManagerResourceId: answer.resourceManagerResourceId,
            }
          : null,
      );
      return;
    case 'declareRequiredResources':
      onDeclareAnswer(jm, context.epoch, !failed);
      return;
    case 'tmHeartbeat':
      onTaskManagerHeartbeatOutcome(jm, context.resourceId, heartbeatRpcOutcome(answer));
      return;
    case 'rmHeartbeat':
      onResourceManagerHeartbeatOutcome(jm, context.resourceId, heartbeatRpcOutcome(answer));
      return;
    case 'submitTask':
      onSubmitTaskAnswer(
        jm,
        context.round,
        context.index,
        !failed,
        typeof answer === 'string'
          ? answer
          : 'reason' in answer
            ? String(answer.reason)
            : answer.type,
      );
      return;
  }
}

/** A timer of the JobMaster fired. */
export function onJobMasterTimer(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  name: string,
  data: Json,
  out: Out<ClusterMessage>,
): void {
  const jm = leading(context(state, config, ctx, out));
  if (jm === null)
    throw new Error(`JobMaster ${ctx.endpoint}: timer ${name} fired without leadership`);
  // Timers armed under an earlier grant belong to a JobMaster that no longer runs.
  const grant = numberField(data, 'grant');
  if (grant !== null && grant !== jm.leader.grant) return;
  const round = numberField(data, 'round');
  const epoch = numberField(data, 'epoch');
  if (name === intervalTimer(jm.leader.taskManagerHeartbeat))
    return onTaskManagerHeartbeatInterval(jm);
  if (name === IDLE_SLOT_CHECK_TIMER) return onIdleSlotCheck(jm);
  if (name === RM_REGISTRATION_RETRY_TIMER) return onResourceManagerRegistrationRetry(jm);
  if (name === DECLARE_RETRY_TIMER && epoch !== null) return onDeclareRetry(jm, epoch);
  if (name === RESTART_TIMER && round !== null) return onRestartTimer(jm, round);
  if (name === BULK_CHECK_TIMER && round !== null) return onBulkCheck(jm, round);
  const te = targetOfTimeoutTimer(jm.leader.taskManagerHeartbeat, name);
  if (te !== undefined) return onTaskManagerHeartbeatTimeout(jm, te);
  const rm = targetOfTimeoutTimer(jm.leader.resourceManagerHeartbeat, name);
  if (rm !== undefined) return rmHeartbeatTimeout(jm, rm);
  throw new Error(`JobMaster ${ctx.endpoint}: no handler for timer ${name}`);
}

function rmHeartbeatTimeout(jm: LeaderContext, resourceId: ResourceID): void {
  if (!onHeartbeatTimeout(jm.leader.resourceManagerHeartbeat, resourceId)) return;
  onResourceManagerLost(
    jm,
    resourceId,
    `The heartbeat of ResourceManager ${resourceId} timed out.`,
  );
}

/** A client acts on the job: finish, cancel, or change its parallelism. */
export function onJobClientAction(
  state: JobMasterState,
  config: JobMasterConfig,
  ctx: HandlerContext,
  action: JobClientAction,
  out: Out<ClusterMessage>,
): void {
  const jm = leading(context(state, config, ctx, out));
  if (jm === null) return; // no JobMaster leads the job here; the Dispatcher would say so
  switch (action.kind) {
    case 'finishJob':
      onJobTerminated(jm, 'FINISHED');
      return;
    case 'cancelJob':
      onJobTerminated(jm, 'CANCELED');
      return;
    case 'changeParallelism':
      changeParallelism(jm, action.parallelism);
      return;
  }
}
