/**
 * Always-invariants of the ResourceManager leader's DeclarativeSlotManager (flink-protocol.md
 * §5.1, §5.3): its slot tracker, free index, pending requests and resource tracker stay in step,
 * and it allocates only what a job's requirements miss.
 */
import type { FlinkClusterState } from '../../impl/cluster/flinkCluster.js';
import type { DeclarativeSlotManager } from '../../impl/resourcemanager/slotmanager/dsmState.js';
import { getAcquiredResources } from '../../impl/resourcemanager/slotmanager/jobScopedResourceTracker.js';
import { total } from '../../impl/resources/resourceCounter.js';
import { stepInvariant, type StateInvariant, type StepInvariant } from '../invariant.js';

function slotManagerOf(state: FlinkClusterState): DeclarativeSlotManager | null {
  return state.resourceManager?.leader?.slotManager ?? null;
}

/** PENDING and ALLOCATED slots per job, as the slot tracker has them. */
function inUseByJob(dsm: DeclarativeSlotManager): Map<string, number> {
  const counts = new Map<string, number>();
  for (const slot of Object.values(dsm.slotTracker.slots))
    if (slot.state !== 'FREE' && slot.jobId !== null)
      counts.set(slot.jobId, (counts.get(slot.jobId) ?? 0) + 1);
  return counts;
}

function acquiredOf(dsm: DeclarativeSlotManager, jobId: string): number {
  const tracker = dsm.resourceTracker[jobId as never];
  if (tracker === undefined) return 0;
  return getAcquiredResources(tracker).reduce((sum, r) => sum + r.numberOfRequiredSlots, 0);
}

export const slotManagerAssignmentsConsistent: StateInvariant = {
  name: 'slotManagerAssignmentsConsistent',
  scope: 'resourceManager',
  kind: 'always',
  guarantee:
    'DeclarativeSlotManager: a slot is FREE, or PENDING/ALLOCATED for one job; each PENDING slot has one requestSlot in flight under its own AllocationID; the resource tracker counts exactly the PENDING and ALLOCATED slots',
  check: (state) => {
    const dsm = slotManagerOf(state);
    if (dsm === null) return [];
    const problems: string[] = [];
    for (const [key, slot] of Object.entries(dsm.slotTracker.slots)) {
      if ((slot.state === 'FREE') !== (slot.jobId === null))
        problems.push(`slot manager: ${key} is ${slot.state} for ${slot.jobId ?? 'no job'}`);
      const pending = dsm.pendingSlotAllocations[key];
      if (slot.state === 'PENDING' && pending === undefined)
        problems.push(`slot manager: ${key} is PENDING with no requestSlot in flight`);
      if (slot.state !== 'PENDING' && pending !== undefined)
        problems.push(
          `slot manager: ${key} is ${slot.state} but has requestSlot ${pending} in flight`,
        );
    }
    const allocationIds = Object.values(dsm.pendingSlotAllocations);
    if (new Set(allocationIds).size !== allocationIds.length)
      problems.push(
        `slot manager: one AllocationID requested for two slots (${allocationIds.join(', ')})`,
      );
    const inUse = inUseByJob(dsm);
    const jobs = new Set([...inUse.keys(), ...Object.keys(dsm.resourceTracker)]);
    for (const jobId of jobs) {
      const slots = inUse.get(jobId) ?? 0;
      const acquired = acquiredOf(dsm, jobId);
      if (slots !== acquired)
        problems.push(
          `slot manager: ${jobId} has ${slots} PENDING/ALLOCATED slots but its resource tracker counts ${acquired} acquired`,
        );
    }
    return problems;
  },
};

export const freeIndexHoldsFreeSlots: StateInvariant = {
  name: 'freeIndexHoldsFreeSlots',
  scope: 'resourceManager',
  kind: 'always',
  guarantee:
    "DefaultSlotTracker's freeSlots index holds every FREE slot once and nothing else, so the SlotManager never picks a slot in use",
  check: (state) => {
    const dsm = slotManagerOf(state);
    if (dsm === null) return [];
    const problems: string[] = [];
    const listed = new Set<string>();
    for (const key of dsm.slotTracker.freeSlots) {
      if (listed.has(key)) problems.push(`slot manager: ${key} is in the free index twice`);
      listed.add(key);
      const slot = dsm.slotTracker.slots[key];
      if (slot === undefined)
        problems.push(`slot manager: the free index holds ${key}, which it does not track`);
      else if (slot.state !== 'FREE')
        problems.push(
          `slot manager: the free index holds ${key}, which is ${slot.state} for ${slot.jobId ?? '?'}`,
        );
    }
    for (const [key, slot] of Object.entries(dsm.slotTracker.slots))
      if (slot.state === 'FREE' && !listed.has(key))
        problems.push(`slot manager: ${key} is FREE but missing from the free index`);
    return problems;
  },
};

interface PendingDigest {
  /** The leadership the digest is of (a new leader starts from nothing). */
  readonly leader: string | null;
  /** The AllocationID each PENDING slot waits for: a slot requested again gets a new one. */
  readonly pending: Readonly<Record<string, string>>;
}

export const slotManagerAllocatesOnlyWhatIsMissing: StepInvariant = stepInvariant<PendingDigest>({
  name: 'slotManagerAllocatesOnlyWhatIsMissing',
  scope: 'resourceManager',
  kind: 'always',
  guarantee:
    'DeclarativeSlotManager#checkResourceRequirements allocates slots for the missing resources only: after it starts a new allocation, a job has no more PENDING and ALLOCATED slots than it requires',
  before: (state) => {
    const leader = state.resourceManager?.leader ?? null;
    return {
      leader: leader === null ? null : `${leader.resourceManagerId}/${leader.grant}`,
      pending: leader === null ? {} : { ...leader.slotManager.pendingSlotAllocations },
    };
  },
  check: (before, _record, after) => {
    const leader = after.resourceManager?.leader ?? null;
    if (leader === null) return [];
    const sameLeader = before.leader === `${leader.resourceManagerId}/${leader.grant}`;
    const dsm = leader.slotManager;
    const newJobs = new Set<string>();
    for (const [key, slot] of Object.entries(dsm.slotTracker.slots))
      if (
        slot.state === 'PENDING' &&
        slot.jobId !== null &&
        !(sameLeader && before.pending[key] === dsm.pendingSlotAllocations[key])
      )
        newJobs.add(slot.jobId);
    const inUse = inUseByJob(dsm);
    const problems: string[] = [];
    for (const jobId of newJobs) {
      const required = total(dsm.resourceTracker[jobId as never]?.requirements ?? {});
      const held = inUse.get(jobId) ?? 0;
      if (held > required)
        problems.push(
          `slot manager: started an allocation for ${jobId}, which now has ${held} PENDING/ALLOCATED slots but requires ${required}`,
        );
    }
    return problems;
  },
});
