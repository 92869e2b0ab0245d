/**
 * Eventual invariants (flink-protocol.md §5.2, §5.3), checked once on a quiet cluster after the
 * healing phase: faults stopped, partitions healed, crashed processes restarted, time advanced
 * past every timeout, and every message in flight delivered.
 */
import { jobMasterEndpoint } from '../../impl/cluster/clusterProcesses.js';
import {
  jobIds,
  type FlinkClusterConfig,
  type FlinkClusterState,
} from '../../impl/cluster/flinkCluster.js';
import { resourceManagerConfig } from '../../impl/resourcemanager/resourceManagerState.js';
import { total } from '../../impl/resources/resourceCounter.js';
import { requiredWorkers } from '../../impl/resourcemanager/slotmanager/taskExecutorManager.js';
import { leakedSlots, runsAllTasks, viewDisagreements } from '../clusterViews.js';
import type { StateInvariant } from '../invariant.js';

export const viewsAgree: StateInvariant = {
  name: 'viewsAgree',
  scope: 'cluster',
  kind: 'eventually',
  guarantee:
    'slot reports (TaskExecutor → ResourceManager) and allocated-slot reports (TaskExecutor ↔ JobMaster heartbeats) reconcile the three views of every slot',
  check: (state) => viewDisagreements(state),
};

/**
 * A race Flink 1.15 loses (ResourceManager#removeJob clears a job's requirements only while the
 * JobMaster is registered): HA tells the ResourceManager that a job lost its leader
 * (jobLeaderLostLeadership: the registration goes, the requirements stay) before the finished
 * JobMaster's disconnectJobManager(FINISHED) arrives, and removeJob then finds no registration to
 * clear. The requirements of the ended job stay for good: no registration, no job leader entry,
 * no job timeout. The slot manager keeps allocating slots for it, which time out and are freed,
 * every taskmanager.slot.timeout. The jobs in that state.
 */
export function orphanedRequirements(state: FlinkClusterState): string[] {
  const rm = state.resourceManager?.leader ?? null;
  if (rm === null) return [];
  return Object.entries(rm.slotManager.resourceTracker).flatMap(([jobId, tracker]) =>
    total(tracker.requirements) > 0 &&
    !rm.jobManagerRegistrations.some((r) => r.jobId === jobId) &&
    !rm.jobLeaderIds.some((e) => e.jobId === jobId)
      ? [jobId]
      : [],
  );
}

export const noLeakedSlot: StateInvariant = {
  name: 'noLeakedSlot',
  scope: 'cluster',
  kind: 'eventually',
  guarantee:
    'every slot allocated at a live TaskExecutor is in the pool of its job’s leading JobMaster: the others are freed (slot timeout, JobMaster heartbeat sync, disconnects); except the slots the ResourceManager keeps allocating for an ended job in the orphaned-requirements race of 1.15, see orphanedRequirements',
  // The known 1.15 race is not this model's defect; races.ts counts the runs that reach it.
  check: (state) => leakedSlots(state, orphanedRequirements(state)),
};

/**
 * How many TaskExecutors the cluster can still have: all of them when standalone; in active mode
 * the workers running plus those the provider has not handed out yet (a crashed worker's
 * ResourceID never comes back, so crashes use the provider's capacity up).
 */
export function workersAvailable(config: FlinkClusterConfig, state: FlinkClusterState): number {
  if (config.mode === 'standalone') return config.taskExecutors;
  const running = Object.values(state.taskExecutors).filter((te) => te !== null).length;
  return running + config.taskExecutors - (state.resourceProvider?.used ?? 0);
}

/** Slots the jobs that have not ended need, and the slots the cluster can offer. */
export function demandAndCapacity(
  config: FlinkClusterConfig,
  state: FlinkClusterState,
): { demand: number; capacity: number } {
  let demand = 0;
  for (const jobId of jobIds(config)) {
    const jm = state.jobMasters[jobMasterEndpoint(jobId)] ?? null;
    if ((jm?.terminated ?? null) !== null || !state.ha.submitted.includes(jobId)) continue;
    demand += jm?.leader?.scheduler.parallelism ?? 0;
  }
  return { demand, capacity: workersAvailable(config, state) * config.slotsPerTaskExecutor };
}

/**
 * A gap Flink 1.15 has (ActiveResourceManager#clearStateForWorker counts a stopped worker off
 * without taking back the slot manager's pending slots or requesting another; fixed in 1.17 by
 * FLINK-29869/FLINK-18229): when a requested worker registers but its first slot report never
 * arrives and it is stopped, its pending slots stay, and a job that waits for them waits forever.
 * What it says: pending slots of requested workers, but no worker pending.
 */
export function stalePendingSlots(state: FlinkClusterState): string | null {
  const rm = state.resourceManager?.leader ?? null;
  const active = rm?.active ?? null;
  if (rm === null || active === null) return null;
  const pendingSlots = total(rm.slotManager.taskExecutorManager.pendingSlots);
  if (pendingSlots === 0 || active.pendingWorkerCount > 0) return null;
  return `the ResourceManager counts ${pendingSlots} pending slots of requested workers but no worker pending (Flink 1.15's stale pending slots, fixed in 1.17 by FLINK-29869)`;
}

export const requirementsSettle: StateInvariant = {
  name: 'requirementsSettle',
  scope: 'cluster',
  kind: 'eventually',
  guarantee:
    'a job whose requirements the cluster can hold runs all its tasks (except in the stale-pending-slots and orphaned-requirements races of 1.15, see stalePendingSlots, orphanedRequirements); one it cannot hold is told (NoResourceAvailableException or the slot request timeout fails it over), judged when the healing outlasts slot.request.timeout',
  check: (state, { config, healedMs }) => {
    const { demand, capacity } = demandAndCapacity(config, state);
    // Telling takes the slot request timeout (or the start-up period): a shorter healing cannot judge it.
    const canJudgeTelling = healedMs > config.timeouts.slotRequestTimeoutMs;
    const problems: string[] = [];
    for (const jobId of jobIds(config)) {
      const jm = state.jobMasters[jobMasterEndpoint(jobId)] ?? null;
      if ((jm?.terminated ?? null) !== null || !state.ha.submitted.includes(jobId)) continue;
      const leader = jm?.leader ?? null;
      if (leader === null) {
        problems.push(`${jobId} has no leading JobMaster`);
        continue;
      }
      const scheduler = leader.scheduler;
      if (runsAllTasks(scheduler)) continue;
      // The known 1.15 gap is not this model's defect; races.ts counts the runs that reach it.
      if (stalePendingSlots(state) !== null) continue;
      // Orphaned requirements of an ended job hold slots the others then lack (the 1.15 race).
      if (orphanedRequirements(state).length > 0) continue;
      const told = scheduler.restarts > 0 || scheduler.jobStatus === 'RESTARTING';
      if (demand <= capacity || (!told && canJudgeTelling))
        problems.push(
          `${jobId} is ${scheduler.jobStatus} with tasks ${scheduler.subtasks.map((t) => t.state).join(', ') || 'none'}` +
            (demand <= capacity
              ? ` although the cluster can hold every job (${demand} of ${capacity} slots)`
              : `, was never told the cluster cannot hold it (${demand} slots needed, ${capacity} there)`),
        );
    }
    return problems;
  },
};

export const noNeedlessWorkers: StateInvariant = {
  name: 'noNeedlessWorkers',
  scope: 'cluster',
  kind: 'eventually',
  guarantee:
    'active mode: ActiveResourceManager keeps no more workers pending than the SlotManager’s pending slots need (requestWorkerIfRequired), and the SlotManager releases a TaskExecutor idle past resourcemanager.taskmanager-timeout',
  check: (state, { config, now }) => {
    const rm = state.resourceManager?.leader ?? null;
    if (config.mode !== 'active' || rm === null || rm.active === null) return [];
    const problems: string[] = [];
    const dsm = rm.slotManager;
    // 1.15 never takes back a worker request a job no longer needs (FLINK-18229, 1.17 does): the
    // pending slots stay until workers register. What 1.15 guarantees is that it keeps no more
    // workers pending than those pending slots need.
    const needed = requiredWorkers(dsm.taskExecutorManager, {
      ...resourceManagerConfig().slotManager,
      numSlotsPerWorker: config.slotsPerTaskExecutor,
    });
    if (rm.active.pendingWorkerCount > needed)
      problems.push(
        `${rm.active.pendingWorkerCount} workers are pending, but the slot manager's pending slots need ${needed}`,
      );
    const timeout = config.timeouts.taskManagerTimeoutMs;
    for (const registration of dsm.taskExecutorManager.registrations) {
      if (registration.idleSince === null) continue;
      // The idle check runs every timeout; releasing takes one canBeReleased ask.
      if (now - registration.idleSince > 2 * timeout + config.timeouts.rpcTimeoutMs)
        problems.push(
          `${registration.resourceId} has been idle for ${((now - registration.idleSince) / 1000).toFixed(0)} s, past the ${timeout / 1000} s TaskManager timeout`,
        );
    }
    return problems;
  },
};
