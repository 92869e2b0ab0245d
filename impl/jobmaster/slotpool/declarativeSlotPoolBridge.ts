/**
 * The JobMaster's slot pool service as the scheduler sees it (Flink's `DeclarativeSlotPoolService`
 * and its subclass `DeclarativeSlotPoolBridge`, flink-protocol.md §2.5.4 and §2.5.7): the
 * TaskExecutors registered with the pool, slot requests pending until a free slot matches them
 * (the simple matching strategy: first pending request, in order, whose profile the slot serves),
 * the requests they fulfilled, and whether the job is restarting (then every offer is taken).
 *
 * It keeps Flink's hand-kept invariant: declared requirements = pending requests + reserved slots.
 * A request carries a timeout only if the caller gives one (the DefaultScheduler gives none for
 * streaming requests; its bulk checker times them out instead).
 */
import type { Mutant } from '../../mutants.js';
import type { AllocationID, ResourceID } from '../../../protocol/ids.js';
import type { ResourceProfile, SlotOffer } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';
import { isMatching } from '../../resources/requirementMatcher.js';
import { add, type ResourceCounter } from '../../resources/resourceCounter.js';
import * as pool from './defaultDeclarativeSlotPool.js';

export interface PendingRequest {
  readonly slotRequestId: string;
  readonly resourceProfile: ResourceProfile;
}

export interface SlotPoolService {
  /** CREATED → STARTED → CLOSED (`DeclarativeSlotPoolService`). */
  state: 'STARTED' | 'CLOSED';
  pool: pool.DeclarativeSlotPool;
  /** `registeredTaskManagers`: offers from others are ignored. */
  registeredTaskManagers: ResourceID[];
  /** `pendingRequests`, in insertion order. */
  pendingRequests: PendingRequest[];
  /** `fulfilledRequests`: slot request → the slot reserved for it. */
  fulfilledRequests: Record<string, AllocationID>;
  isJobRestarting: boolean;
}

/** What the service does outside itself: the pool's effects plus the scheduler's futures. */
export interface SlotPoolServiceActions {
  readonly now: number;
  declareResourceRequirements(requirements: ResourceCounter): void;
  freeSlot(slot: pool.PoolSlot, cause: string): void;
  /** A pending request got its slot (the request's future completes). */
  requestFulfilled(slotRequestId: string, slot: pool.PoolSlot): void;
  /** A pending request failed (released, timed out, or not enough resources). */
  requestFailed(slotRequestId: string, cause: string): void;
  /** The payload in a reserved slot fails: the slot was freed or lost under it. */
  payloadReleased(slotRequestId: string, cause: string): void;
  /** Arm the request's timeout, when it has one (`onSlotRequestTimeout` when it fires). */
  armRequestTimeout(slotRequestId: string, timeoutMs: number): void;
  /** The JobMaster's broken variants (impl/mutants.ts), for the bug zoo; none in the reference. */
  readonly mutants?: readonly Mutant[];
}

export function createSlotPoolService(): SlotPoolService {
  return {
    state: 'STARTED',
    pool: pool.createDeclarativeSlotPool(),
    registeredTaskManagers: [],
    pendingRequests: [],
    fulfilledRequests: {},
    isJobRestarting: false,
  };
}

/** The pool's actions, with its new-slot listener wired to the Bridge (`newSlotsAreAvailable`). */
function poolActions(
  service: SlotPoolService,
  actions: SlotPoolServiceActions,
): pool.SlotPoolActions {
  const self: pool.SlotPoolActions = {
    now: actions.now,
    declareResourceRequirements: (r) => actions.declareResourceRequirements(r),
    freeSlot: (slot, cause) => actions.freeSlot(slot, cause),
    releasePayload: (slots, cause) => {
      for (const slot of slots) {
        const request = Object.entries(service.fulfilledRequests).find(
          ([, allocationId]) => allocationId === slot.allocationId,
        );
        if (request !== undefined) actions.payloadReleased(request[0], cause);
      }
    },
    newSlotsAreAvailable: (slots) => newSlotsAreAvailable(service, slots, self, actions),
    ...(actions.mutants === undefined ? {} : { mutants: actions.mutants }),
  };
  return self;
}

/**
 * `newSlotsAreAvailable`: match the pending requests with the new free slots, reserve every match,
 * then fulfil the requests.
 */
function newSlotsAreAvailable(
  service: SlotPoolService,
  slots: readonly pool.PoolSlot[],
  poolSide: pool.SlotPoolActions,
  actions: SlotPoolServiceActions,
): void {
  if (service.pendingRequests.length === 0) return;
  // SimpleRequestSlotMatchingStrategy
  const unmatched = [...service.pendingRequests];
  const matches: { request: PendingRequest; slot: pool.PoolSlot }[] = [];
  for (const slot of slots) {
    const i = unmatched.findIndex((r) => isMatching(slot.resourceProfile, r.resourceProfile));
    if (i < 0) continue;
    matches.push({ request: unmatched[i]!, slot });
    unmatched.splice(i, 1);
  }
  for (const { request, slot } of matches) {
    service.pendingRequests = service.pendingRequests.filter((r) => r !== request);
    pool.reserveFreeSlot(service.pool, slot.allocationId, request.resourceProfile, poolSide);
    service.fulfilledRequests[request.slotRequestId] = slot.allocationId;
  }
  for (const { request, slot } of matches) actions.requestFulfilled(request.slotRequestId, slot);
}

function checkStarted(service: SlotPoolService, where: string): void {
  checkState(service.state === 'STARTED', where, 'the slot pool service is closed');
}

/** `requestNewAllocatedSlot`: a pending request, one more slot of its profile required. */
export function requestNewAllocatedSlot(
  service: SlotPoolService,
  slotRequestId: string,
  resourceProfile: ResourceProfile,
  timeoutMs: number | null,
  actions: SlotPoolServiceActions,
): void {
  checkStarted(service, 'DeclarativeSlotPoolBridge#requestNewAllocatedSlot');
  service.pendingRequests.push({ slotRequestId, resourceProfile });
  pool.increaseResourceRequirementsBy(
    service.pool,
    { [resourceProfile]: 1 },
    poolActions(service, actions),
  );
  if (timeoutMs !== null) actions.armRequestTimeout(slotRequestId, timeoutMs);
}

/** `allocateAvailableSlot`: reserve a free slot directly for a request (one more required first). */
export function allocateAvailableSlot(
  service: SlotPoolService,
  slotRequestId: string,
  allocationId: AllocationID,
  resourceProfile: ResourceProfile,
  actions: SlotPoolServiceActions,
): pool.PoolSlot {
  const poolSide = poolActions(service, actions);
  pool.increaseResourceRequirementsBy(service.pool, { [resourceProfile]: 1 }, poolSide);
  const slot = pool.reserveFreeSlot(service.pool, allocationId, resourceProfile, poolSide);
  service.fulfilledRequests[slotRequestId] = allocationId;
  return slot;
}

/**
 * `releaseSlot(slotRequestId)`: a pending request is dropped (one fewer required) and fails; a
 * fulfilled one frees its reserved slot, and what that slot fulfilled is no longer required.
 */
export function releaseSlot(
  service: SlotPoolService,
  slotRequestId: string,
  cause: string,
  actions: SlotPoolServiceActions,
): void {
  const poolSide = poolActions(service, actions);
  const pending = service.pendingRequests.find((r) => r.slotRequestId === slotRequestId);
  if (pending !== undefined) {
    service.pendingRequests = service.pendingRequests.filter((r) => r !== pending);
    pool.decreaseResourceRequirementsBy(service.pool, { [pending.resourceProfile]: 1 }, poolSide);
    actions.requestFailed(slotRequestId, cause);
    return;
  }
  const allocationId = service.fulfilledRequests[slotRequestId];
  if (allocationId === undefined) return; // "Could not find slot which has fulfilled slot request"
  delete service.fulfilledRequests[slotRequestId];
  const fulfilled = pool.freeReservedSlot(service.pool, allocationId, cause, poolSide);
  pool.decreaseResourceRequirementsBy(service.pool, fulfilled, poolSide);
}

/** The request's timeout fired (`timeoutPendingSlotRequest`): released if still pending. */
export function onSlotRequestTimeout(
  service: SlotPoolService,
  slotRequestId: string,
  actions: SlotPoolServiceActions,
): void {
  if (!service.pendingRequests.some((r) => r.slotRequestId === slotRequestId)) return;
  releaseSlot(
    service,
    slotRequestId,
    'TimeoutException: Pending slot request timed out in slot pool.',
    actions,
  );
}

/**
 * `notifyNotEnoughResourcesAvailable` → `failPendingRequests`: every pending request fails with
 * NoResourceAvailableException, and the requirements drop by as much (all requests are streaming
 * ones here).
 */
export function notifyNotEnoughResourcesAvailable(
  service: SlotPoolService,
  actions: SlotPoolServiceActions,
): void {
  if (service.pendingRequests.length === 0) return;
  const failed = service.pendingRequests;
  service.pendingRequests = [];
  const decrease: ResourceCounter = {};
  for (const request of failed) {
    actions.requestFailed(
      request.slotRequestId,
      'NoResourceAvailableException: Could not acquire the minimum required resources.',
    );
    add(decrease, request.resourceProfile, 1);
  }
  pool.decreaseResourceRequirementsBy(service.pool, decrease, poolActions(service, actions));
}

/** `setIsJobRestarting` (the DefaultScheduler, on RESTARTING and back). */
export function setIsJobRestarting(service: SlotPoolService, restarting: boolean): void {
  service.isJobRestarting = restarting;
}

/** `registerTaskManager`: its offers are considered from now on. */
export function registerTaskManager(service: SlotPoolService, taskManager: ResourceID): boolean {
  checkStarted(service, 'DeclarativeSlotPoolService#registerTaskManager');
  if (service.registeredTaskManagers.includes(taskManager)) return false;
  service.registeredTaskManagers.push(taskManager);
  return true;
}

/**
 * `offerSlots`: nothing is accepted from an unregistered TaskExecutor; while the job restarts
 * every offer is registered; otherwise offers are matched against outstanding requirements.
 * `acceptEveryOffer` is the canary `canary:slotPoolAcceptsSurplusOffers` (impl/mutants.ts).
 */
export function offerSlots(
  service: SlotPoolService,
  taskManager: ResourceID,
  offers: readonly SlotOffer[],
  actions: SlotPoolServiceActions,
  acceptEveryOffer = false,
): SlotOffer[] {
  checkStarted(service, 'DeclarativeSlotPoolBridge#offerSlots');
  if (!service.registeredTaskManagers.includes(taskManager)) return [];
  const poolSide = poolActions(service, actions);
  return service.isJobRestarting || acceptEveryOffer
    ? pool.registerSlots(service.pool, offers, taskManager, poolSide)
    : pool.offerSlots(service.pool, offers, taskManager, poolSide);
}

/**
 * `releaseTaskManager`: every slot of the TaskExecutor leaves (reserved ones fail their
 * payloads), and what the reserved ones fulfilled is no longer required (`onReleaseTaskManager`).
 */
export function releaseTaskManager(
  service: SlotPoolService,
  taskManager: ResourceID,
  cause: string,
  actions: SlotPoolServiceActions,
): boolean {
  if (!service.registeredTaskManagers.includes(taskManager)) return false;
  service.registeredTaskManagers = service.registeredTaskManagers.filter((t) => t !== taskManager);
  const poolSide = poolActions(service, actions);
  const fulfilled = pool.releaseSlots(service.pool, taskManager, cause, poolSide);
  pool.decreaseResourceRequirementsBy(service.pool, fulfilled, poolSide);
  return true;
}

/**
 * `failAllocation`: the slot leaves (`onFailAllocation` drops what it fulfilled). Returns the
 * TaskExecutor if the pool now holds none of its slots (the JobMaster then releases it).
 */
export function failAllocation(
  service: SlotPoolService,
  taskManager: ResourceID,
  allocationId: AllocationID,
  cause: string,
  actions: SlotPoolServiceActions,
): ResourceID | null {
  const poolSide = poolActions(service, actions);
  const fulfilled = pool.releaseSlot(service.pool, allocationId, cause, poolSide);
  pool.decreaseResourceRequirementsBy(service.pool, fulfilled, poolSide);
  return pool.containsSlots(service.pool, taskManager) ? null : taskManager;
}

/** The idle-slot check (`checkIdleSlotTimeout` → `releaseIdleSlots`). */
export function releaseIdleSlots(
  service: SlotPoolService,
  idleSlotTimeoutMs: number,
  actions: SlotPoolServiceActions,
): void {
  pool.releaseIdleSlots(service.pool, idleSlotTimeoutMs, poolActions(service, actions));
}

/**
 * `close`: pending requests fail (`onClose`), then every registered TaskExecutor is released.
 */
export function close(
  service: SlotPoolService,
  cause: string,
  actions: SlotPoolServiceActions,
): void {
  if (service.state === 'CLOSED') return;
  for (const request of service.pendingRequests)
    actions.requestFailed(request.slotRequestId, cause);
  service.pendingRequests = [];
  for (const taskManager of [...service.registeredTaskManagers])
    releaseTaskManager(service, taskManager, cause, actions);
  service.state = 'CLOSED';
}
