// Ports of Flink's PhysicalSlotRequestBulkCheckerImplTest (§6.6).
import { describe, expect, it } from 'vitest';
import type { AllocationID } from '../../../protocol/ids.js';
import * as checker from './physicalSlotRequestBulkChecker.js';

const TIMEOUT = 300_000;
const slot = (n: number, occupiedIndefinitely = false): checker.SlotInfo => ({
  allocationId: `alloc-${n}` as AllocationID,
  resourceProfile: 'default',
  occupiedIndefinitely,
});

describe('PhysicalSlotRequestBulkCheckerImplTest', () => {
  it('testFulfilledBulkIsNotCancelled: a bulk with nothing pending is done', () => {
    const bulk = { pendingRequests: [], fulfilledAllocationIds: [] };
    const ts = checker.startBulkTimestamp(0);
    expect(checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [], TIMEOUT, TIMEOUT)).toBe(
      'FULFILLED',
    );
  });

  it('testUnfulfillableBulkIsCancelled: unfulfillable for slot.request.timeout → timeout', () => {
    const bulk = { pendingRequests: ['UNKNOWN'], fulfilledAllocationIds: [] };
    const ts = checker.startBulkTimestamp(0);
    expect(checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [], TIMEOUT, TIMEOUT)).toBe(
      'TIMEOUT',
    );
  });

  it('testBulkPendingOnCheckIfUnfulfillableButNotTimedOut', () => {
    const bulk = { pendingRequests: ['UNKNOWN'], fulfilledAllocationIds: [] };
    const ts = checker.startBulkTimestamp(0);
    expect(checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [], TIMEOUT, TIMEOUT - 1)).toBe(
      'PENDING',
    );
  });

  it('testBulkFulfillableWithSlotOccupiedTemporarily: a slot that will be given back counts', () => {
    const bulk = { pendingRequests: ['UNKNOWN'], fulfilledAllocationIds: [] };
    const ts = checker.startBulkTimestamp(0);
    expect(checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [slot(1)], TIMEOUT, TIMEOUT)).toBe(
      'PENDING',
    );
    expect(ts.unfulfillableSince).toBeNull();
    // Fulfillable resets the clock: unfulfillable again only counts from then.
    expect(
      checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [slot(1, true)], TIMEOUT, 2 * TIMEOUT),
    ).toBe('PENDING');
    expect(
      checker.checkPhysicalSlotRequestBulkTimeout(bulk, ts, [slot(1, true)], TIMEOUT, 3 * TIMEOUT),
    ).toBe('TIMEOUT');
  });

  it('testBulkUnfulfillableWithInsufficientSlots / slots the bulk already holds do not count', () => {
    const bulk = {
      pendingRequests: ['UNKNOWN', 'UNKNOWN'],
      fulfilledAllocationIds: ['alloc-1' as AllocationID],
    };
    expect(checker.isSlotRequestBulkFulfillable(bulk, [slot(1), slot(2)])).toBe(false);
    expect(checker.isSlotRequestBulkFulfillable(bulk, [slot(1), slot(2), slot(3)])).toBe(true);
  });
});
