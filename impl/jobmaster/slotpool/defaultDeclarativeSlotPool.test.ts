// Ports of Flink's DefaultDeclarativeSlotPoolTest (flink-protocol.md §6.6) onto the model's slot
// pool, with its effects recorded by a fake.
import { describe, expect, it } from 'vitest';
import type { AllocationID, ResourceID } from '../../../protocol/ids.js';
import type { SlotOffer } from '../../../protocol/values.js';
import * as pool from './defaultDeclarativeSlotPool.js';

const TM = 'te-1' as ResourceID;
const TM2 = 'te-2' as ResourceID;
const offer = (n: number, profile = 'default'): SlotOffer => ({
  allocationId: `alloc-${n}` as AllocationID,
  slotIndex: n,
  resourceProfile: profile,
});
const aid = (n: number) => `alloc-${n}` as AllocationID;

function setUp() {
  const state = pool.createDeclarativeSlotPool();
  const log: string[] = [];
  let now = 0;
  const actions = (): pool.SlotPoolActions => ({
    now,
    declareResourceRequirements: (r) => log.push(`declare ${JSON.stringify(r)}`),
    freeSlot: (slot, cause) =>
      log.push(`freeSlot ${slot.taskManager} ${slot.allocationId} (${cause})`),
    releasePayload: (slots) =>
      log.push(`releasePayload ${slots.map((s) => s.allocationId).join(',')}`),
    newSlotsAreAvailable: (slots) =>
      log.push(`newSlots ${slots.map((s) => s.allocationId).join(',')}`),
  });
  return {
    state,
    log,
    actions,
    advance: (ms: number) => (now += ms),
    require: (n: number, profile = 'UNKNOWN') =>
      pool.increaseResourceRequirementsBy(state, { [profile]: n }, actions()),
    offer: (offers: SlotOffer[], tm = TM) => pool.offerSlots(state, offers, tm, actions()),
    slots: () => state.slots.map((s) => `${s.allocationId}:${s.state}`),
  };
}

describe('DefaultDeclarativeSlotPoolTest', () => {
  it('declares the total requirements at once on every change (1.15)', () => {
    const t = setUp();
    t.require(2);
    pool.decreaseResourceRequirementsBy(t.state, { UNKNOWN: 1 }, t.actions());
    expect(t.log).toEqual(['declare {"UNKNOWN":2}', 'declare {"UNKNOWN":1}']);
  });

  it('testOfferingTooManySlotsWillRejectSuperfluousSlots: only outstanding requirements are accepted', () => {
    const t = setUp();
    t.require(2);
    const accepted = t.offer([offer(1), offer(2), offer(3)]);
    expect(accepted.map((o) => o.allocationId)).toEqual([aid(1), aid(2)]);
    expect(t.slots()).toEqual(['alloc-1:FREE', 'alloc-2:FREE']);
    expect(t.state.fulfilledResourceRequirements).toEqual({ UNKNOWN: 2 });
    expect(t.log.at(-1)).toBe('newSlots alloc-1,alloc-2');
  });

  it('testDuplicateSlotOfferings: a slot offered again is accepted again and counted once', () => {
    const t = setUp();
    t.require(1);
    t.offer([offer(1)]);
    const again = t.offer([offer(1)]);
    expect(again.map((o) => o.allocationId)).toEqual([aid(1)]);
    expect(t.state.fulfilledResourceRequirements).toEqual({ UNKNOWN: 1 });
    expect(t.log.filter((l) => l.startsWith('newSlots'))).toEqual(['newSlots alloc-1']);
  });

  it('testReturnIdleSlotsAfterTimeout: idle excess slots go back to their TaskExecutor after slot.idle.timeout', () => {
    const t = setUp();
    t.require(2);
    t.offer([offer(1), offer(2)]);
    pool.decreaseResourceRequirementsBy(t.state, { UNKNOWN: 2 }, t.actions());
    t.advance(49_999);
    pool.releaseIdleSlots(t.state, 50_000, t.actions());
    expect(t.slots()).toHaveLength(2);
    t.advance(1);
    pool.releaseIdleSlots(t.state, 50_000, t.actions());
    expect(t.slots()).toEqual([]);
    expect(t.state.fulfilledResourceRequirements).toEqual({});
    expect(t.log.slice(-2)).toEqual([
      'freeSlot te-1 alloc-1 (Returning idle slots to their owners.)',
      'freeSlot te-1 alloc-2 (Returning idle slots to their owners.)',
    ]);
  });

  it('testOnlyReturnExcessIdleSlots: idle slots the requirements still cover stay', () => {
    const t = setUp();
    t.require(2);
    t.offer([offer(1), offer(2)]);
    pool.decreaseResourceRequirementsBy(t.state, { UNKNOWN: 1 }, t.actions());
    t.advance(50_000);
    pool.releaseIdleSlots(t.state, 50_000, t.actions());
    expect(t.slots()).toEqual(['alloc-2:FREE']);
    expect(t.state.fulfilledResourceRequirements).toEqual({ UNKNOWN: 1 });
  });

  it('testReleaseSlotsOnlyReturnsFulfilledRequirementsOfReservedSlots', () => {
    const t = setUp();
    t.require(2);
    t.offer([offer(1), offer(2)]);
    pool.reserveFreeSlot(t.state, aid(1), 'UNKNOWN', t.actions());
    const returned = pool.releaseSlots(t.state, TM, 'lost', t.actions());
    expect(returned).toEqual({ UNKNOWN: 1 });
    expect(t.slots()).toEqual([]);
    expect(t.log.slice(-3)).toEqual([
      'releasePayload alloc-1',
      'freeSlot te-1 alloc-1 (lost)',
      'freeSlot te-1 alloc-2 (lost)',
    ]);
  });

  it('testFreedSlotWillRemainAssignedToMatchedResourceProfile', () => {
    const t = setUp();
    t.require(1, 'default');
    t.offer([offer(1)]);
    pool.reserveFreeSlot(t.state, aid(1), 'default', t.actions());
    const fulfilled = pool.freeReservedSlot(t.state, aid(1), 'done', t.actions());
    expect(fulfilled).toEqual({ default: 1 });
    expect(t.state.slotToRequirementProfileMappings[aid(1)]).toBe('default');
    expect(t.slots()).toEqual(['alloc-1:FREE']);
    expect(t.log.slice(-2)).toEqual(['releasePayload alloc-1', 'newSlots alloc-1']);
  });

  it('testRegisterSlotsAcceptsAllSlots / testRegisterSlotsDoesNotAffectRequirements', () => {
    const t = setUp();
    t.require(1);
    const accepted = pool.registerSlots(t.state, [offer(1), offer(2), offer(3)], TM, t.actions());
    expect(accepted).toHaveLength(3);
    expect(t.slots()).toEqual(['alloc-1:FREE', 'alloc-2:FREE', 'alloc-3:FREE']);
    expect(t.state.totalResourceRequirements).toEqual({ UNKNOWN: 1 });
    // One counts towards the requirement, the others towards the wildcard.
    expect(t.state.fulfilledResourceRequirements).toEqual({ UNKNOWN: 1, ANY: 2 });
  });

  it('testReserveFreeSlotForResourceUpdatesAvailableResourcesAndRequirements', () => {
    const t = setUp();
    t.require(1, 'UNKNOWN');
    t.offer([offer(1, 'big')]);
    expect(t.state.slotToRequirementProfileMappings[aid(1)]).toBe('UNKNOWN');
    // As the Bridge's allocateAvailableSlot does: require the profile, then reserve for it.
    t.require(1, 'big');
    pool.reserveFreeSlot(t.state, aid(1), 'big', t.actions());
    expect(t.state.slotToRequirementProfileMappings[aid(1)]).toBe('big');
    expect(t.state.fulfilledResourceRequirements).toEqual({ big: 1 });
    // The slot fulfils 'big' now; the requirement it was taken for ('UNKNOWN') is wanted again.
    expect(t.state.totalResourceRequirements).toEqual({ UNKNOWN: 2 });
    expect(t.log.slice(-2)).toEqual(['declare {"UNKNOWN":1}', 'declare {"UNKNOWN":2}']);
  });

  it('requirements never go below zero (ResourceCounter#subtract)', () => {
    const t = setUp();
    t.require(1);
    pool.decreaseResourceRequirementsBy(t.state, { UNKNOWN: 2, big: 1 }, t.actions());
    expect(t.state.totalResourceRequirements).toEqual({});
  });

  it('reserving a slot that is not free, or for a profile it cannot serve, fails its checkState', () => {
    const t = setUp();
    t.require(1, 'default');
    t.offer([offer(1, 'default')]);
    expect(() => pool.reserveFreeSlot(t.state, aid(1), 'big', t.actions())).toThrow(
      /cannot fulfil big/,
    );
    pool.reserveFreeSlot(t.state, aid(1), 'default', t.actions());
    expect(() => pool.reserveFreeSlot(t.state, aid(1), 'default', t.actions())).toThrow(
      /not a free slot/,
    );
  });

  it('the allocated slot report lists every slot the pool holds from a TaskExecutor', () => {
    const t = setUp();
    t.require(3);
    t.offer([offer(1), offer(2)]);
    t.offer([offer(5)], TM2);
    pool.reserveFreeSlot(t.state, aid(2), 'UNKNOWN', t.actions());
    expect(pool.allocatedSlotReport(t.state, TM)).toEqual([
      { slotIndex: 1, allocationId: aid(1) },
      { slotIndex: 2, allocationId: aid(2) },
    ]);
    expect(pool.containsSlots(t.state, TM2)).toBe(true);
  });
});
