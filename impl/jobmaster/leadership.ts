/**
 * JobMaster leadership (flink-protocol.md §2.5.1, §4.4): a granted leadership starts a new
 * `JobMaster` (`JobMasterServiceLeadershipRunner` → `JobMaster#onStart` → `startJobExecution`); a
 * revoked one, or a job that reached a globally terminal state, stops it (`onStop` →
 * `stopJobExecution`): every registered TaskExecutor is disconnected, which frees every slot on it
 * with `freeSlot`, the RM connection is closed with the job's status (SUSPENDED on revoke, so the
 * RM keeps the requirements; FINISHED or CANCELED clears them), then leader retrieval, the pool
 * and the heartbeats stop.
 */
import type { JobMasterId } from '../../protocol/ids.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import { startSending, stopHeartbeats } from '../heartbeat/heartbeatManager.js';
import * as declare from './declareResourceRequirementsConnection.js';
import type { JobMasterContext, LeaderContext } from './jobMasterContext.js';
import { createLeadership } from './jobMasterState.js';
import {
  closeResourceManagerConnection,
  RM_REGISTRATION_RETRY_TIMER,
} from './resourceManagerConnection.js';
import { BULK_CHECK_TIMER, RESTART_TIMER, startScheduling, terminate } from './scheduler.js';
import * as slotPool from './slotpool/declarativeSlotPoolBridge.js';
import { DECLARE_RETRY_TIMER, slotPoolActions } from './slotPoolPort.js';
import { disconnectTaskManager } from './taskManagers.js';

export const IDLE_SLOT_CHECK_TIMER = 'slotPool/idleSlotCheck';

/** `grantLeadership` → a new `JobMaster` under this JobMasterId starts executing the job. */
export function grantLeadership(jm: JobMasterContext, leaderSessionId: string): void {
  revokeLeadership(jm, 'Leadership granted again.');
  if (jm.state.terminated !== null) return; // the job is done; nothing to run
  const grant = ++jm.state.grants;
  const leader = createLeadership(leaderSessionId as JobMasterId, grant, jm.config);
  jm.state.leader = leader;
  const ctx: LeaderContext = { ...jm, leader };
  // startJobMasterServices: heartbeats, the pool's idle check, RM leader retrieval.
  startSending(leader.taskManagerHeartbeat, jm.config.heartbeat, jm.out);
  jm.out.armTimer(IDLE_SLOT_CHECK_TIMER, jm.config.idleSlotTimeoutMs, { grant });
  jm.out.tell(HA_ENDPOINT, { type: 'startLeaderRetrieval', jobId: null });
  startScheduling(ctx);
}

/** `revokeLeadership` → the JobMaster stops; the job is suspended here. */
export function revokeLeadership(jm: JobMasterContext, cause: string): void {
  const leader = jm.state.leader;
  if (leader === null) return;
  const ctx: LeaderContext = { ...jm, leader };
  leader.scheduler.jobStatus = 'SUSPENDED';
  stopJobExecution(ctx, `JobMaster ${leader.jobMasterId} lost leadership: ${cause}`);
}

/** A client finished or cancelled the job: it reaches a globally terminal state and the JobMaster stops. */
export function onJobTerminated(jm: LeaderContext, status: 'FINISHED' | 'CANCELED'): void {
  terminate(jm, status);
  jm.state.terminated = status;
  stopJobExecution(jm, `The job reached the globally terminal state ${status}.`);
}

function stopJobExecution(jm: LeaderContext, cause: string): void {
  const leader = jm.leader;
  const actions = slotPoolActions(jm);
  jm.out.cancelTimer(RESTART_TIMER);
  jm.out.cancelTimer(BULK_CHECK_TIMER);
  // disconnectTaskManagerResourceManagerConnections
  for (const tm of [...leader.registeredTaskManagers])
    disconnectTaskManager(
      leader.registeredTaskManagers,
      leader.slotPool,
      tm.resourceId,
      cause,
      actions,
    );
  closeResourceManagerConnection(jm, cause);
  // stopJobMasterServices
  jm.out.tell(HA_ENDPOINT, { type: 'stopLeaderRetrieval', jobId: null });
  slotPool.close(leader.slotPool, cause, actions);
  declare.close(leader.declare);
  stopHeartbeats(leader.taskManagerHeartbeat, jm.out);
  stopHeartbeats(leader.resourceManagerHeartbeat, jm.out);
  for (const timer of [IDLE_SLOT_CHECK_TIMER, RM_REGISTRATION_RETRY_TIMER, DECLARE_RETRY_TIMER])
    jm.out.cancelTimer(timer);
  jm.state.leader = null;
}

/** `checkIdleSlotTimeout`: excess slots idle for `slot.idle.timeout` leave the pool; re-armed. */
export function onIdleSlotCheck(jm: LeaderContext): void {
  jm.out.armTimer(IDLE_SLOT_CHECK_TIMER, jm.config.idleSlotTimeoutMs, { grant: jm.leader.grant });
  slotPool.releaseIdleSlots(jm.leader.slotPool, jm.config.idleSlotTimeoutMs, slotPoolActions(jm));
}
