/**
 * Why a cluster has not converged (the `pending()` of the issue): for each job, what its JobMaster
 * waits for; for each TaskExecutor, whether it is registered; and what the ResourceManager leader
 * believes. Printed under a failed eventual check, so a non-converging run explains itself.
 */
import { jobMasterEndpoint, RM_ENDPOINT } from '../impl/cluster/clusterProcesses.js';
import {
  jobIds,
  type FlinkClusterConfig,
  type FlinkClusterState,
} from '../impl/cluster/flinkCluster.js';
import { getAcquiredResources } from '../impl/resourcemanager/slotmanager/jobScopedResourceTracker.js';
import { total } from '../impl/resources/resourceCounter.js';

function count(requirements: readonly { numberOfRequiredSlots: number }[]): number {
  return requirements.reduce((sum, r) => sum + r.numberOfRequiredSlots, 0);
}

export function pending(state: FlinkClusterState, config: FlinkClusterConfig): string[] {
  const lines: string[] = [];
  const rmProcess = state.resourceManager;
  const rm = rmProcess?.leader ?? null;
  const rmLeader = state.ha.leaders['rm'] ?? null;
  for (const jobId of jobIds(config)) {
    const jm = state.jobMasters[jobMasterEndpoint(jobId)] ?? null;
    if (!state.ha.submitted.includes(jobId)) {
      lines.push(`${jobId}: not submitted`);
      continue;
    }
    const terminated = jm?.terminated ?? null;
    if (terminated !== null) {
      lines.push(`${jobId}: ended ${terminated}`);
      continue;
    }
    const leader = jm?.leader ?? null;
    if (leader === null) {
      const elected = state.ha.leaders[jobId] ?? null;
      lines.push(
        `${jobId}: no JobMaster leads (${jm === null ? 'its process is down' : 'no leadership granted'}; HA has ${elected === null ? 'no leader' : elected.leaderSessionId})`,
      );
      continue;
    }
    const s = leader.scheduler;
    const pool = leader.slotPool;
    const connected = leader.establishedResourceManagerConnection;
    const atRm = rm?.jobManagerRegistrations.find((r) => r.jobId === jobId) ?? null;
    const tracker = rm?.slotManager.resourceTracker[jobId as never];
    const wants = total(pool.pool.totalResourceRequirements);
    lines.push(
      `${jobId}: ${s.jobStatus}, tasks ${s.subtasks.map((t) => t.state).join(', ') || 'none'}; pool has ${pool.pool.slots.length} slots for ${wants} required, ${pool.pendingRequests.length} requests waiting; ` +
        (connected === null
          ? `not connected to a ResourceManager (${leader.resourceManagerConnection === null ? 'no registration running' : 'registering'})`
          : `connected to ResourceManager ${connected.target.resourceManagerId}`) +
        (rm === null
          ? ''
          : atRm === null
            ? '; the ResourceManager has no registration of it'
            : `; the ResourceManager holds ${tracker === undefined ? 'no requirements' : `${total(tracker.requirements)} required, ${count(getAcquiredResources(tracker))} acquired`}`),
    );
  }
  for (const [te, process] of Object.entries(state.taskExecutors)) {
    if (process === null) {
      lines.push(`${te}: down`);
      continue;
    }
    const established = process.establishedResourceManagerConnection;
    const registered = rm?.taskExecutors.some((t) => t.resourceId === te) ?? false;
    const jobs = process.jobs
      .map(
        (j) => `${j.jobId}→${j.connection === null ? 'unconnected' : j.connection.target.leaderId}`,
      )
      .join(', ');
    lines.push(
      `${te}: ${established === null ? 'not registered at a ResourceManager' : `registered at ${established.target.leaderId}`}${registered ? '' : ' (the leader does not know it)'}; ${process.taskSlotTable.slots.length} of ${process.taskSlotTable.numberSlots} slots allocated; jobs ${jobs || 'none'}`,
    );
  }
  if (rmProcess === null) lines.push(`${RM_ENDPOINT}: down`);
  else if (rm === null)
    lines.push(
      `${RM_ENDPOINT}: not leading (HA has ${rmLeader === null ? 'no leader' : rmLeader.leaderSessionId})`,
    );
  else {
    const tracked = Object.values(rm.slotManager.slotTracker.slots);
    const free = tracked.filter((t) => t.state === 'FREE').length;
    const pendingSlots = total(rm.slotManager.taskExecutorManager.pendingSlots);
    lines.push(
      `${RM_ENDPOINT}: leads as ${rm.resourceManagerId}; ${tracked.length} slots tracked (${free} free), ${pendingSlots} pending slots of requested workers` +
        (rm.active === null ? '' : `, ${rm.active.pendingWorkerCount} workers pending`),
    );
  }
  return lines;
}
