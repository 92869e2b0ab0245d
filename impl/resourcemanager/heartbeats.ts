/**
 * The ResourceManager's heartbeats (flink-protocol.md §2.6): it is the sender towards TaskExecutors
 * and JobMasters. Their answers carry a TaskExecutor's slot report, reconciled by the slot manager;
 * a target that times out or becomes unreachable is disconnected.
 */
import type { ResourceID } from '../../protocol/ids.js';
import type { SlotReport } from '../../protocol/values.js';
import {
  onHeartbeatRpcOutcome,
  onHeartbeatTimeout,
  onIntervalTimer,
  reportHeartbeat,
  type HeartbeatManager,
  type HeartbeatRpcOutcome,
} from '../heartbeat/heartbeatManager.js';
import type { AskRef } from '../sim/effects.js';
import { closeJobManagerConnection } from './jobManagers.js';
import type { LeaderContext, ResourceManagerAskContext } from './resourceManagerContext.js';
import * as slotManager from './slotmanager/declarativeSlotManager.js';
import { slotManagerActions } from './slotManagerPort.js';
import { handleTaskManagerConnectionLoss } from './taskExecutors.js';

type Target = 'taskManager' | 'jobManager';

function managerOf(rm: LeaderContext, target: Target): HeartbeatManager {
  return target === 'taskManager' ? rm.leader.taskManagerHeartbeat : rm.leader.jobManagerHeartbeat;
}

/** `HeartbeatManagerSenderImpl#run`: ask every monitored target for a heartbeat. */
export function onHeartbeatInterval(rm: LeaderContext, target: Target): void {
  for (const t of onIntervalTimer(managerOf(rm, target), rm.config.heartbeat, rm.out)) {
    const context: ResourceManagerAskContext = {
      kind: 'heartbeatRequest',
      grant: rm.leader.grant,
      target,
      resourceId: t.resourceId,
    };
    if (target === 'taskManager') {
      rm.out.ask(
        t.endpoint,
        { type: 'heartbeatFromResourceManager', resourceId: rm.config.resourceId },
        rm.config.rpcTimeoutMs,
        context,
      );
    } else {
      const jm = rm.leader.jobManagerRegistrations.find(
        (r) => r.jobMasterResourceId === t.resourceId,
      );
      if (jm === undefined) continue;
      rm.out.ask(
        t.endpoint,
        {
          type: 'heartbeatFromResourceManager',
          fencingToken: jm.jobMasterId,
          resourceId: rm.config.resourceId,
        },
        rm.config.rpcTimeoutMs,
        context,
      );
    }
  }
}

/** The outcome of a heartbeat request, for unreachable detection (only this leadership's). */
export function onHeartbeatRequestOutcome(
  rm: LeaderContext,
  context: Extract<ResourceManagerAskContext, { kind: 'heartbeatRequest' }>,
  outcome: HeartbeatRpcOutcome,
): void {
  if (context.grant !== rm.leader.grant) return;
  if (
    onHeartbeatRpcOutcome(
      managerOf(rm, context.target),
      context.resourceId,
      outcome,
      rm.config.heartbeat,
      rm.out,
    ) === 'unreachable'
  ) {
    targetLost(
      rm,
      context.target,
      context.resourceId,
      `${context.target === 'taskManager' ? 'TaskManager' : 'JobManager'} with id ${context.resourceId} is no longer reachable.`,
    );
  }
}

/** A heartbeat monitor timed out. */
export function onHeartbeatTimeoutOf(
  rm: LeaderContext,
  target: Target,
  resourceId: ResourceID,
): void {
  if (onHeartbeatTimeout(managerOf(rm, target), resourceId)) {
    targetLost(rm, target, resourceId, `The heartbeat of ${resourceId} timed out.`);
  }
}

/**
 * `TaskManagerHeartbeatListener` / `JobManagerHeartbeatListener`: a lost TaskExecutor is
 * disconnected (and its worker stopped where the deployment can); a lost JobMaster's registration
 * is closed with its requirements retained.
 */
function targetLost(
  rm: LeaderContext,
  target: Target,
  resourceId: ResourceID,
  cause: string,
): void {
  if (target === 'taskManager') {
    handleTaskManagerConnectionLoss(rm, resourceId, cause);
    return;
  }
  const jm = rm.leader.jobManagerRegistrations.find((r) => r.jobMasterResourceId === resourceId);
  if (jm !== undefined) closeJobManagerConnection(rm, jm.jobId, 'RETAIN', cause);
}

/** `heartbeatFromTaskManager`: a monitored TaskExecutor's answer; its slot report is reconciled. */
export function onHeartbeatFromTaskManager(
  rm: LeaderContext,
  resourceId: ResourceID,
  report: SlotReport,
  ask: AskRef | null,
): void {
  if (ask !== null) rm.out.reply(ask, { type: 'heartbeatFromTaskManager.acked' });
  if (!reportHeartbeat(rm.leader.taskManagerHeartbeat, resourceId, rm.config.heartbeat, rm.out))
    return;
  const worker = rm.leader.taskExecutors.find((t) => t.resourceId === resourceId);
  if (worker === undefined) return;
  slotManager.reportSlotStatus(
    rm.leader.slotManager,
    rm.config.slotManager,
    worker.instanceId,
    report,
    slotManagerActions(rm),
  );
}

/** `heartbeatFromJobManager`: a monitored JobMaster's answer. */
export function onHeartbeatFromJobManager(
  rm: LeaderContext,
  resourceId: ResourceID,
  ask: AskRef | null,
): void {
  if (ask !== null) rm.out.reply(ask, { type: 'heartbeatFromJobManager.acked' });
  reportHeartbeat(rm.leader.jobManagerHeartbeat, resourceId, rm.config.heartbeat, rm.out);
}
