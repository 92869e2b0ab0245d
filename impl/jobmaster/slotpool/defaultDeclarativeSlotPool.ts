/**
 * The JobMaster's slot pool (Flink's `DefaultDeclarativeSlotPool` with its `DefaultAllocatedSlotPool`
 * and free-slot tracker, flink-protocol.md §2.5.5), as plain data and functions. It holds the
 * job's total requirements (what is declared to the ResourceManager), the requirements its slots
 * fulfil, which requirement each slot counts towards, and its slots, each FREE (since a time) or
 * RESERVED for a payload.
 *
 * Effects go through `SlotPoolActions`: declaring the requirements, `freeSlot` RPCs to
 * TaskExecutors, failing the payloads of released reserved slots, and telling the listener (the
 * Bridge) that slots became free. Requirements are declared at once on every change (1.15; HEAD
 * coalesces them over `slot.request.max-interval`).
 */
import { hasMutant, type Mutant } from '../../mutants.js';
import type { AllocationID, ResourceID } from '../../../protocol/ids.js';
import { ANY_PROFILE, type ResourceProfile, type SlotOffer } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';
import { isMatching, matchRequirement } from '../../resources/requirementMatcher.js';
import { add, countOf, subtract, type ResourceCounter } from '../../resources/resourceCounter.js';

/** `AllocatedSlot` in the pool, with its free/reserved status (`DefaultAllocatedSlotPool`). */
export interface PoolSlot {
  readonly allocationId: AllocationID;
  readonly taskManager: ResourceID;
  readonly physicalSlotNumber: number;
  readonly resourceProfile: ResourceProfile;
  state: 'FREE' | 'RESERVED';
  /** When the slot last became free (`freeSince`); null while reserved. */
  freeSince: number | null;
}

export interface DeclarativeSlotPool {
  totalResourceRequirements: ResourceCounter;
  fulfilledResourceRequirements: ResourceCounter;
  /** `slotToRequirementProfileMappings`: the requirement each slot counts towards. */
  slotToRequirementProfileMappings: Record<AllocationID, ResourceProfile>;
  /** `registeredSlots`, in the order they joined (free ones are iterated in that order). */
  slots: PoolSlot[];
}

export interface SlotPoolActions {
  readonly now: number;
  /** `declareResourceRequirementsFunction`: hand the total requirements to the RM connection. */
  declareResourceRequirements(requirements: ResourceCounter): void;
  /** `TaskManagerGateway#freeSlot`: a failure is only logged ("synced via heartbeat"). */
  freeSlot(slot: PoolSlot, cause: string): void;
  /** `releasePayload`: the payloads of reserved slots that leave or are freed fail. */
  releasePayload(slots: readonly PoolSlot[], cause: string): void;
  /** `NewSlotsListener#notifyNewSlotsAreAvailable` (the Bridge). */
  newSlotsAreAvailable(slots: readonly PoolSlot[]): void;
  /** The JobMaster's broken variants (impl/mutants.ts), for the bug zoo; none in the reference. */
  readonly mutants?: readonly Mutant[];
}

export function createDeclarativeSlotPool(): DeclarativeSlotPool {
  return {
    totalResourceRequirements: {},
    fulfilledResourceRequirements: {},
    slotToRequirementProfileMappings: {},
    slots: [],
  };
}

function slotOf(pool: DeclarativeSlotPool, allocationId: AllocationID): PoolSlot | undefined {
  return pool.slots.find((s) => s.allocationId === allocationId);
}

function addAll(target: ResourceCounter, source: ResourceCounter): void {
  for (const [profile, n] of Object.entries(source)) add(target, profile, n);
}

/** `increaseResourceRequirementsBy`: more slots wanted; declared at once. */
export function increaseResourceRequirementsBy(
  pool: DeclarativeSlotPool,
  increment: ResourceCounter,
  actions: SlotPoolActions,
): void {
  if (Object.keys(increment).length === 0) return;
  addAll(pool.totalResourceRequirements, increment);
  actions.declareResourceRequirements({ ...pool.totalResourceRequirements });
}

/** `decreaseResourceRequirementsBy`: fewer slots wanted (never below zero); declared at once. */
export function decreaseResourceRequirementsBy(
  pool: DeclarativeSlotPool,
  decrement: ResourceCounter,
  actions: SlotPoolActions,
): void {
  if (Object.keys(decrement).length === 0) return;
  for (const [profile, n] of Object.entries(decrement))
    subtract(pool.totalResourceRequirements, profile, n);
  actions.declareResourceRequirements({ ...pool.totalResourceRequirements });
}

/** `matchWithOutstandingRequirement`: the requirement (total − fulfilled) an offer can count towards. */
function matchWithOutstandingRequirement(
  pool: DeclarativeSlotPool,
  profile: ResourceProfile,
): ResourceProfile | undefined {
  return matchRequirement(profile, pool.totalResourceRequirements, (requirement) =>
    countOf(pool.fulfilledResourceRequirements, requirement),
  );
}

/**
 * `internalOfferSlots`: an offer already in the pool is accepted again; another is accepted if
 * `match` gives it a requirement, which it then counts towards; the rest are rejected. Newly
 * accepted slots join FREE and the listener hears of them.
 */
function internalOfferSlots(
  pool: DeclarativeSlotPool,
  offers: readonly SlotOffer[],
  taskManager: ResourceID,
  actions: SlotPoolActions,
  match: (profile: ResourceProfile) => ResourceProfile | undefined,
): SlotOffer[] {
  const accepted: SlotOffer[] = [];
  const added: PoolSlot[] = [];
  for (const offer of offers) {
    if (slotOf(pool, offer.allocationId) !== undefined) {
      accepted.push(offer);
      continue;
    }
    const requirement = match(offer.resourceProfile);
    if (requirement === undefined) continue;
    add(pool.fulfilledResourceRequirements, requirement, 1);
    pool.slotToRequirementProfileMappings[offer.allocationId] = requirement;
    accepted.push(offer);
    added.push({
      allocationId: offer.allocationId,
      taskManager,
      physicalSlotNumber: offer.slotIndex,
      resourceProfile: offer.resourceProfile,
      state: 'FREE',
      freeSince: actions.now,
    });
  }
  for (const slot of added) {
    // DefaultAllocatedSlotPool#addSlots
    checkState(
      slotOf(pool, slot.allocationId) === undefined,
      'DefaultAllocatedSlotPool#addSlots',
      `slot ${slot.allocationId} is already in the pool`,
    );
    pool.slots.push(slot);
  }
  if (added.length > 0) actions.newSlotsAreAvailable(added);
  return accepted;
}

/** `offerSlots`: accepted only against outstanding requirements (or as a repeat). */
export function offerSlots(
  pool: DeclarativeSlotPool,
  offers: readonly SlotOffer[],
  taskManager: ResourceID,
  actions: SlotPoolActions,
): SlotOffer[] {
  return internalOfferSlots(pool, offers, taskManager, actions, (profile) =>
    matchWithOutstandingRequirement(pool, profile),
  );
}

/**
 * `registerSlots` (the job is restarting): every offer is accepted; one no outstanding
 * requirement takes counts towards the wildcard `ANY`. The requirements do not change.
 */
export function registerSlots(
  pool: DeclarativeSlotPool,
  offers: readonly SlotOffer[],
  taskManager: ResourceID,
  actions: SlotPoolActions,
): SlotOffer[] {
  internalOfferSlots(
    pool,
    offers,
    taskManager,
    actions,
    (profile) => matchWithOutstandingRequirement(pool, profile) ?? ANY_PROFILE,
  );
  return [...offers];
}

/**
 * `reserveFreeSlot`: the slot must be free and able to serve `requiredProfile`. If it counted
 * towards another requirement it is re-mapped; unless that was the wildcard, the requirements are
 * adjusted (one fewer of the new profile, one more of the old) so that they stay fulfillable.
 */
export function reserveFreeSlot(
  pool: DeclarativeSlotPool,
  allocationId: AllocationID,
  requiredProfile: ResourceProfile,
  actions: SlotPoolActions,
): PoolSlot {
  const slot = slotOf(pool, allocationId);
  checkState(
    slot !== undefined && slot.state === 'FREE',
    'DefaultAllocatedSlotPool#reserveFreeSlot',
    `slot ${allocationId} is not a free slot of the pool`,
  );
  checkState(
    isMatching(slot.resourceProfile, requiredProfile),
    'DefaultDeclarativeSlotPool#reserveFreeSlot',
    `slot ${allocationId} (${slot.resourceProfile}) cannot fulfil ${requiredProfile}`,
  );
  slot.state = 'RESERVED';
  slot.freeSince = null;
  const previous = pool.slotToRequirementProfileMappings[allocationId];
  checkState(
    previous !== undefined,
    'DefaultDeclarativeSlotPool#reserveFreeSlot',
    `slot ${allocationId} has no requirement mapping`,
  );
  if (previous !== requiredProfile) {
    // updateSlotToRequirementProfileMapping
    pool.slotToRequirementProfileMappings[allocationId] = requiredProfile;
    add(pool.fulfilledResourceRequirements, requiredProfile, 1);
    add(pool.fulfilledResourceRequirements, previous, -1);
    if (previous !== ANY_PROFILE) {
      // adjustRequirements
      decreaseResourceRequirementsBy(pool, { [requiredProfile]: 1 }, actions);
      increaseResourceRequirementsBy(pool, { [previous]: 1 }, actions);
    }
  }
  return slot;
}

/** The requirements these slots count towards (`getFulfilledRequirements`). */
function fulfilledRequirementsOf(
  pool: DeclarativeSlotPool,
  slots: readonly PoolSlot[],
): ResourceCounter {
  const counter: ResourceCounter = {};
  for (const slot of slots) {
    const profile = pool.slotToRequirementProfileMappings[slot.allocationId];
    if (profile !== undefined) add(counter, profile, 1);
  }
  return counter;
}

/**
 * `freeReservedSlot`: the slot becomes free (since now), its payload fails, and the listener
 * hears of it. Returns the requirement it counted towards (empty if it was not reserved).
 */
export function freeReservedSlot(
  pool: DeclarativeSlotPool,
  allocationId: AllocationID,
  cause: string,
  actions: SlotPoolActions,
): ResourceCounter {
  const slot = slotOf(pool, allocationId);
  if (slot === undefined || slot.state !== 'RESERVED') return {};
  slot.state = 'FREE';
  slot.freeSince = actions.now;
  const fulfilled = fulfilledRequirementsOf(pool, [slot]);
  actions.releasePayload([slot], cause);
  // FLINK-20694 (bug zoo): before the fix the freed slot was matched again (tryToFulfill…), which
  // counted it towards a requirement a second time without taking back the first count.
  if (hasMutant(actions.mutants, 'FLINK-20694:freedSlotRematched')) {
    const match = matchWithOutstandingRequirement(pool, slot.resourceProfile);
    if (match !== undefined) {
      add(pool.fulfilledResourceRequirements, match, 1);
      pool.slotToRequirementProfileMappings[slot.allocationId] = match;
    }
  }
  actions.newSlotsAreAvailable([slot]);
  return fulfilled;
}

/**
 * `releaseSlots(slots)`: each slot leaves the pool for good: it no longer counts towards its
 * requirement, and the TaskExecutor is told `freeSlot`.
 */
function returnSlots(
  pool: DeclarativeSlotPool,
  slots: readonly PoolSlot[],
  cause: string,
  actions: SlotPoolActions,
): void {
  for (const slot of slots) {
    const profile = pool.slotToRequirementProfileMappings[slot.allocationId];
    if (profile !== undefined) add(pool.fulfilledResourceRequirements, profile, -1);
    delete pool.slotToRequirementProfileMappings[slot.allocationId];
    actions.freeSlot(slot, cause);
  }
}

/** `freeAndReleaseSlots`: fail the reserved ones' payloads, return all; give back what the reserved ones fulfilled. */
function freeAndReleaseSlots(
  pool: DeclarativeSlotPool,
  removed: readonly PoolSlot[],
  cause: string,
  actions: SlotPoolActions,
): ResourceCounter {
  const reserved = removed.filter((s) => s.state === 'RESERVED');
  const fulfilled = fulfilledRequirementsOf(pool, reserved);
  if (reserved.length > 0) actions.releasePayload(reserved, cause);
  returnSlots(pool, removed, cause, actions);
  return fulfilled;
}

/** `releaseSlot`: one slot leaves; returns what it fulfilled if it was reserved. */
export function releaseSlot(
  pool: DeclarativeSlotPool,
  allocationId: AllocationID,
  cause: string,
  actions: SlotPoolActions,
): ResourceCounter {
  const slot = slotOf(pool, allocationId);
  if (slot === undefined) return {};
  pool.slots = pool.slots.filter((s) => s !== slot);
  return freeAndReleaseSlots(pool, [slot], cause, actions);
}

/** `releaseSlots(owner)`: every slot of the TaskExecutor leaves; returns what the reserved ones fulfilled. */
export function releaseSlots(
  pool: DeclarativeSlotPool,
  taskManager: ResourceID,
  cause: string,
  actions: SlotPoolActions,
): ResourceCounter {
  const removed = pool.slots.filter((s) => s.taskManager === taskManager);
  pool.slots = pool.slots.filter((s) => s.taskManager !== taskManager);
  return freeAndReleaseSlots(pool, removed, cause, actions);
}

/**
 * `releaseIdleSlots`: free slots idle for `slot.idle.timeout` are returned, but only as many as
 * exceed the requirements (fulfilled − total) per requirement profile; idle slots the
 * requirements still cover stay.
 */
export function releaseIdleSlots(
  pool: DeclarativeSlotPool,
  idleSlotTimeoutMs: number,
  actions: SlotPoolActions,
): void {
  const excess: ResourceCounter = {};
  for (const [profile, n] of Object.entries(pool.fulfilledResourceRequirements)) {
    const over = n - countOf(pool.totalResourceRequirements, profile);
    if (over > 0) excess[profile] = over;
  }
  const toReturn: PoolSlot[] = [];
  for (const slot of pool.slots) {
    if (Object.keys(excess).length === 0) break;
    if (slot.state !== 'FREE' || slot.freeSince === null) continue;
    if (actions.now < slot.freeSince + idleSlotTimeoutMs) continue;
    const profile = pool.slotToRequirementProfileMappings[slot.allocationId];
    if (profile === undefined || countOf(excess, profile) === 0) continue;
    add(excess, profile, -1);
    toReturn.push(slot);
  }
  pool.slots = pool.slots.filter((s) => !toReturn.includes(s));
  returnSlots(pool, toReturn, 'Returning idle slots to their owners.', actions);
}

/** `containsSlots(owner)` */
export function containsSlots(pool: DeclarativeSlotPool, taskManager: ResourceID): boolean {
  return pool.slots.some((s) => s.taskManager === taskManager);
}

/** `createAllocatedSlotReport(owner)`: every slot (free or reserved) the pool holds from the TaskExecutor. */
export function allocatedSlotReport(
  pool: DeclarativeSlotPool,
  taskManager: ResourceID,
): { slotIndex: number; allocationId: AllocationID }[] {
  return pool.slots
    .filter((s) => s.taskManager === taskManager)
    .map((s) => ({ slotIndex: s.physicalSlotNumber, allocationId: s.allocationId }));
}
