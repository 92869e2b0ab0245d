/**
 * JobMasters at the ResourceManager (flink-protocol.md §2.2.3, §2.2.4, §4.4(b)): the job leader id
 * service (leader retrieval per job, the job timeout), `registerJobMaster` (which waits for HA to
 * name the job's leader), `declareRequiredResources`, `disconnectJobManager` with its RETAIN and
 * CLEAR semantics, and `closeJobManagerConnection`.
 */
import type { JobID, JobMasterId, ResourceID } from '../../protocol/ids.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import {
  isGloballyTerminal,
  type JobStatus,
  type ResourceRequirements,
  type RpcAddress,
} from '../../protocol/values.js';
import { monitorTarget, unmonitorTarget } from '../heartbeat/heartbeatManager.js';
import { numberField, type Json } from '../sim/canonical.js';
import type { AskRef } from '../sim/effects.js';
import * as slotManager from './slotmanager/declarativeSlotManager.js';
import type { LeaderContext } from './resourceManagerContext.js';
import type { JobLeaderIdEntry } from './resourceManagerState.js';
import { slotManagerActions } from './slotManagerPort.js';

export const JOB_TIMEOUT_PREFIX = 'jobTimeout/';

function entryOf(rm: LeaderContext, jobId: JobID): JobLeaderIdEntry | undefined {
  return rm.leader.jobLeaderIds.find((e) => e.jobId === jobId);
}

/** `DefaultJobLeaderIdService#addJob`: leader retrieval for the job starts, and the job timeout with it. */
function addJob(rm: LeaderContext, jobId: JobID): JobLeaderIdEntry {
  const existing = entryOf(rm, jobId);
  if (existing !== undefined) return existing;
  const entry: JobLeaderIdEntry = { jobId, leaderId: null, waiting: [], timeoutId: null };
  rm.leader.jobLeaderIds.push(entry);
  rm.out.tell(HA_ENDPOINT, { type: 'startLeaderRetrieval', jobId });
  scheduleJobTimeout(rm, entry);
  return entry;
}

function scheduleJobTimeout(rm: LeaderContext, entry: JobLeaderIdEntry): void {
  entry.timeoutId = rm.state.nextId++;
  rm.out.armTimer(`${JOB_TIMEOUT_PREFIX}${entry.jobId}`, rm.config.jobTimeoutMs, {
    timeoutId: entry.timeoutId,
  });
}

function cancelJobTimeout(rm: LeaderContext, entry: JobLeaderIdEntry): void {
  entry.timeoutId = null;
  rm.out.cancelTimer(`${JOB_TIMEOUT_PREFIX}${entry.jobId}`);
}

/** `DefaultJobLeaderIdService#removeJob`. */
function removeJobLeaderId(rm: LeaderContext, jobId: JobID): void {
  const entry = entryOf(rm, jobId);
  if (entry === undefined) return;
  cancelJobTimeout(rm, entry);
  rm.leader.jobLeaderIds = rm.leader.jobLeaderIds.filter((e) => e !== entry);
  rm.out.tell(HA_ENDPOINT, { type: 'stopLeaderRetrieval', jobId });
}

/**
 * `JobLeaderIdListener#notifyLeaderAddress` for a job: a new leader completes the waiting
 * registrations and cancels the job timeout; losing the leader (or a change) tells the RM that the
 * old leader lost leadership, and with no leader the job timeout runs again.
 */
export function onJobLeader(rm: LeaderContext, jobId: JobID, leaderSessionId: string | null): void {
  const entry = entryOf(rm, jobId);
  if (entry === undefined) return;
  const previous = entry.leaderId;
  entry.leaderId = leaderSessionId as JobMasterId | null;
  if (previous !== null && previous !== entry.leaderId)
    jobLeaderLostLeadership(rm, jobId, previous);
  if (entry.leaderId === null) {
    scheduleJobTimeout(rm, entry);
    return;
  }
  cancelJobTimeout(rm, entry);
  const waiting = entry.waiting;
  entry.waiting = [];
  for (const w of waiting) completeRegistration(rm, jobId, entry.leaderId, w);
}

/** `ResourceManager#jobLeaderLostLeadership`: the registration of that leader is closed, requirements kept. */
function jobLeaderLostLeadership(
  rm: LeaderContext,
  jobId: JobID,
  oldJobMasterId: JobMasterId,
): void {
  const registration = rm.leader.jobManagerRegistrations.find((r) => r.jobId === jobId);
  if (registration !== undefined && registration.jobMasterId === oldJobMasterId) {
    closeJobManagerConnection(rm, jobId, 'RETAIN', `Job leader lost leadership.`);
  }
}

/** The job timeout fired: with still no leader, the job is removed (CLEAR). */
export function onJobTimeout(rm: LeaderContext, jobId: JobID, data: Json): void {
  const entry = entryOf(rm, jobId);
  const id = numberField(data, 'timeoutId');
  if (entry === undefined || entry.timeoutId === null || id !== entry.timeoutId) return;
  removeJob(rm, jobId, `Job ${jobId} was removed because of timeout`);
}

/**
 * `registerJobMaster`: the job joins the job leader id service; the answer waits until HA has named
 * the job's leader, and is declined if that is another JobMasterId.
 */
export function onRegisterJobMaster(
  rm: LeaderContext,
  request: {
    jobMasterId: JobMasterId;
    resourceId: ResourceID;
    jobMasterAddress: RpcAddress;
    jobId: JobID;
  },
  ask: AskRef | null,
): void {
  if (ask === null) return;
  const entry = addJob(rm, request.jobId);
  const waiting = {
    ask,
    jobMasterId: request.jobMasterId,
    resourceId: request.resourceId,
    address: request.jobMasterAddress,
  };
  if (entry.leaderId === null) entry.waiting.push(waiting);
  else completeRegistration(rm, request.jobId, entry.leaderId, waiting);
}

function completeRegistration(
  rm: LeaderContext,
  jobId: JobID,
  leaderId: JobMasterId,
  w: JobLeaderIdEntry['waiting'][number],
): void {
  if (leaderId !== w.jobMasterId) {
    rm.out.reply(w.ask, {
      type: 'registerJobMaster.declined',
      reason: `The leading JobMaster id ${leaderId} did not match the received JobMaster id ${w.jobMasterId}.`,
    });
    return;
  }
  // registerJobMasterInternal
  const old = rm.leader.jobManagerRegistrations.find((r) => r.jobId === jobId);
  if (old === undefined || old.jobMasterId !== w.jobMasterId) {
    if (old !== undefined)
      closeJobManagerConnection(rm, jobId, 'RETAIN', `New JobManager for job ${jobId} found.`);
    rm.leader.jobManagerRegistrations.push({
      jobId,
      jobMasterId: w.jobMasterId,
      jobMasterResourceId: w.resourceId,
      address: w.address,
    });
    monitorTarget(
      rm.leader.jobManagerHeartbeat,
      w.resourceId,
      w.address,
      rm.config.heartbeat,
      rm.out,
    );
  }
  rm.out.reply(w.ask, {
    type: 'registerJobMaster.succeeded',
    resourceManagerId: rm.leader.resourceManagerId,
    resourceManagerResourceId: rm.config.resourceId,
  });
}

/** `declareRequiredResources`: only from the registered JobMasterId of the job. */
export function onDeclareRequiredResources(
  rm: LeaderContext,
  jobMasterId: JobMasterId,
  requirements: ResourceRequirements,
  ask: AskRef | null,
): void {
  const registration = rm.leader.jobManagerRegistrations.find(
    (r) => r.jobId === requirements.jobId,
  );
  const reply = (msg: Parameters<typeof rm.out.reply>[1]) => {
    if (ask !== null) rm.out.reply(ask, msg);
  };
  if (registration === undefined) {
    reply({
      type: 'declareRequiredResources.failed',
      exception: 'UnknownJobManager',
      reason: `Could not find registered job manager for job ${requirements.jobId}.`,
    });
    return;
  }
  if (registration.jobMasterId !== jobMasterId) {
    reply({
      type: 'declareRequiredResources.failed',
      exception: 'JobMasterIdMismatch',
      reason: `The job leader's id ${registration.jobMasterId} does not match the received id ${jobMasterId}.`,
    });
    return;
  }
  slotManager.processResourceRequirements(
    rm.leader.slotManager,
    rm.config.slotManager,
    requirements,
    slotManagerActions(rm),
  );
  reply({ type: 'declareRequiredResources.acked' });
}

/** `disconnectJobManager` (no JobMasterId check): a globally terminal job is removed (CLEAR); otherwise RETAIN. */
export function onDisconnectJobManager(
  rm: LeaderContext,
  jobId: JobID,
  jobStatus: JobStatus,
  cause: string,
): void {
  if (isGloballyTerminal(jobStatus)) removeJob(rm, jobId, cause);
  else closeJobManagerConnection(rm, jobId, 'RETAIN', cause);
}

/** `removeJob`: out of the job leader id service, and the connection closed with CLEAR. */
function removeJob(rm: LeaderContext, jobId: JobID, cause: string): void {
  removeJobLeaderId(rm, jobId);
  closeJobManagerConnection(rm, jobId, 'CLEAR', cause);
}

/**
 * `closeJobManagerConnection`: forget the registration, stop monitoring, clear the job's
 * requirements if asked to (CLEAR), and tell the JobMaster `disconnectResourceManager`. Without a
 * registered JobMaster nothing happens: a job removed by its timeout keeps requirements that no
 * JobMaster holds, as in Flink.
 */
export function closeJobManagerConnection(
  rm: LeaderContext,
  jobId: JobID,
  handling: 'RETAIN' | 'CLEAR',
  cause: string,
): void {
  const registration = rm.leader.jobManagerRegistrations.find((r) => r.jobId === jobId);
  if (registration === undefined) return;
  rm.leader.jobManagerRegistrations = rm.leader.jobManagerRegistrations.filter(
    (r) => r !== registration,
  );
  unmonitorTarget(rm.leader.jobManagerHeartbeat, registration.jobMasterResourceId, rm.out);
  if (handling === 'CLEAR')
    slotManager.clearResourceRequirements(rm.leader.slotManager, jobId, slotManagerActions(rm));
  rm.out.tell(registration.address, {
    type: 'disconnectResourceManager',
    fencingToken: registration.jobMasterId,
    resourceManagerId: rm.leader.resourceManagerId,
    cause,
  });
}
