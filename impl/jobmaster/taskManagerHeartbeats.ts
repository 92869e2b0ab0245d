/**
 * The JobMaster's heartbeats with its TaskExecutors (flink-protocol.md §2.5.3, §2.6): it is the
 * sender; each request carries the pool's allocated slot report for that TaskExecutor, which the
 * TaskExecutor syncs with (§4.15). A TaskExecutor that times out or becomes unreachable is
 * disconnected (`TaskManagerHeartbeatListener` → `handleTaskManagerConnectionLoss`).
 */
import type { ResourceID } from '../../protocol/ids.js';
import {
  onHeartbeatRpcOutcome,
  onHeartbeatTimeout,
  onIntervalTimer,
  reportHeartbeat,
  type HeartbeatRpcOutcome,
} from '../heartbeat/heartbeatManager.js';
import type { AskRef } from '../sim/effects.js';
import { askWith, type LeaderContext } from './jobMasterContext.js';
import { slotPoolActions } from './slotPoolPort.js';
import { allocatedSlotReportFor, disconnectTaskManager } from './taskManagers.js';

/** `HeartbeatManagerSenderImpl#run`: every monitored TaskExecutor gets its slot report. */
export function onTaskManagerHeartbeatInterval(jm: LeaderContext): void {
  for (const target of onIntervalTimer(
    jm.leader.taskManagerHeartbeat,
    jm.config.heartbeat,
    jm.out,
  )) {
    askWith(
      jm,
      target.endpoint,
      {
        type: 'heartbeatFromJobManager',
        resourceId: jm.config.resourceId,
        allocatedSlotReport: allocatedSlotReportFor(
          jm.leader.slotPool,
          jm.config.jobId,
          target.resourceId,
        ),
      },
      { kind: 'tmHeartbeat', grant: jm.leader.grant, resourceId: target.resourceId },
    );
  }
}

/** `heartbeatFromTaskManager` → `receiveHeartbeat`: a monitored TaskExecutor answered. */
export function onHeartbeatFromTaskManager(
  jm: LeaderContext,
  resourceId: ResourceID,
  ask: AskRef | null,
): void {
  if (ask !== null) jm.out.reply(ask, { type: 'heartbeatFromTaskManager.acked' });
  reportHeartbeat(jm.leader.taskManagerHeartbeat, resourceId, jm.config.heartbeat, jm.out);
}

/** How a heartbeat request to a TaskExecutor ended, for unreachable detection. */
export function onTaskManagerHeartbeatOutcome(
  jm: LeaderContext,
  resourceId: ResourceID,
  outcome: HeartbeatRpcOutcome,
): void {
  if (
    onHeartbeatRpcOutcome(
      jm.leader.taskManagerHeartbeat,
      resourceId,
      outcome,
      jm.config.heartbeat,
      jm.out,
    ) === 'unreachable'
  )
    taskManagerLost(jm, resourceId, `TaskManager with id ${resourceId} is no longer reachable.`);
}

/** A TaskExecutor's heartbeat monitor timed out. */
export function onTaskManagerHeartbeatTimeout(jm: LeaderContext, resourceId: ResourceID): void {
  if (onHeartbeatTimeout(jm.leader.taskManagerHeartbeat, resourceId))
    taskManagerLost(jm, resourceId, `Heartbeat of TaskManager with id ${resourceId} timed out.`);
}

function taskManagerLost(jm: LeaderContext, resourceId: ResourceID, cause: string): void {
  disconnectTaskManager(
    jm.leader.registeredTaskManagers,
    jm.leader.slotPool,
    resourceId,
    cause,
    slotPoolActions(jm),
  );
}
