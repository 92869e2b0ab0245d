// Ports of Flink's JobMasterTest scenarios on TaskExecutor registration, offers and failSlot
// (flink-protocol.md §6.6) onto the JobMaster's TaskExecutor registry and its slot pool.
import { describe, expect, it } from 'vitest';
import type { AllocationID, JobID, ResourceID } from '../../protocol/ids.js';
import type { SlotOffer } from '../../protocol/values.js';
import * as slotPool from './slotpool/declarativeSlotPoolBridge.js';
import * as tms from './taskManagers.js';

const JOB = 'job-1' as JobID;
const TE = 'te-1' as ResourceID;
const info = (sessionId: string) => ({
  taskManagerAddress: 'te-1',
  resourceId: TE,
  sessionId: sessionId as never,
});
const offer = (n: number): SlotOffer => ({
  allocationId: `alloc-${n}` as AllocationID,
  slotIndex: n,
  resourceProfile: 'default',
});

function setUp() {
  const registrations: tms.TaskManagerRegistration[] = [];
  const service = slotPool.createSlotPoolService();
  const log: string[] = [];
  const actions: tms.TaskManagersActions = {
    now: 0,
    declareResourceRequirements: () => undefined,
    freeSlot: (slot) => log.push(`freeSlot ${slot.allocationId}`),
    requestFulfilled: () => undefined,
    requestFailed: () => undefined,
    payloadReleased: (id) => log.push(`payloadReleased ${id}`),
    armRequestTimeout: () => undefined,
    monitorTaskManager: (rid) => log.push(`monitor ${rid}`),
    unmonitorTaskManager: (rid) => log.push(`unmonitor ${rid}`),
    disconnectJobManager: (address, cause) => log.push(`disconnectJobManager ${address}: ${cause}`),
  };
  const register = (session: string, jobId = JOB) =>
    tms.registerTaskManager(registrations, service, JOB, jobId, info(session), actions);
  return { registrations, service, log, actions, register };
}

describe('JobMasterTest (TaskExecutors)', () => {
  it('testJobMasterRejectsTaskExecutorRegistrationIfJobIdsAreNotEqual', () => {
    const t = setUp();
    expect(t.register('s1', 'job-2' as JobID)).toBe('rejected');
    expect(t.registrations).toEqual([]);
  });

  it('testJobMasterAcknowledgesDuplicateTaskExecutorRegistrations', () => {
    const t = setUp();
    expect(t.register('s1')).toBe('succeeded');
    expect(t.register('s1')).toBe('succeeded');
    expect(t.registrations).toHaveLength(1);
    expect(t.log).toEqual(['monitor te-1']);
  });

  it('testJobMasterDisconnectsOldTaskExecutorIfNewSessionIsSeen', () => {
    const t = setUp();
    t.register('s1');
    slotPool.requestNewAllocatedSlot(t.service, 'r1', 'UNKNOWN', null, t.actions);
    tms.offerSlots(t.registrations, t.service, TE, [offer(1)], t.actions);
    expect(t.register('s2')).toBe('succeeded');
    expect(t.log).toEqual([
      'monitor te-1',
      'unmonitor te-1',
      'payloadReleased r1',
      'freeSlot alloc-1',
      'disconnectJobManager te-1: TaskExecutor re-registered with a new session id.',
      'monitor te-1',
    ]);
    expect(t.registrations.map((r) => r.sessionId)).toEqual(['s2']);
  });

  it('offerSlots from an unknown TaskExecutor fails ("Unknown TaskManager")', () => {
    const t = setUp();
    expect(tms.offerSlots(t.registrations, t.service, TE, [offer(1)], t.actions)).toBe(
      'unknownTaskManager',
    );
  });

  it('testReleasingTaskExecutorIfNoMoreSlotsRegistered: failSlot on the last slot frees it and disconnects the TaskExecutor', () => {
    const t = setUp();
    t.register('s1');
    slotPool.requestNewAllocatedSlot(t.service, 'r1', 'UNKNOWN', null, t.actions);
    tms.offerSlots(t.registrations, t.service, TE, [offer(1)], t.actions);
    tms.failSlot(t.registrations, t.service, TE, 'alloc-1' as AllocationID, 'gone', t.actions);
    expect(t.log.slice(1)).toEqual([
      'payloadReleased r1',
      'freeSlot alloc-1',
      'unmonitor te-1',
      'disconnectJobManager te-1: No more slots registered',
    ]);
    expect(t.registrations).toEqual([]);
  });

  it('testAllocatedSlotReportDoesNotContainStaleInformation: a failed slot leaves the report', () => {
    const t = setUp();
    t.register('s1');
    slotPool.requestNewAllocatedSlot(t.service, 'r1', 'UNKNOWN', null, t.actions);
    slotPool.requestNewAllocatedSlot(t.service, 'r2', 'UNKNOWN', null, t.actions);
    tms.offerSlots(t.registrations, t.service, TE, [offer(1), offer(2)], t.actions);
    tms.failSlot(t.registrations, t.service, TE, 'alloc-1' as AllocationID, 'gone', t.actions);
    expect(tms.allocatedSlotReportFor(t.service, JOB, TE)).toEqual({
      jobId: JOB,
      allocatedSlotInfos: [{ slotIndex: 2, allocationId: 'alloc-2' }],
    });
  });

  it('disconnectTaskManager of an unregistered TaskExecutor tells nobody', () => {
    const t = setUp();
    tms.disconnectTaskManager(t.registrations, t.service, TE, 'x', t.actions);
    expect(t.log).toEqual(['unmonitor te-1']);
  });
});
