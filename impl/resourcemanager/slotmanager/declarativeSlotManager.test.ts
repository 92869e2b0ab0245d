// Ports of Flink's DeclarativeSlotManagerTest and TaskExecutorManagerTest (flink-protocol.md §6.5)
// onto the model's slot manager, with the ResourceManager's side recorded by a fake.
import { describe, expect, it } from 'vitest';
import type { AllocationID, InstanceID, JobID, ResourceID, SlotID } from '../../../protocol/ids.js';
import type { SlotReport } from '../../../protocol/values.js';
import * as dsm from './declarativeSlotManager.js';
import type { TaskExecutorManagerConfig } from './taskExecutorManager.js';

const job1 = 'job-1' as JobID;
const job2 = 'job-2' as JobID;
const slotId = (te: string, n: number) => ({ resourceId: te, slotNumber: n }) as SlotID;
const free = (te: string, n: number) => ({
  slotId: slotId(te, n),
  resourceProfile: 'default',
  jobId: null,
  allocationId: null,
});
const report = (te: string, slots: number): SlotReport =>
  Array.from({ length: slots }, (_, n) => free(te, n));
const requirements = (jobId: JobID, n: number) => ({
  jobId,
  targetAddress: `jm-${jobId}`,
  resourceRequirements: n === 0 ? [] : [{ resourceProfile: 'UNKNOWN', numberOfRequiredSlots: n }],
});

const config: TaskExecutorManagerConfig = {
  numSlotsPerWorker: 2,
  defaultSlotResourceProfile: 'default',
  maxSlotNum: 100,
  redundantTaskManagerNum: 0,
  taskManagerTimeoutMs: 30_000,
  mutants: [],
};

/** A slot manager with a fake ResourceManager that records what it is asked. */
function setUp(options: { notify?: boolean; workers?: boolean; maxSlotNum?: number } = {}) {
  const cfg = { ...config, maxSlotNum: options.maxSlotNum ?? config.maxSlotNum };
  const state = dsm.createDeclarativeSlotManager(options.notify ?? true);
  const log: string[] = [];
  const requests: dsm.SlotRequest[] = [];
  let nextAllocation = 1;
  let now = 0;
  const actions = (): dsm.SlotManagerActions => ({
    now,
    newAllocationId: () => `alloc-${nextAllocation++}` as AllocationID,
    requestSlot: (instanceId, request) => {
      requests.push(request);
      log.push(
        `requestSlot ${instanceId} ${request.slotId.resourceId}#${request.slotId.slotNumber} ${request.jobId} ${request.allocationId}`,
      );
    },
    freeInactiveSlots: (instanceId, jobId) => log.push(`freeInactiveSlots ${instanceId} ${jobId}`),
    notifyNotEnoughResourcesAvailable: (jobId, acquired) =>
      log.push(`notEnough ${jobId} ${JSON.stringify(acquired)}`),
    allocateResource: () => {
      log.push('allocateResource');
      return options.workers ?? false;
    },
    releaseResource: (instanceId) => log.push(`releaseResource ${instanceId}`),
  });
  const register = (te: string, slots = 2, r: SlotReport = report(te, slots)) =>
    dsm.registerTaskManager(
      state,
      cfg,
      `instance-${te}` as InstanceID,
      te as ResourceID,
      r,
      actions(),
    );
  return {
    state,
    log,
    requests,
    cfg,
    actions,
    register,
    advance: (ms: number) => (now += ms),
    declare: (jobId: JobID, n: number) =>
      dsm.processResourceRequirements(state, cfg, requirements(jobId, n), actions()),
    answer: (request: dsm.SlotRequest | undefined, a: dsm.SlotRequestAnswer) => {
      if (request === undefined) throw new Error('no such request');
      return dsm.onSlotRequestAnswer(state, cfg, request, a, actions());
    },
    slot: (te: string, n: number) => {
      const s = state.slotTracker.slots[`${te}#${n}`];
      return s === undefined ? 'untracked' : `${s.state}${s.jobId === null ? '' : `(${s.jobId})`}`;
    },
  };
}

describe('DeclarativeSlotManagerTest', () => {
  it('requests a free slot for a declared requirement, with a new AllocationID, at the job master address', () => {
    const t = setUp();
    t.register('te-1');
    t.declare(job1, 1);
    expect(t.log).toEqual(['requestSlot instance-te-1 te-1#0 job-1 alloc-1']);
    expect(t.requests[0]?.targetAddress).toBe('jm-job-1');
    expect(t.slot('te-1', 0)).toBe('PENDING(job-1)');
    expect(t.answer(t.requests[0], { kind: 'acked' })).toBe('handled');
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-1)');
  });

  it('testDuplicateResourceRequirementDeclarationAfterSuccessfulAllocation: declaring again allocates nothing more', () => {
    const t = setUp();
    t.register('te-1');
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'acked' });
    t.declare(job1, 1);
    expect(t.requests).toHaveLength(1);
  });

  it('testSlotRequestFailure: a failed request frees the slot and is retried with a new AllocationID', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'failed' });
    expect(t.log.at(-1)).toBe('requestSlot instance-te-1 te-1#0 job-1 alloc-2');
    t.answer(t.requests[1], { kind: 'acked' });
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-1)');
  });

  it('testSlotRequestRemovedIfTMReportsAllocation: SlotOccupiedException for the same job counts the slot as the job’s', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'failed' }); // a timeout: the TE may have allocated alloc-1 after all
    t.answer(t.requests[1], {
      kind: 'occupied',
      allocationId: 'alloc-1' as AllocationID,
      jobId: job1,
    });
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-1)');
    expect(t.requests).toHaveLength(2);
    expect(t.state.resourceTracker[job1]?.fulfilling).toEqual({ UNKNOWN: { default: 1 } });
  });

  it('testSlotReportWithConflictingJobIdDuringSlotAllocation: a report giving the pending slot to another job moves the request', () => {
    const t = setUp();
    t.register('te-1', 2);
    t.declare(job1, 1);
    dsm.reportSlotStatus(
      t.state,
      t.cfg,
      'instance-te-1' as InstanceID,
      [
        { ...free('te-1', 0), jobId: job2, allocationId: 'alloc-x' as AllocationID },
        free('te-1', 1),
      ],
      t.actions(),
    );
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-2)');
    expect(t.log.at(-1)).toBe('requestSlot instance-te-1 te-1#1 job-1 alloc-2');
    expect(t.answer(t.requests[0], { kind: 'acked' })).toBe('ignored');
  });

  it('testAllocationUpdatesIgnoredIfSlotMarkedAsPendingForOtherJob: a late ack for a re-assigned slot is ignored', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.declare(job1, 0);
    dsm.freeSlot(t.state, t.cfg, slotId('te-1', 0), t.actions()); // the slot came back (notifySlotAvailable)
    t.declare(job2, 1);
    expect(t.slot('te-1', 0)).toBe('PENDING(job-2)');
    expect(t.answer(t.requests[0], { kind: 'acked' })).toBe('ignored');
    expect(t.slot('te-1', 0)).toBe('PENDING(job-2)');
  });

  it('testAllocationUpdatesIgnoredIfSlotMarkedAsAllocatedAfterSlotReport: a report completes the allocation first', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    dsm.reportSlotStatus(
      t.state,
      t.cfg,
      'instance-te-1' as InstanceID,
      [{ ...free('te-1', 0), jobId: job1, allocationId: 'alloc-1' as AllocationID }],
      t.actions(),
    );
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-1)');
    expect(t.answer(t.requests[0], { kind: 'acked' })).toBe('ignored');
  });

  it('testAllocationUpdatesIgnoredIfTaskExecutorUnregistered', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    expect(
      dsm.unregisterTaskManager(t.state, t.cfg, 'instance-te-1' as InstanceID, t.actions()),
    ).toBe(true);
    expect(t.answer(t.requests[0], { kind: 'acked' })).toBe('ignored');
    expect(t.slot('te-1', 0)).toBe('untracked');
  });

  it('testReportAllocatedSlot: slots reported allocated are not used for other requests (FLINK-8505)', () => {
    const t = setUp();
    t.register('te-1', 1, [
      { ...free('te-1', 0), jobId: job2, allocationId: 'alloc-x' as AllocationID },
    ]);
    t.declare(job1, 1);
    expect(t.requests).toEqual([]);
    expect(t.slot('te-1', 0)).toBe('ALLOCATED(job-2)');
  });

  it('testTaskExecutorFailedHandling: the slots of an unregistered TE are requested elsewhere', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'acked' });
    t.register('te-2', 1);
    dsm.unregisterTaskManager(t.state, t.cfg, 'instance-te-1' as InstanceID, t.actions());
    expect(t.log.at(-1)).toBe('requestSlot instance-te-2 te-2#0 job-1 alloc-2');
  });

  it('testUpdateSlotReport: a later report of a registered TE updates its slots both ways', () => {
    const t = setUp();
    t.register('te-1', 2);
    const allocated = { ...free('te-1', 0), jobId: job2, allocationId: 'alloc-x' as AllocationID };
    dsm.reportSlotStatus(
      t.state,
      t.cfg,
      'instance-te-1' as InstanceID,
      [allocated, free('te-1', 1)],
      t.actions(),
    );
    expect([t.slot('te-1', 0), t.slot('te-1', 1)]).toEqual(['ALLOCATED(job-2)', 'FREE']);
    dsm.reportSlotStatus(
      t.state,
      t.cfg,
      'instance-te-1' as InstanceID,
      report('te-1', 2),
      t.actions(),
    );
    expect([t.slot('te-1', 0), t.slot('te-1', 1)]).toEqual(['FREE', 'FREE']);
  });

  it('testFreeSlot / testSlotCanBeAllocatedForDifferentJobAfterFree', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'acked' });
    t.declare(job2, 1);
    expect(t.requests).toHaveLength(1);
    t.declare(job1, 0);
    dsm.freeSlot(t.state, t.cfg, slotId('te-1', 0), t.actions());
    expect(t.log.at(-1)).toBe('requestSlot instance-te-1 te-1#0 job-2 alloc-2');
  });

  it("a notifySlotAvailable for a slot already FREE fails Flink's checkState and changes nothing", () => {
    const t = setUp();
    t.register('te-1', 1);
    expect(dsm.freeSlot(t.state, t.cfg, slotId('te-1', 0), t.actions())).toBe('illegalState');
    expect(t.slot('te-1', 0)).toBe('FREE');
    expect(t.log).toEqual([]);
  });

  it('a notifySlotAvailable for a slot the slot manager does not track fails checkNotNull and changes nothing', () => {
    // Seen under faults: the TaskExecutor registered at the RM, its slot report was lost, and it
    // freed a slot it still held from before.
    const t = setUp();
    t.register('te-1', 1);
    expect(dsm.freeSlot(t.state, t.cfg, slotId('te-2', 0), t.actions())).toBe('illegalState');
    expect(t.slot('te-1', 0)).toBe('FREE');
    expect(t.log).toEqual([]);
  });

  it('testReclaimInactiveSlotsOnClearRequirements: only clearing the job (not an empty declaration) frees inactive slots', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.declare(job1, 1);
    t.answer(t.requests[0], { kind: 'acked' });
    t.declare(job1, 0);
    expect(t.log.filter((l) => l.startsWith('freeInactiveSlots'))).toEqual([]);
    dsm.clearResourceRequirements(t.state, job1, t.actions());
    expect(t.log.at(-1)).toBe('freeInactiveSlots instance-te-1 job-1');
  });

  it('testClearRequirementsClearsResourceTracker', () => {
    const t = setUp();
    t.declare(job1, 2);
    dsm.clearResourceRequirements(t.state, job1, t.actions());
    expect(t.state.resourceTracker).toEqual({});
    expect(t.state.jobMasterTargetAddresses).toEqual({});
  });

  it('testRequestNewResources: missing slots start workers, whose pending slots serve later requirements', () => {
    const t = setUp({ workers: true });
    t.declare(job1, 3);
    expect(t.log.filter((l) => l === 'allocateResource')).toHaveLength(2);
    expect(t.state.taskExecutorManager.pendingSlots).toEqual({ default: 4 });
    t.register('te-1', 2);
    expect(t.state.taskExecutorManager.pendingSlots).toEqual({ default: 2 });
    expect(t.requests.map((r) => r.slotId.slotNumber)).toEqual([0, 1]);
  });

  it('testGracePeriodForNotificationAboutNotEnoughResources: no notification until the grace period ends', () => {
    const t = setUp({ notify: false });
    t.declare(job1, 1);
    expect(t.log).toEqual(['allocateResource']);
    dsm.setFailUnfulfillableRequest(t.state, t.cfg, true, t.actions());
    expect(t.log.at(-1)).toBe('notEnough job-1 []');
  });
});

describe('TaskExecutorManagerTest', () => {
  it('testMaxSlotLimitRegisterWorker: a worker beyond the max-slot limit is refused and released', () => {
    const t = setUp({ maxSlotNum: 2 });
    expect(t.register('te-1', 2)).toBe('registered');
    expect(t.register('te-2', 2)).toBe('rejected');
    expect(t.log).toEqual(['releaseResource instance-te-2']);
  });

  it('testTimeoutForUnusedTaskManager: an idle TE is released after the timeout, one in use is not', () => {
    const t = setUp();
    t.register('te-1', 1);
    t.register('te-2', 1);
    t.declare(job1, 1); // te-1 is in use from the start of the allocation (markUsed)
    t.advance(29_999);
    dsm.checkTaskManagerTimeouts(t.state, t.cfg, t.actions());
    expect(t.log.filter((l) => l.startsWith('releaseResource'))).toEqual([]);
    t.advance(1);
    dsm.checkTaskManagerTimeouts(t.state, t.cfg, t.actions());
    expect(t.log.filter((l) => l.startsWith('releaseResource'))).toEqual([
      'releaseResource instance-te-2',
    ]);
  });

  it('testTaskManagerTimeoutDoesNotRemoveSlots: the idle check only asks for the release', () => {
    const t = setUp();
    t.register('te-1', 2);
    t.advance(30_000);
    dsm.checkTaskManagerTimeouts(t.state, t.cfg, t.actions());
    expect(t.log).toEqual(['releaseResource instance-te-1']);
    expect(t.slot('te-1', 0)).toBe('FREE');
  });

  it('testPendingSlotNotFulfilledByAllocatedSlot: a registering worker’s allocated slots do not consume pending slots', () => {
    const t = setUp({ workers: true });
    t.declare(job1, 1);
    expect(t.state.taskExecutorManager.pendingSlots).toEqual({ default: 2 });
    t.register('te-1', 1, [
      { ...free('te-1', 0), jobId: job2, allocationId: 'alloc-x' as AllocationID },
    ]);
    expect(t.state.taskExecutorManager.pendingSlots).toEqual({ default: 2 });
  });
});
