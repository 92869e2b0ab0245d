/**
 * The TaskExecutors the DeclarativeSlotManager knows (Flink's `TaskExecutorManager` and
 * `TaskManagerRegistration`, 1.15): registered ones with their slots and idle time, pending slots
 * of workers requested but not yet registered, the max-slot limit, and the idle check.
 *
 * Simplification: every worker has `numSlotsPerWorker` slots of the default profile, as a
 * default worker spec gives; pending slots are counted per profile, not identified.
 */
import type { Mutant } from '../../mutants.js';
import type { InstanceID, ResourceID } from '../../../protocol/ids.js';
import type { ResourceProfile, SlotReport } from '../../../protocol/values.js';
import { checkState } from '../../assertions.js';
import { isMatching } from '../../resources/requirementMatcher.js';
import { add, countOf, total, type ResourceCounter } from '../../resources/resourceCounter.js';
import { slotKey } from './slotTracker.js';

export interface TaskManagerRegistration {
  readonly instanceId: InstanceID;
  readonly resourceId: ResourceID;
  readonly slotKeys: readonly string[];
  numberFreeSlots: number;
  /** When the TaskExecutor last became idle; null while it is in use (`Long.MAX_VALUE`). */
  idleSince: number | null;
}

export interface TaskExecutorManagerConfig {
  readonly numSlotsPerWorker: number;
  readonly defaultSlotResourceProfile: ResourceProfile;
  /** `slotmanager.number-of-slots.max` */
  readonly maxSlotNum: number;
  /** `slotmanager.redundant-taskmanager-num` */
  readonly redundantTaskManagerNum: number;
  /** `resourcemanager.taskmanager-timeout` */
  readonly taskManagerTimeoutMs: number;
  /**
   * Broken variants switched on by a test harness (impl/mutants.ts); empty in the reference. The
   * whole ResourceManager's, kept here because every slot manager function is given this config.
   */
  readonly mutants: readonly Mutant[];
}

export interface TaskExecutorManager {
  registrations: TaskManagerRegistration[];
  /** Slots of requested workers that have not registered yet, per profile. */
  pendingSlots: ResourceCounter;
}

export function createTaskExecutorManager(): TaskExecutorManager {
  return { registrations: [], pendingSlots: {} };
}

export function registrationOf(
  manager: TaskExecutorManager,
  instanceId: InstanceID,
): TaskManagerRegistration | undefined {
  return manager.registrations.find((r) => r.instanceId === instanceId);
}

export function numberRegisteredSlots(manager: TaskExecutorManager): number {
  return manager.registrations.reduce((sum, r) => sum + r.slotKeys.length, 0);
}

/**
 * `registerTaskManager`: refused (false) beyond the max-slot limit; otherwise registered idle, and
 * each free reported slot consumes a pending slot of exactly its profile.
 */
export function registerTaskManager(
  manager: TaskExecutorManager,
  config: TaskExecutorManagerConfig,
  instanceId: InstanceID,
  resourceId: ResourceID,
  report: SlotReport,
  now: number,
): boolean {
  if (numberRegisteredSlots(manager) + report.length > config.maxSlotNum) return false;
  manager.registrations.push({
    instanceId,
    resourceId,
    slotKeys: report.map((s) => slotKey(s.slotId)),
    numberFreeSlots: report.length,
    idleSince: now,
  });
  for (const status of report) {
    if (status.jobId === null && countOf(manager.pendingSlots, status.resourceProfile) > 0) {
      add(manager.pendingSlots, status.resourceProfile, -1);
    }
  }
  return true;
}

export function unregisterTaskExecutor(manager: TaskExecutorManager, instanceId: InstanceID): void {
  manager.registrations = manager.registrations.filter((r) => r.instanceId !== instanceId);
}

function registered(
  manager: TaskExecutorManager,
  instanceId: InstanceID,
  where: string,
): TaskManagerRegistration {
  const registration = registrationOf(manager, instanceId);
  checkState(registration !== undefined, where, `task executor ${instanceId} is registered`);
  return registration;
}

/** `occupySlot`: a slot became ALLOCATED; the TaskExecutor is in use. */
export function occupySlot(manager: TaskExecutorManager, instanceId: InstanceID): void {
  const r = registered(manager, instanceId, 'TaskManagerRegistration#occupySlot');
  checkState(
    r.numberFreeSlots > 0,
    'TaskManagerRegistration#occupySlot',
    'there is a free slot to occupy',
  );
  r.numberFreeSlots -= 1;
  r.idleSince = null;
}

/** `freeSlot`: an ALLOCATED slot became FREE; with every slot free the TaskExecutor is idle again. */
export function freeSlot(manager: TaskExecutorManager, instanceId: InstanceID, now: number): void {
  const r = registered(manager, instanceId, 'TaskManagerRegistration#freeSlot');
  checkState(
    r.numberFreeSlots < r.slotKeys.length,
    'TaskManagerRegistration#freeSlot',
    'a slot was occupied',
  );
  r.numberFreeSlots += 1;
  if (r.numberFreeSlots === r.slotKeys.length) r.idleSince = now;
}

/** `markUsed`: an allocation started on the TaskExecutor (a failed one does not make it idle again). */
export function markUsed(manager: TaskExecutorManager, instanceId: InstanceID): void {
  registered(manager, instanceId, 'TaskManagerRegistration#markUsed').idleSince = null;
}

/**
 * `allocateWorker`: request a new worker for a missing slot of this profile, if the max-slot limit
 * allows and the default slot serves it; `requestWorker` says whether a worker could be started
 * (never in standalone mode). The worker's slots are pending until it registers.
 */
export function allocateWorker(
  manager: TaskExecutorManager,
  config: TaskExecutorManagerConfig,
  profile: ResourceProfile,
  requestWorker: () => boolean,
): boolean {
  const slots = numberRegisteredSlots(manager) + total(manager.pendingSlots);
  if (slots + config.numSlotsPerWorker > config.maxSlotNum) return false;
  if (!isMatching(config.defaultSlotResourceProfile, profile)) return false;
  if (!requestWorker()) return false;
  add(manager.pendingSlots, config.defaultSlotResourceProfile, config.numSlotsPerWorker);
  return true;
}

/**
 * `getRequiredWorkers`: the workers the pending slots stand for (rounded up), which an active
 * ResourceManager keeps requested while fewer are pending.
 */
export function requiredWorkers(
  manager: TaskExecutorManager,
  config: TaskExecutorManagerConfig,
): number {
  return Math.ceil(total(manager.pendingSlots) / config.numSlotsPerWorker);
}

/**
 * `checkTaskManagerTimeoutsAndRedundancy`: TaskExecutors idle for the timeout, as many as the
 * redundancy target allows, to be released.
 */
export function idleTaskExecutorsToRelease(
  manager: TaskExecutorManager,
  config: TaskExecutorManagerConfig,
  now: number,
): InstanceID[] {
  const timedOut = manager.registrations.filter(
    (r) => r.idleSince !== null && now - r.idleSince >= config.taskManagerTimeoutMs,
  );
  const freeSlots = manager.registrations.reduce((sum, r) => sum + r.numberFreeSlots, 0);
  const slotsDiff = config.redundantTaskManagerNum * config.numSlotsPerWorker - freeSlots;
  if (slotsDiff > 0) return [];
  const maxRelease = Math.floor(-slotsDiff / config.numSlotsPerWorker);
  return timedOut.slice(0, Math.min(maxRelease, timedOut.length)).map((r) => r.instanceId);
}
