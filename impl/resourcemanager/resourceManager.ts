/**
 * The ResourceManager process (Flink's `ResourceManagerServiceImpl` with its current
 * `ResourceManager`, as `StandaloneResourceManager` or `ActiveResourceManager`): turns what the simulator delivers into calls
 * of the handlers of this folder, after the fencing check every `ResourceManagerGateway` call goes
 * through. Each case names the Flink method it models.
 *
 * Left out (docs/simplifications.md): cluster partitions, blocklists, the REST-facing RPCs, and the connect step of a registration.
 */
import { specFor, type ResourceManagerMessage } from '../../protocol/catalogue.js';
import type { JobID, ResourceID } from '../../protocol/ids.js';
import type { LeaderRetrievalMessage } from '../../protocol/leaderRetrieval.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import { heartbeatRpcOutcome, targetOfTimeoutTimer } from '../heartbeat/heartbeatManager.js';
import type { Json } from '../sim/canonical.js';
import type { Out } from '../sim/effects.js';
import type { AskFailure, Delivery, HandlerContext } from '../sim/system.js';
import type { PendingAsk } from '../sim/world.js';
import {
  onHeartbeatFromJobManager,
  onHeartbeatFromTaskManager,
  onHeartbeatInterval,
  onHeartbeatRequestOutcome,
  onHeartbeatTimeoutOf,
} from './heartbeats.js';
import {
  JOB_TIMEOUT_PREFIX,
  onDeclareRequiredResources,
  onDisconnectJobManager,
  onJobLeader,
  onJobTimeout,
  onRegisterJobMaster,
} from './jobManagers.js';
import {
  onRequestResourceAnswer,
  onStartWorkerCoolDownEnd,
  onWorkerRegistrationTimeout,
  START_WORKER_COOL_DOWN_TIMER,
  WORKER_REGISTRATION_TIMEOUT_PREFIX,
} from './activeWorkers.js';
import {
  grantLeadership,
  onDriverInitialized,
  onStartupPeriodEnd,
  onTaskManagerTimeoutCheck,
  revokeLeadership,
  STARTUP_PERIOD_TIMER,
  TASK_MANAGER_TIMEOUT_CHECK_TIMER,
} from './leadership.js';
import type {
  LeaderContext,
  ResourceManagerAskContext,
  ResourceManagerContext,
} from './resourceManagerContext.js';
import {
  createResourceManagerState,
  type ResourceManagerConfig,
  type ResourceManagerState,
} from './resourceManagerState.js';
import { onRequestSlotAnswer } from './slotManagerPort.js';
import {
  onDisconnectTaskManager,
  onNotifySlotAvailable,
  onRegisterTaskExecutor,
  onSendSlotReport,
} from './taskExecutors.js';

/** What the ResourceManager receives: its gateway's RPCs, leadership, and job leader notifications. */
export type ResourceManagerInbound = ResourceManagerMessage | LeaderRetrievalMessage;

function context(
  state: ResourceManagerState,
  config: ResourceManagerConfig,
  ctx: HandlerContext,
  out: Out<ClusterMessage>,
): ResourceManagerContext {
  return { state, config, out, self: ctx.endpoint, now: ctx.now };
}

function leading(rm: ResourceManagerContext): LeaderContext | null {
  return rm.state.leader === null ? null : { ...rm, leader: rm.state.leader };
}

/** A fresh process leads nothing until HA grants it leadership. */
export function startResourceManager(incarnation = 1): ResourceManagerState {
  return createResourceManagerState(incarnation);
}

function inbound(msg: ClusterMessage, endpoint: string): ResourceManagerInbound {
  const leadershipMessage = [
    'grantLeadership',
    'revokeLeadership',
    'notifyLeaderAddress',
    'startLeaderRetrieval',
    'stopLeaderRetrieval',
  ];
  if (leadershipMessage.includes(msg.type) || specFor('ResourceManager', msg.type) !== undefined)
    return msg as ResourceManagerInbound;
  throw new Error(`ResourceManager ${endpoint}: no handler for message ${msg.type}`);
}

/** A message delivered to the ResourceManager. */
export function onResourceManagerMessage(
  state: ResourceManagerState,
  config: ResourceManagerConfig,
  ctx: HandlerContext,
  delivery: Delivery<ClusterMessage>,
  out: Out<ClusterMessage>,
): void {
  const rm = context(state, config, ctx, out);
  const msg = inbound(delivery.msg, ctx.endpoint);
  const { ask } = delivery;
  switch (msg.type) {
    case 'grantLeadership':
      grantLeadership(rm, msg.leaderSessionId);
      return;
    case 'revokeLeadership':
      revokeLeadership(rm);
      return;
    case 'notifyLeaderAddress': {
      const leader = leading(rm);
      if (leader !== null && msg.jobId !== null)
        onJobLeader(leader, msg.jobId, msg.leaderSessionId);
      return;
    }
    case 'startLeaderRetrieval':
    case 'stopLeaderRetrieval':
      throw new Error(
        `ResourceManager ${ctx.endpoint}: ${msg.type} is sent to the HA service, not to the RM`,
      );
    default:
      break;
  }
  // FencedRpcEndpoint: a call under another token (or before leadership) is refused.
  const leader = leading(rm);
  if (leader === null || msg.fencingToken !== leader.leader.resourceManagerId) {
    if (ask !== null) {
      out.reply(ask, {
        type: `${msg.type}.failed`,
        exception: 'FencingTokenException',
        reason: `Fencing token mismatch: expected ${leader?.leader.resourceManagerId ?? 'none'}, got ${msg.fencingToken}.`,
      } as ClusterMessage);
    }
    return;
  }
  dispatch(leader, msg, ask);
}

function dispatch(
  rm: LeaderContext,
  msg: ResourceManagerMessage,
  ask: Delivery<ClusterMessage>['ask'],
): void {
  switch (msg.type) {
    case 'registerTaskExecutor':
      onRegisterTaskExecutor(rm, msg.registration, ask);
      return;
    case 'sendSlotReport':
      onSendSlotReport(rm, msg.resourceId, msg.instanceId, msg.slotReport, ask);
      return;
    case 'notifySlotAvailable':
      onNotifySlotAvailable(rm, msg.instanceId, msg.slotId);
      return;
    case 'registerJobMaster':
      onRegisterJobMaster(rm, msg, ask);
      return;
    case 'declareRequiredResources':
      onDeclareRequiredResources(rm, msg.jobMasterId, msg.resourceRequirements, ask);
      return;
    case 'heartbeatFromTaskManager':
      if ('slotReport' in msg.heartbeatPayload)
        onHeartbeatFromTaskManager(rm, msg.resourceId, msg.heartbeatPayload.slotReport, ask);
      return;
    case 'heartbeatFromJobManager':
      onHeartbeatFromJobManager(rm, msg.resourceId, ask);
      return;
    case 'disconnectTaskManager':
      onDisconnectTaskManager(rm, msg.resourceId, msg.cause);
      return;
    case 'disconnectJobManager':
      if ('jobStatus' in msg) onDisconnectJobManager(rm, msg.jobId, msg.jobStatus, msg.cause);
      return;
  }
}

/** An answer to one of the ResourceManager's asks. */
export function onResourceManagerReply(
  state: ResourceManagerState,
  config: ResourceManagerConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  reply: ClusterMessage,
  out: Out<ClusterMessage>,
): void {
  onAnswer(context(state, config, ctx, out), ask.context as ResourceManagerAskContext, reply);
}

/** An ask of the ResourceManager that timed out or found its receiver down. */
export function onResourceManagerAskFailure(
  state: ResourceManagerState,
  config: ResourceManagerConfig,
  ctx: HandlerContext,
  ask: PendingAsk<ClusterMessage>,
  failure: AskFailure,
  out: Out<ClusterMessage>,
): void {
  onAnswer(context(state, config, ctx, out), ask.context as ResourceManagerAskContext, failure);
}

function onAnswer(
  rm: ResourceManagerContext,
  context: ResourceManagerAskContext,
  answer: ClusterMessage | AskFailure,
): void {
  if (context.kind === 'initialize') {
    const recovered =
      typeof answer === 'object' && answer.type === 'initialize.recovered'
        ? answer.resourceIds
        : null;
    onDriverInitialized(rm, context.grant, recovered);
    return;
  }
  // The futures of a stopped ResourceManager complete on a main thread that no longer runs.
  const leader = leading(rm);
  if (leader === null) return;
  switch (context.kind) {
    case 'requestSlot':
      onRequestSlotAnswer(leader, context, answer);
      return;
    case 'heartbeatRequest':
      onHeartbeatRequestOutcome(leader, context, heartbeatRpcOutcome(answer));
      return;
    case 'requestResource':
      onRequestResourceAnswer(leader, context, answer);
      return;
    case 'disconnectTaskManager':
      return;
  }
}

/** A timer of the ResourceManager fired. */
export function onResourceManagerTimer(
  state: ResourceManagerState,
  config: ResourceManagerConfig,
  ctx: HandlerContext,
  name: string,
  data: Json,
  out: Out<ClusterMessage>,
): void {
  const rm = leading(context(state, config, ctx, out));
  if (rm === null)
    throw new Error(`ResourceManager ${ctx.endpoint}: timer ${name} fired without leadership`);
  if (name === STARTUP_PERIOD_TIMER) return onStartupPeriodEnd(rm);
  if (name === TASK_MANAGER_TIMEOUT_CHECK_TIMER) return onTaskManagerTimeoutCheck(rm);
  if (name === 'taskManagerHeartbeat/interval') return onHeartbeatInterval(rm, 'taskManager');
  if (name === 'jobManagerHeartbeat/interval') return onHeartbeatInterval(rm, 'jobManager');
  if (name === START_WORKER_COOL_DOWN_TIMER) return onStartWorkerCoolDownEnd(rm);
  if (name.startsWith(WORKER_REGISTRATION_TIMEOUT_PREFIX))
    return onWorkerRegistrationTimeout(
      rm,
      name.slice(WORKER_REGISTRATION_TIMEOUT_PREFIX.length) as ResourceID,
    );
  if (name.startsWith(JOB_TIMEOUT_PREFIX))
    return onJobTimeout(rm, name.slice(JOB_TIMEOUT_PREFIX.length) as JobID, data);
  const te = targetOfTimeoutTimer(rm.leader.taskManagerHeartbeat, name);
  if (te !== undefined) return onHeartbeatTimeoutOf(rm, 'taskManager', te);
  const jm = targetOfTimeoutTimer(rm.leader.jobManagerHeartbeat, name);
  if (jm !== undefined) return onHeartbeatTimeoutOf(rm, 'jobManager', jm);
  throw new Error(`ResourceManager ${ctx.endpoint}: no handler for timer ${name}`);
}
