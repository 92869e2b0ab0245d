/**
 * What each component believes about the slots of the cluster, read from the processes' state,
 * and the predicates that compare those beliefs (flink-protocol.md §5.1–§5.3). Pure functions of
 * the global state: the scenario tests, the main job's verdict and the property suite all ask the
 * same questions.
 */
import {
  jobMasterEndpoint,
  jobOfJobMasterEndpoint,
  type ClusterProcesses,
} from '../impl/cluster/clusterProcesses.js';
import type { SchedulerState } from '../impl/jobmaster/jobMasterState.js';
import { slotKey } from '../impl/resourcemanager/slotmanager/slotTracker.js';

/** One slot allocated at a TaskExecutor (ALLOCATED, ACTIVE or RELEASING). */
export interface TaskExecutorSlotView {
  readonly taskExecutor: string;
  readonly index: number;
  readonly allocationId: string;
  readonly jobId: string;
  readonly state: string;
}

/** Every slot allocated at a running TaskExecutor. */
export function taskExecutorSlots(processes: ClusterProcesses): TaskExecutorSlotView[] {
  return Object.entries(processes.taskExecutors).flatMap(([taskExecutor, te]) =>
    te === null
      ? []
      : te.taskSlotTable.slots.flatMap((s) =>
          s === null
            ? []
            : [
                {
                  taskExecutor,
                  index: s.index,
                  allocationId: s.allocationId,
                  jobId: s.jobId,
                  state: s.state,
                },
              ],
        ),
  );
}

/** An AllocationID held at two TaskExecutors, or twice at one (§5.1): each such id. */
export function duplicateAllocations(processes: ClusterProcesses): string[] {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const slot of taskExecutorSlots(processes)) {
    const where = `${slot.taskExecutor}#${slot.index}`;
    const first = seen.get(slot.allocationId);
    if (first !== undefined) duplicates.push(`${slot.allocationId} at ${first} and ${where}`);
    else seen.set(slot.allocationId, where);
  }
  return duplicates;
}

/**
 * Where the views of a quiet cluster disagree (every message delivered, no fault pending): each
 * disagreement in words. Checked only between live, connected components — a TaskExecutor the RM
 * leader has registered, the leading JobMaster of a job:
 * - a slot the leading JobMaster holds is not allocated to its job at that TaskExecutor index;
 * - an ACTIVE slot of a job is not in its leading JobMaster's pool;
 * - a slot a registered TaskExecutor holds is not ALLOCATED to that job at the RM's slot manager;
 * - a slot the RM's slot manager has ALLOCATED is not allocated to that job at the TaskExecutor.
 */
export function viewDisagreements(processes: ClusterProcesses): string[] {
  const problems: string[] = [];
  const teSlots = taskExecutorSlots(processes);
  const jobMasters = Object.entries(processes.jobMasters).flatMap(([endpoint, jm]) =>
    jm === null || jm.leader === null
      ? []
      : [{ jobId: jobOfJobMasterEndpoint(endpoint), leader: jm.leader }],
  );
  const leaderOf = (jobId: string) => jobMasters.find((l) => l.jobId === jobId)?.leader;
  for (const { jobId, leader } of jobMasters) {
    for (const slot of leader.slotPool.pool.slots) {
      const at = teSlots.find(
        (s) =>
          s.taskExecutor === slot.taskManager &&
          s.index === slot.physicalSlotNumber &&
          s.allocationId === slot.allocationId &&
          s.jobId === jobId,
      );
      if (at === undefined)
        problems.push(
          `JobMaster of ${jobId} holds ${slot.allocationId} on ${slot.taskManager}#${slot.physicalSlotNumber}, which that TaskExecutor does not hold for the job`,
        );
    }
  }
  for (const slot of teSlots) {
    if (slot.state !== 'ACTIVE') continue;
    const leader = leaderOf(slot.jobId);
    if (leader === undefined) continue;
    if (!leader.slotPool.pool.slots.some((p) => p.allocationId === slot.allocationId))
      problems.push(
        `${slot.taskExecutor}#${slot.index} is ACTIVE for ${slot.jobId} under ${slot.allocationId}, which its JobMaster's pool does not hold`,
      );
  }
  const rm = processes.resourceManager?.leader ?? null;
  if (rm !== null) {
    const tracked = rm.slotManager.slotTracker.slots;
    const registered = new Set(rm.taskExecutors.map((t) => t.resourceId as string));
    for (const slot of teSlots) {
      if (!registered.has(slot.taskExecutor) || slot.state === 'RELEASING') continue;
      const key = slotKey({ resourceId: slot.taskExecutor, slotNumber: slot.index } as never);
      const at = tracked[key];
      if (at?.state !== 'ALLOCATED' || at.jobId !== slot.jobId)
        problems.push(
          `${slot.taskExecutor}#${slot.index} is allocated to ${slot.jobId}, but the ResourceManager has it ${at === undefined ? 'untracked' : `${at.state}${at.jobId === null ? '' : ` for ${at.jobId}`}`}`,
        );
    }
    for (const [key, at] of Object.entries(tracked)) {
      if (at.state !== 'ALLOCATED') continue;
      const onTe = teSlots.find(
        (s) =>
          s.taskExecutor === at.slotId.resourceId &&
          s.index === at.slotId.slotNumber &&
          s.jobId === at.jobId,
      );
      if (onTe === undefined && processes.taskExecutors[at.slotId.resourceId] !== null)
        problems.push(
          `the ResourceManager has ${key} ALLOCATED for ${at.jobId ?? '?'}, but the TaskExecutor does not`,
        );
    }
  }
  return problems;
}

/**
 * Slots leaked after the cluster healed (§5.2): allocated at a live TaskExecutor for a job whose
 * JobMaster does not lead (the job ended, or no leader runs), or under an AllocationID that the
 * leading JobMaster's pool does not hold. A RELEASING slot is on its way out and not counted, nor
 * are the slots of the jobs in `exceptJobs`.
 */
export function leakedSlots(
  processes: ClusterProcesses,
  exceptJobs: readonly string[] = [],
): string[] {
  const leaks: string[] = [];
  for (const slot of taskExecutorSlots(processes)) {
    if (slot.state === 'RELEASING' || exceptJobs.includes(slot.jobId)) continue;
    const leader = processes.jobMasters[jobMasterEndpoint(slot.jobId)]?.leader ?? null;
    const where = `${slot.taskExecutor}#${slot.index} (${slot.allocationId}, ${slot.state})`;
    if (leader === null) leaks.push(`${where} is held for ${slot.jobId}, which no JobMaster leads`);
    else if (!leader.slotPool.pool.slots.some((p) => p.allocationId === slot.allocationId))
      leaks.push(`${where} is held for ${slot.jobId}, but its JobMaster's pool does not have it`);
  }
  return leaks;
}

/**
 * Whether a leading JobMaster runs its job: RUNNING, with one task per unit of parallelism and
 * every task deployed and running.
 */
export function runsAllTasks(scheduler: SchedulerState): boolean {
  return (
    scheduler.jobStatus === 'RUNNING' &&
    scheduler.subtasks.length === scheduler.parallelism &&
    scheduler.subtasks.every((t) => t.state === 'RUNNING')
  );
}
