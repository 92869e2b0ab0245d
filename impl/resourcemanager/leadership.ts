/**
 * ResourceManager leadership (flink-protocol.md §2.2.1, §4.5): each granted leadership starts a new
 * `ResourceManager` with a new ResourceManagerId and empty state (heartbeat senders, the slot
 * manager, the standalone start-up period, the idle check); revoking it stops everything that
 * leadership armed. Messages are fenced: only the current leader's token is served.
 */
import type { ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import { startSending, stopHeartbeats } from '../heartbeat/heartbeatManager.js';
import {
  cancelWorkerRegistrationChecks,
  onPreviousAttemptWorkersRecovered,
} from './activeWorkers.js';
import { JOB_TIMEOUT_PREFIX } from './jobManagers.js';
import type { LeaderContext, ResourceManagerContext } from './resourceManagerContext.js';
import { createLeadership } from './resourceManagerState.js';
import * as slotManager from './slotmanager/declarativeSlotManager.js';
import { slotManagerActions } from './slotManagerPort.js';

export const STARTUP_PERIOD_TIMER = 'startupPeriod';
export const TASK_MANAGER_TIMEOUT_CHECK_TIMER = 'taskManagerTimeoutCheck';

/**
 * `ResourceManagerServiceImpl#grantLeadership` → a new `ResourceManager` → `onStart`. An active
 * one first initializes its driver, which recovers the workers of earlier attempts; the
 * `ResourceManager` serves only after that (`ActiveResourceManager#initialize` runs in `onStart`).
 */
export function grantLeadership(rm: ResourceManagerContext, leaderSessionId: string): void {
  revokeLeadership(rm);
  const grant = ++rm.state.grants;
  if (rm.config.workerMode === 'standalone') {
    startLeadership(rm, leaderSessionId, grant, []);
    return;
  }
  rm.state.starting = { leaderSessionId, grant };
  initializeDriver(rm, grant);
}

function initializeDriver(rm: ResourceManagerContext, grant: number): void {
  rm.out.ask(rm.config.resourceProvider, { type: 'initialize' }, rm.config.rpcTimeoutMs, {
    kind: 'initialize',
    grant,
  });
}

/**
 * The driver's `initialize` answered. For the leadership still starting, the `ResourceManager`
 * starts with the recovered workers. A failed or lost answer is asked again (Flink would fail the
 * start and retry it with the next leadership grant; the model keeps the grant).
 */
export function onDriverInitialized(
  rm: ResourceManagerContext,
  grant: number,
  recovered: readonly ResourceID[] | null,
): void {
  const starting = rm.state.starting;
  if (starting?.grant !== grant) return;
  if (recovered === null) {
    initializeDriver(rm, grant);
    return;
  }
  rm.state.starting = null;
  startLeadership(rm, starting.leaderSessionId, grant, recovered);
}

function startLeadership(
  rm: ResourceManagerContext,
  leaderSessionId: string,
  grant: number,
  recovered: readonly ResourceID[],
): void {
  const leader = createLeadership(leaderSessionId as ResourceManagerId, grant, rm.config);
  rm.state.leader = leader;
  startSending(leader.taskManagerHeartbeat, rm.config.heartbeat, rm.out);
  startSending(leader.jobManagerHeartbeat, rm.config.heartbeat, rm.out);
  // StandaloneResourceManager#startStartupPeriod: notifications about missing resources wait.
  if (rm.config.workerMode === 'standalone' && rm.config.startupPeriodMs > 0)
    rm.out.armTimer(STARTUP_PERIOD_TIMER, rm.config.startupPeriodMs);
  rm.out.armTimer(TASK_MANAGER_TIMEOUT_CHECK_TIMER, rm.config.slotManager.taskManagerTimeoutMs);
  if (leader.active !== null) onPreviousAttemptWorkersRecovered({ ...rm, leader }, recovered);
}

/**
 * `revokeLeadership` → the `ResourceManager` stops: heartbeats, the slot manager and the job
 * leader id service with it; its registrations are dropped without telling anyone.
 */
export function revokeLeadership(rm: ResourceManagerContext): void {
  rm.state.starting = null;
  const leader = rm.state.leader;
  if (leader === null) return;
  if (leader.active !== null) cancelWorkerRegistrationChecks({ ...rm, leader });
  stopHeartbeats(leader.taskManagerHeartbeat, rm.out);
  stopHeartbeats(leader.jobManagerHeartbeat, rm.out);
  for (const entry of leader.jobLeaderIds)
    rm.out.cancelTimer(`${JOB_TIMEOUT_PREFIX}${entry.jobId}`);
  rm.out.cancelTimer(STARTUP_PERIOD_TIMER);
  rm.out.cancelTimer(TASK_MANAGER_TIMEOUT_CHECK_TIMER);
  rm.state.leader = null;
}

/** The standalone start-up period ended: the slot manager may now tell jobs that resources are missing. */
export function onStartupPeriodEnd(rm: LeaderContext): void {
  slotManager.setFailUnfulfillableRequest(
    rm.leader.slotManager,
    rm.config.slotManager,
    true,
    slotManagerActions(rm),
  );
}

/** The periodic idle TaskManager check (`checkTaskManagerTimeoutsAndRedundancy`). */
export function onTaskManagerTimeoutCheck(rm: LeaderContext): void {
  rm.out.armTimer(TASK_MANAGER_TIMEOUT_CHECK_TIMER, rm.config.slotManager.taskManagerTimeoutMs);
  slotManager.checkTaskManagerTimeouts(
    rm.leader.slotManager,
    rm.config.slotManager,
    slotManagerActions(rm),
  );
}
