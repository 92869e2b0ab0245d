// Ports of Flink's DeclarativeSlotPoolBridgeTest, DeclarativeSlotPoolBridgeResourceDeclarationTest
// and DeclarativeSlotPoolServiceTest (flink-protocol.md §6.6), with the service's effects recorded.
import { describe, expect, it } from 'vitest';
import type { AllocationID, ResourceID } from '../../../protocol/ids.js';
import type { SlotOffer } from '../../../protocol/values.js';
import * as bridge from './declarativeSlotPoolBridge.js';

const TM = 'te-1' as ResourceID;
const TM2 = 'te-2' as ResourceID;
const offer = (n: number): SlotOffer => ({
  allocationId: `alloc-${n}` as AllocationID,
  slotIndex: n,
  resourceProfile: 'default',
});
const aid = (n: number) => `alloc-${n}` as AllocationID;

function setUp() {
  const service = bridge.createSlotPoolService();
  const log: string[] = [];
  const actions: bridge.SlotPoolServiceActions = {
    now: 0,
    declareResourceRequirements: (r) => log.push(`declare ${JSON.stringify(r)}`),
    freeSlot: (slot) => log.push(`freeSlot ${slot.taskManager} ${slot.allocationId}`),
    requestFulfilled: (id, slot) => log.push(`fulfilled ${id} ${slot.allocationId}`),
    requestFailed: (id, cause) => log.push(`failed ${id}: ${cause.split(':')[0]}`),
    payloadReleased: (id) => log.push(`payloadReleased ${id}`),
    armRequestTimeout: (id, ms) => log.push(`timeout ${id} ${ms}`),
  };
  bridge.registerTaskManager(service, TM);
  return {
    service,
    log,
    actions,
    request: (id: string, timeoutMs: number | null = null) =>
      bridge.requestNewAllocatedSlot(service, id, 'UNKNOWN', timeoutMs, actions),
    offer: (offers: SlotOffer[], tm = TM) => bridge.offerSlots(service, tm, offers, actions),
    required: () => service.pool.totalResourceRequirements,
  };
}

describe('DeclarativeSlotPoolBridgeResourceDeclarationTest', () => {
  it('testRequirementsIncreasedOnNewAllocation', () => {
    const t = setUp();
    t.request('r1');
    expect(t.required()).toEqual({ UNKNOWN: 1 });
    expect(t.log).toEqual(['declare {"UNKNOWN":1}']);
  });

  it('testRequirementsDecreasedOnAllocationTimeout', () => {
    const t = setUp();
    t.request('r1', 300_000);
    expect(t.log).toContain('timeout r1 300000');
    bridge.onSlotRequestTimeout(t.service, 'r1', t.actions);
    expect(t.required()).toEqual({});
    expect(t.log.at(-1)).toBe('failed r1: TimeoutException');
  });

  it('testRequirementsDecreasedOnSlotFreeing', () => {
    const t = setUp();
    t.request('r1');
    t.offer([offer(1)]);
    bridge.releaseSlot(t.service, 'r1', 'done', t.actions);
    expect(t.required()).toEqual({});
    expect(t.service.pool.slots.map((s) => s.state)).toEqual(['FREE']);
  });

  it('testRequirementsDecreasedOnSlotAllocationFailure', () => {
    const t = setUp();
    t.request('r1');
    t.offer([offer(1)]);
    const released = bridge.failAllocation(t.service, TM, aid(1), 'failed', t.actions);
    expect(t.required()).toEqual({});
    expect(released).toBe(TM); // its last slot: the JobMaster releases the TaskExecutor
    expect(t.log.slice(-3)).toEqual(['payloadReleased r1', 'freeSlot te-1 alloc-1', 'declare {}']);
  });

  it('testRequirementsIncreasedOnSlotReservation', () => {
    const t = setUp();
    t.request('r1');
    t.offer([offer(1)]);
    bridge.releaseSlot(t.service, 'r1', 'done', t.actions);
    bridge.allocateAvailableSlot(t.service, 'r2', aid(1), 'UNKNOWN', t.actions);
    expect(t.required()).toEqual({ UNKNOWN: 1 });
  });

  it('testRequirementsUnchangedOnNewSlotsNotification', () => {
    const t = setUp();
    t.request('r1');
    const declared = t.log.length;
    t.offer([offer(1)]);
    expect(t.required()).toEqual({ UNKNOWN: 1 });
    expect(t.log.slice(declared)).toEqual(['fulfilled r1 alloc-1']);
  });
});

describe('DeclarativeSlotPoolBridgeTest', () => {
  it('testNotEnoughResourcesAvailableFailsPendingRequests', () => {
    const t = setUp();
    t.request('r1');
    t.request('r2');
    t.offer([offer(1)]);
    bridge.notifyNotEnoughResourcesAvailable(t.service, t.actions);
    expect(t.log.slice(-2)).toEqual([
      'failed r2: NoResourceAvailableException',
      'declare {"UNKNOWN":1}',
    ]);
    expect(t.service.pendingRequests).toEqual([]);
  });

  it('offers are accepted against the requirements alone (the pool has no notion of an RM connection)', () => {
    const t = setUp();
    t.request('r1');
    expect(t.offer([offer(1)]).map((o) => o.allocationId)).toEqual([aid(1)]);
  });

  it('testIfJobIsRestartingAllOfferedSlotsWillBeRegistered', () => {
    const t = setUp();
    bridge.setIsJobRestarting(t.service, true);
    expect(t.offer([offer(1), offer(2)])).toHaveLength(2);
    expect(t.required()).toEqual({});
    bridge.setIsJobRestarting(t.service, false);
    expect(t.offer([offer(3)])).toEqual([]);
  });

  it('testReleasingAllocatedSlot: the slot goes back to the pool free, no longer required', () => {
    const t = setUp();
    t.request('r1');
    t.offer([offer(1)]);
    bridge.releaseSlot(t.service, 'r1', 'done', t.actions);
    expect(t.service.fulfilledRequests).toEqual({});
    expect(t.service.pool.slots.map((s) => `${s.allocationId}:${s.state}`)).toEqual([
      'alloc-1:FREE',
    ]);
    // Released again: nothing to find, nothing changes.
    bridge.releaseSlot(t.service, 'r1', 'again', t.actions);
    expect(t.required()).toEqual({});
  });

  it('a free slot serves the first pending request it matches, in order', () => {
    const t = setUp();
    t.request('r1');
    t.request('r2');
    t.offer([offer(1)]);
    expect(t.service.fulfilledRequests).toEqual({ r1: aid(1) });
    expect(t.service.pendingRequests.map((r) => r.slotRequestId)).toEqual(['r2']);
  });
});

describe('DeclarativeSlotPoolServiceTest', () => {
  it('testSlotOfferingOfUnknownTaskManagerIsIgnored', () => {
    const t = setUp();
    t.request('r1');
    expect(t.offer([offer(1)], TM2)).toEqual([]);
    expect(t.service.pool.slots).toEqual([]);
  });

  it('testFailLastAllocationOfTaskManagerReturnsIt', () => {
    const t = setUp();
    t.request('r1');
    t.request('r2');
    t.offer([offer(1), offer(2)]);
    expect(bridge.failAllocation(t.service, TM, aid(1), 'x', t.actions)).toBeNull();
    expect(bridge.failAllocation(t.service, TM, aid(2), 'x', t.actions)).toBe(TM);
  });

  it('testCloseReleasesAllSlotsForAllRegisteredTaskManagers', () => {
    const t = setUp();
    bridge.registerTaskManager(t.service, TM2);
    t.request('r1');
    t.request('r2');
    t.request('r3');
    t.offer([offer(1)]);
    t.offer([offer(2)], TM2);
    bridge.close(t.service, 'job finished', t.actions);
    expect(t.service.pool.slots).toEqual([]);
    expect(t.log.filter((l) => l.startsWith('freeSlot'))).toEqual([
      'freeSlot te-1 alloc-1',
      'freeSlot te-2 alloc-2',
    ]);
    expect(t.log).toContain('failed r3: job finished');
    expect(() => t.request('r4')).toThrow(/closed/);
  });

  it('releasing a TaskExecutor drops what its reserved slots fulfilled and fails their payloads', () => {
    const t = setUp();
    t.request('r1');
    t.offer([offer(1)]);
    bridge.releaseTaskManager(t.service, TM, 'lost', t.actions);
    expect(t.required()).toEqual({});
    expect(t.log).toContain('payloadReleased r1');
    expect(t.offer([offer(2)])).toEqual([]); // no longer registered
  });
});
