/**
 * The timeout of a bulk of streaming slot requests (Flink's `PhysicalSlotRequestBulkCheckerImpl`,
 * flink-protocol.md §2.5.7): a bulk is checked every `slot.request.timeout`; it times out once it
 * has been unfulfillable for that long, i.e. its pending requests could not be served even by every
 * slot of the pool that is not already this bulk's and will not stay occupied for good. Its
 * requests are then cancelled with NoResourceAvailableException (the scheduler fails over).
 */
import type { AllocationID } from '../../../protocol/ids.js';
import type { ResourceProfile } from '../../../protocol/values.js';
import { isMatching } from '../../resources/requirementMatcher.js';

export interface SlotRequestBulk {
  /** The profiles of the bulk's requests still pending. */
  readonly pendingRequests: readonly ResourceProfile[];
  /** The slots the bulk's fulfilled requests hold. */
  readonly fulfilledAllocationIds: readonly AllocationID[];
}

/** `PhysicalSlotRequestBulkWithTimestamp`: since when the bulk is unfulfillable (null: fulfillable). */
export interface BulkTimestamp {
  unfulfillableSince: number | null;
}

/** A slot of the pool as the checker sees it (`SlotInfo`). */
export interface SlotInfo {
  readonly allocationId: AllocationID;
  readonly resourceProfile: ResourceProfile;
  /** `willBeOccupiedIndefinitely`: its payload never gives it back (a running streaming task). */
  readonly occupiedIndefinitely: boolean;
}

export type TimeoutCheckResult = 'FULFILLED' | 'PENDING' | 'TIMEOUT';

/** `schedulePendingRequestBulkTimeoutCheck`: a new bulk counts as unfulfillable from now. */
export function startBulkTimestamp(now: number): BulkTimestamp {
  return { unfulfillableSince: now };
}

/** `isSlotRequestBulkFulfillable`: every pending request finds its own reusable matching slot. */
export function isSlotRequestBulkFulfillable(
  bulk: SlotRequestBulk,
  slots: readonly SlotInfo[],
): boolean {
  const remaining = slots.filter(
    (s) => !s.occupiedIndefinitely && !bulk.fulfilledAllocationIds.includes(s.allocationId),
  );
  for (const profile of bulk.pendingRequests) {
    const i = remaining.findIndex((s) => isMatching(s.resourceProfile, profile));
    if (i < 0) return false;
    remaining.splice(i, 1);
  }
  return true;
}

/** `checkPhysicalSlotRequestBulkTimeout` */
export function checkPhysicalSlotRequestBulkTimeout(
  bulk: SlotRequestBulk,
  timestamp: BulkTimestamp,
  slots: readonly SlotInfo[],
  slotRequestTimeoutMs: number,
  now: number,
): TimeoutCheckResult {
  if (bulk.pendingRequests.length === 0) return 'FULFILLED';
  if (isSlotRequestBulkFulfillable(bulk, slots)) {
    timestamp.unfulfillableSince = null; // markFulfillable
    return 'PENDING';
  }
  timestamp.unfulfillableSince ??= now; // markUnfulfillable keeps the first time
  return timestamp.unfulfillableSince + slotRequestTimeoutMs <= now ? 'TIMEOUT' : 'PENDING';
}
