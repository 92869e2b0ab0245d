/**
 * Always-invariants of each leading JobMaster's slot pool (flink-protocol.md §5.1, §5.3): the
 * DeclarativeSlotPool holds a slot once and in one role, and takes slots only for requirements.
 */
import { jobOfJobMasterEndpoint } from '../../impl/cluster/clusterProcesses.js';
import type { FlinkClusterState } from '../../impl/cluster/flinkCluster.js';
import type { JobMasterLeadership } from '../../impl/jobmaster/jobMasterState.js';
import { countOf } from '../../impl/resources/resourceCounter.js';
import { stepInvariant, type StateInvariant, type StepInvariant } from '../invariant.js';

function leaders(state: FlinkClusterState): { jobId: string; leader: JobMasterLeadership }[] {
  return Object.entries(state.jobMasters).flatMap(([endpoint, jm]) => {
    const leader = jm?.leader ?? null;
    return leader === null ? [] : [{ jobId: jobOfJobMasterEndpoint(endpoint), leader }];
  });
}

export const poolHoldsEachSlotOnce: StateInvariant = {
  name: 'poolHoldsEachSlotOnce',
  scope: 'jobMasters',
  kind: 'always',
  guarantee:
    'DefaultAllocatedSlotPool holds an AllocationID once, FREE or RESERVED for one request, and counts each towards one requirement',
  check: (state) => {
    const problems: string[] = [];
    for (const { jobId, leader } of leaders(state)) {
      const service = leader.slotPool;
      const pool = service.pool;
      // Two AllocationIDs of one TaskExecutor slot may both be in the pool for a while: the
      // TaskExecutor freed the first and allocated the slot again, and the JobMaster drops the
      // first only at the next heartbeat's allocated-slot report (JobMaster#syncAllocatedSlots).
      const ids = new Set<string>();
      for (const slot of pool.slots) {
        if (ids.has(slot.allocationId))
          problems.push(`pool of ${jobId} holds ${slot.allocationId} twice`);
        ids.add(slot.allocationId);
        if ((slot.state === 'FREE') !== (slot.freeSince !== null))
          problems.push(
            `pool of ${jobId}: ${slot.allocationId} is ${slot.state} with freeSince ${slot.freeSince}`,
          );
        if (pool.slotToRequirementProfileMappings[slot.allocationId] === undefined)
          problems.push(`pool of ${jobId}: ${slot.allocationId} counts towards no requirement`);
      }
      for (const id of Object.keys(pool.slotToRequirementProfileMappings))
        if (!ids.has(id))
          problems.push(`pool of ${jobId} maps ${id}, which it does not hold, to a requirement`);
      // Per requirement profile: as many fulfilled as slots count towards it.
      const mapped = new Map<string, number>();
      for (const profile of Object.values(pool.slotToRequirementProfileMappings))
        mapped.set(profile, (mapped.get(profile) ?? 0) + 1);
      const profiles = new Set([
        ...mapped.keys(),
        ...Object.keys(pool.fulfilledResourceRequirements),
      ]);
      for (const profile of profiles) {
        const fulfilled = countOf(pool.fulfilledResourceRequirements, profile);
        const slots = mapped.get(profile) ?? 0;
        if (fulfilled !== slots)
          problems.push(
            `pool of ${jobId} counts ${fulfilled} fulfilled requirements of ${profile} for ${slots} slots`,
          );
      }
      const reservedFor = new Map<string, string>();
      for (const [request, allocationId] of Object.entries(service.fulfilledRequests)) {
        const other = reservedFor.get(allocationId);
        if (other !== undefined)
          problems.push(
            `pool of ${jobId}: ${allocationId} is reserved for ${other} and ${request}`,
          );
        reservedFor.set(allocationId, request);
        const slot = pool.slots.find((s) => s.allocationId === allocationId);
        if (slot?.state !== 'RESERVED')
          problems.push(
            `pool of ${jobId}: request ${request} has ${allocationId}, which is ${slot === undefined ? 'not in the pool' : 'FREE'}`,
          );
      }
      for (const slot of pool.slots)
        if (slot.state === 'RESERVED' && !reservedFor.has(slot.allocationId))
          problems.push(`pool of ${jobId}: ${slot.allocationId} is RESERVED for no request`);
    }
    return problems;
  },
};

interface PoolDigest {
  /** Per job: the leadership, whether it was restarting, and the slots it held. */
  readonly [jobId: string]: {
    readonly session: string;
    readonly restarting: boolean;
    readonly slots: readonly string[];
  };
}

export const poolTakesSlotsOnlyForRequirements: StepInvariant = stepInvariant<PoolDigest>({
  name: 'poolTakesSlotsOnlyForRequirements',
  scope: 'jobMasters',
  kind: 'always',
  guarantee:
    'DefaultDeclarativeSlotPool#offerSlots accepts a new slot only for an outstanding requirement (every offer only while the job restarts, DeclarativeSlotPoolBridge)',
  before: (state) =>
    Object.fromEntries(
      leaders(state).map(({ jobId, leader }) => [
        jobId,
        {
          session: `${leader.jobMasterId}/${leader.grant}`,
          restarting: leader.slotPool.isJobRestarting,
          slots: leader.slotPool.pool.slots.map((s) => s.allocationId),
        },
      ]),
    ),
  check: (before, _record, after) => {
    const problems: string[] = [];
    for (const { jobId, leader } of leaders(after)) {
      const was = before[jobId];
      const same = was !== undefined && was.session === `${leader.jobMasterId}/${leader.grant}`;
      if (same && was.restarting) continue;
      const pool = leader.slotPool.pool;
      for (const slot of pool.slots) {
        if (same && was.slots.includes(slot.allocationId)) continue;
        const profile = pool.slotToRequirementProfileMappings[slot.allocationId];
        if (profile === undefined) continue; // poolHoldsEachSlotOnce reports it
        const fulfilled = countOf(pool.fulfilledResourceRequirements, profile);
        const required = countOf(pool.totalResourceRequirements, profile);
        if (fulfilled > required)
          problems.push(
            `pool of ${jobId} took ${slot.allocationId} from ${slot.taskManager}#${slot.physicalSlotNumber} beyond its requirements (${fulfilled} slots for ${required} required of ${profile})`,
          );
      }
    }
    return problems;
  },
});
