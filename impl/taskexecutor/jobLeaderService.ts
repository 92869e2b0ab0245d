/**
 * The TaskExecutor's per-job state (flink-protocol.md §2.1.3): the `JobTable` entry, leader
 * retrieval and the registration connection of `DefaultJobLeaderService`, and the connection to
 * the job's JobMaster (`establishJobManagerConnection`, `disconnectJobManagerConnection`,
 * `releaseJobResources`).
 *
 * States (ours, named after Flink's): NO_JOB (not in the table), JOB (in the table, not
 * connected, possibly registering), CONNECTED (a `JobTable.Connection`).
 */
import { hasMutant } from '../mutants.js';
import type { JobID, JobMasterId, ResourceID } from '../../protocol/ids.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import {
  monitorTarget,
  onHeartbeatRpcOutcome,
  reportHeartbeat,
  unmonitorTarget,
  type HeartbeatRpcOutcome,
} from '../heartbeat/heartbeatManager.js';
import {
  cancelRegistration,
  isCurrentAttempt,
  onRegistrationResult,
  onRetryTimer,
  startRegistration,
  type RegistrationPort,
  type RegistrationResult,
} from '../registration/retryingRegistration.js';
import { checkState } from '../assertions.js';
import type { Json } from '../sim/canonical.js';
import type { AskRef } from '../sim/effects.js';
import type { AllocatedSlotReport } from '../../protocol/values.js';
import { offerSlotsToJobManager } from './slotOffers.js';
import { failExternally, freeSlotInternal, syncSlotsWithSnapshotFromJobMaster } from './slots.js';
import { askWith, type TaskExecutorContext } from './taskExecutorContext.js';
import {
  findJob,
  type JobEntry,
  type JobManagerConnectionAttempt,
  type LeaderAddress,
} from './taskExecutorState.js';
import { markSlotInactive, slotsOfJob } from './taskSlotTable.js';

export function jmRegistrationRetryTimer(jobId: JobID): string {
  return `jobManagerRegistration/${jobId}/retry`;
}

/**
 * `jobTable.getOrCreateJob` → `registerNewJobAndCreateServices` → `jobLeaderService.addJob`: the
 * job enters the table and its leader retrieval starts.
 */
export function getOrCreateJob(te: TaskExecutorContext, jobId: JobID): JobEntry {
  const existing = findJob(te.state, jobId);
  if (existing !== undefined) return existing;
  const job: JobEntry = { jobId, rpcConnection: null, connection: null, currentSlotOffer: null };
  te.state.jobs.push(job);
  te.out.tell(HA_ENDPOINT, { type: 'startLeaderRetrieval', jobId });
  return job;
}

/** `JobManagerLeaderListener#notifyLeaderAddress` for one job. */
export function onJobLeader(
  te: TaskExecutorContext,
  jobId: JobID,
  address: string | null,
  leaderId: string | null,
): void {
  const job = findJob(te.state, jobId);
  if (job === undefined) return; // the job was removed: its listener is stopped
  const current = job.rpcConnection?.target.leaderId ?? null;
  if (address === null || leaderId === null) {
    // The leader lost leadership and there is no new one yet.
    closeRpcConnection(te, job);
    if (current !== null) jobManagerLostLeadership(te, job);
    return;
  }
  if (leaderId === current) return; // an ongoing attempt to this leader: a duplicate notification
  closeRpcConnection(te, job);
  openRpcConnectionTo(te, job, { address, leaderId: leaderId as JobMasterId });
}

function closeRpcConnection(te: TaskExecutorContext, job: JobEntry): void {
  if (job.rpcConnection === null) return;
  cancelRegistration(
    job.rpcConnection.registration,
    registrationPort(te, job, job.rpcConnection.target),
  );
  job.rpcConnection = null;
}

function openRpcConnectionTo(
  te: TaskExecutorContext,
  job: JobEntry,
  target: LeaderAddress<JobMasterId>,
): void {
  const id = te.state.nextId++;
  const registration = startRegistration(
    id,
    te.config.registration,
    registrationPort(te, job, target),
  );
  job.rpcConnection = { id, target, registration, connected: false };
}

function registrationPort(
  te: TaskExecutorContext,
  job: JobEntry,
  target: LeaderAddress<JobMasterId>,
): RegistrationPort {
  return {
    sendRegistration: (timeoutMs, context) =>
      te.out.ask(
        target.address,
        {
          type: 'registerTaskManager',
          fencingToken: target.leaderId,
          jobId: job.jobId,
          taskManagerRegistrationInformation: {
            taskManagerAddress: te.self,
            resourceId: te.config.resourceId,
            sessionId: te.state.sessionId,
          },
        },
        timeoutMs,
        { kind: 'jmRegistration', jobId: job.jobId, ...context },
      ),
    armRetry: (delayMs) => te.out.armTimer(jmRegistrationRetryTimer(job.jobId), delayMs),
    cancelRetry: () => te.out.cancelTimer(jmRegistrationRetryTimer(job.jobId)),
  };
}

export function onJobManagerRegistrationRetry(te: TaskExecutorContext, jobId: JobID): void {
  const job = findJob(te.state, jobId);
  const rpc = job?.rpcConnection;
  if (job !== undefined && rpc !== null && rpc !== undefined)
    onRetryTimer(rpc.registration, registrationPort(te, job, rpc.target));
}

/**
 * An answer to a JobMaster registration; acted on only if it belongs to the current attempt of
 * the connection to the job's current leader (`runIfValidRegistrationAttemptOrElse`).
 */
export function onJobManagerRegistrationAnswer(
  te: TaskExecutorContext,
  jobId: JobID,
  context: Json,
  result: RegistrationResult,
  jobMasterResourceId: ResourceID | null,
): void {
  const job = findJob(te.state, jobId);
  const rpc = job?.rpcConnection;
  if (
    job === undefined ||
    rpc === null ||
    rpc === undefined ||
    !isCurrentAttempt(rpc.registration, context)
  )
    return;
  const outcome = onRegistrationResult(
    rpc.registration,
    result,
    te.config.registration,
    registrationPort(te, job, rpc.target),
  );
  if (outcome === 'succeeded') {
    if (jobMasterResourceId === null)
      throw new Error('TaskExecutor: JM registration succeeded without a payload');
    rpc.connected = true;
    establishJobManagerConnection(te, job, rpc, jobMasterResourceId);
  } else if (outcome === 'rejected') {
    // handleRejectedJobManagerConnection
    releaseJobResources(te, jobId, 'JobManager rejected the registration: wrong job');
  }
}

/**
 * `establishJobManagerConnection`: a connection to the same leader is kept; one to another leader
 * is disconnected first. Then the job is CONNECTED, the JM's heartbeat monitored, and every
 * ALLOCATED slot of the job offered.
 */
function establishJobManagerConnection(
  te: TaskExecutorContext,
  job: JobEntry,
  rpc: JobManagerConnectionAttempt,
  jobMasterResourceId: ResourceID,
): void {
  if (job.connection !== null) {
    if (job.connection.target.leaderId === rpc.target.leaderId) return;
    disconnectJobManagerConnection(te, job, `Found new job leader for job id ${job.jobId}.`);
  }
  checkState(
    job.connection === null,
    'DefaultJobTable.JobOrConnection#connect',
    'the job has no connection',
  );
  job.connection = { target: rpc.target, jobMasterResourceId };
  monitorTarget(
    te.state.jobManagerHeartbeat,
    jobMasterResourceId,
    rpc.target.address,
    te.config.heartbeat,
    te.out,
  );
  offerSlotsToJobManager(te, job.jobId);
}

/** `JobLeaderListenerImpl#jobManagerLostLeadership`: disconnect, and wait for a new leader. */
function jobManagerLostLeadership(te: TaskExecutorContext, job: JobEntry): void {
  if (job.connection !== null)
    disconnectJobManagerConnection(te, job, `Job leader for job id ${job.jobId} lost leadership.`);
}

/**
 * `disconnectJobManagerConnection`: fail the job's tasks, make its ACTIVE slots ALLOCATED again
 * with their timeouts re-armed (a RELEASING one is freed), stop monitoring the JM, tell it
 * `disconnectTaskManager`, and leave the job in the table, not connected. Slots are not freed.
 */
export function disconnectJobManagerConnection(
  te: TaskExecutorContext,
  job: JobEntry,
  cause: string,
): void {
  const connection = job.connection;
  if (connection === null) throw new Error(`TaskExecutor: job ${job.jobId} is not connected`);
  const slots = slotsOfJob(te.state.taskSlotTable, job.jobId);
  for (const slot of slots) for (const task of slot.tasks) failExternally(te, task);
  for (const slot of slots.filter((s) => s.state === 'ACTIVE')) {
    const inactive = markSlotInactive(
      te.state.taskSlotTable,
      slot.allocationId,
      te.config.slotTimeoutMs,
      te.out,
    );
    if (inactive.found && !inactive.value)
      freeSlotInternal(te, slot.allocationId, 'Slot could not be marked inactive.');
  }
  unmonitorTarget(te.state.jobManagerHeartbeat, connection.jobMasterResourceId, te.out);
  askWith(
    te,
    connection.target.address,
    {
      type: 'disconnectTaskManager',
      fencingToken: connection.target.leaderId,
      resourceId: te.config.resourceId,
      cause,
    },
    { kind: 'disconnectTaskManager' },
  );
  job.connection = null;
}

/**
 * `disconnectAndTryReconnectToJobManager` (JM heartbeat timeout, JM unreachable, the
 * `disconnectJobManager` RPC): disconnect, then register again at the same leader
 * (`RegisteredRpcConnection#tryReconnect`).
 */
export function disconnectAndTryReconnectToJobManager(
  te: TaskExecutorContext,
  jobId: JobID,
  cause: string,
): void {
  const job = findJob(te.state, jobId);
  if (job?.connection === null || job === undefined) return;
  disconnectJobManagerConnection(te, job, cause);
  const rpc = job.rpcConnection;
  if (rpc === null) return;
  if (!rpc.connected) {
    // RegisteredRpcConnection#tryReconnect: checkState(isConnected(), "Cannot reconnect to an
    // unknown destination.") fails when the connection is a registration to a new leader that has
    // not succeeded yet (the old leader disconnected us, or its heartbeat timed out, meanwhile).
    // The IllegalStateException ends the RPC handler; the RPC actor reports it to the caller of a
    // void RPC, where it is dropped. What was done before stands: the job is disconnected, and the
    // registration at the new leader goes on.
    return;
  }
  cancelRegistration(rpc.registration, registrationPort(te, job, rpc.target));
  const id = te.state.nextId++;
  job.rpcConnection = {
    id,
    target: rpc.target,
    registration: startRegistration(
      id,
      te.config.registration,
      registrationPort(te, job, rpc.target),
    ),
    connected: true,
  };
}

/**
 * `releaseJobResources`: free every slot of the job, stop its leader retrieval and registration,
 * close the job (disconnecting its JobMaster), and forget its offers. Reached when a job's last
 * slot is freed, or when its JobMaster rejects the registration.
 */
export function releaseJobResources(te: TaskExecutorContext, jobId: JobID, cause: string): void {
  for (const slot of slotsOfJob(te.state.taskSlotTable, jobId))
    freeSlotInternal(te, slot.allocationId, cause);
  const job = findJob(te.state, jobId);
  if (job === undefined) return; // freeing the last slot already released the job
  closeRpcConnection(te, job);
  te.out.tell(HA_ENDPOINT, { type: 'stopLeaderRetrieval', jobId });
  if (job.connection !== null) disconnectJobManagerConnection(te, job, cause);
  te.state.jobs = te.state.jobs.filter((j) => j !== job);
}

/** `closeJobManagerConnectionIfNoAllocatedResources`: the job's last slot is gone. */
export function closeJobManagerConnectionIfNoAllocatedResources(
  te: TaskExecutorContext,
  jobId: JobID,
): void {
  if (slotsOfJob(te.state.taskSlotTable, jobId).length > 0) return;
  // FLINK-8504 (bug zoo): before 1.5.0 a job was never removed from the JobLeaderService.
  if (hasMutant(te.config.mutants, 'FLINK-8504:jobKeptWithoutSlots')) return;
  releaseJobResources(
    te,
    jobId,
    `TaskExecutor ${te.self} has no more allocated slots for job ${jobId}.`,
  );
}

/**
 * `heartbeatFromJobManager`: from a monitored JM, sync the job's slots with the JM's report
 * (only while the job is connected), then answer with the deployed executions.
 */
export function onHeartbeatFromJobManager(
  te: TaskExecutorContext,
  origin: ResourceID,
  report: AllocatedSlotReport,
  ask: AskRef | null,
): void {
  if (ask !== null) te.out.reply(ask, { type: 'heartbeatFromJobManager.acked' });
  if (!reportHeartbeat(te.state.jobManagerHeartbeat, origin, te.config.heartbeat, te.out)) return;
  const job = findJob(te.state, report.jobId);
  const connection = job?.connection ?? null;
  if (connection === null) return;
  syncSlotsWithSnapshotFromJobMaster(te, connection, report);
  const deployed = slotsOfJob(te.state.taskSlotTable, report.jobId).flatMap((s) => s.tasks);
  askWith(
    te,
    connection.target.address,
    {
      type: 'heartbeatFromTaskManager',
      fencingToken: connection.target.leaderId,
      resourceId: te.config.resourceId,
      heartbeatPayload: { executionDeploymentReport: deployed },
    },
    { kind: 'jmHeartbeat', resourceId: origin },
  );
}

/** The outcome of a heartbeat answer to a JM, for unreachable detection. */
export function onJobManagerHeartbeatOutcome(
  te: TaskExecutorContext,
  resourceId: ResourceID,
  outcome: HeartbeatRpcOutcome,
): void {
  if (
    onHeartbeatRpcOutcome(
      te.state.jobManagerHeartbeat,
      resourceId,
      outcome,
      te.config.heartbeat,
      te.out,
    ) === 'unreachable'
  ) {
    onJobManagerLost(te, resourceId, `JobManager ${resourceId} is unreachable.`);
  }
}

/** `JobManagerHeartbeatListener`: a JM timed out or is unreachable → reconnect its jobs. */
export function onJobManagerLost(
  te: TaskExecutorContext,
  resourceId: ResourceID,
  cause: string,
): void {
  for (const job of [...te.state.jobs]) {
    if (job.connection?.jobMasterResourceId === resourceId)
      disconnectAndTryReconnectToJobManager(te, job.jobId, cause);
  }
}
