/**
 * The worker bookkeeping of an active deployment (Flink 1.15 `ActiveResourceManager`, with the
 * resource provider behind the `ResourceManagerDriver` messages): requested workers are pending
 * until they register, a requested worker that does not register within
 * `resourcemanager.taskmanager-registration.timeout` is stopped, and whenever a request fails or a
 * pending worker goes away the ResourceManager requests workers again until as many are pending
 * as the slot manager's pending slots need (`requestWorkerIfRequired`).
 *
 * The model has one worker spec (the default one), so Flink's per-spec counters are single numbers.
 */
import type { ResourceID } from '../../protocol/ids.js';
import { checkState } from '../assertions.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { AskFailure } from '../sim/system.js';
import type { LeaderContext, ResourceManagerAskContext } from './resourceManagerContext.js';
import * as slotManager from './slotmanager/declarativeSlotManager.js';

export const WORKER_REGISTRATION_TIMEOUT_PREFIX = 'workerRegistrationTimeout/';
export const START_WORKER_COOL_DOWN_TIMER = 'startWorkerCoolDown';
/** `ThresholdMeter`'s interval for `resourcemanager.start-worker.max-failure-rate` (per minute). */
const FAILURE_RATE_INTERVAL_MS = 60_000;

export interface ActiveWorkers {
  /** `pendingWorkerCounter`: requested workers that have not registered yet. */
  pendingWorkerCount: number;
  /** `workerNodeMap`: every worker the driver started (or recovered) and not yet stopped. */
  workerNodes: ResourceID[];
  /** `currentAttemptUnregisteredWorkers`: started by this leadership, not registered yet. */
  currentAttemptUnregistered: ResourceID[];
  /** `previousAttemptUnregisteredWorkers`: recovered from an earlier attempt, not registered yet. */
  previousAttemptUnregistered: ResourceID[];
  /** Workers whose registration-timeout check is scheduled (cancelled when the leadership ends). */
  registrationChecks: ResourceID[];
  /** `startWorkerFailureRater`: when recent start failures happened. */
  startWorkerFailures: number[];
  /** `startWorkerCoolDown` not done: new requests wait for it (1.15 chains them on the future). */
  coolingDown: boolean;
  /** Requests counted as pending that wait for the cool-down to end. */
  deferredRequests: number;
}

export function createActiveWorkers(): ActiveWorkers {
  return {
    pendingWorkerCount: 0,
    workerNodes: [],
    currentAttemptUnregistered: [],
    previousAttemptUnregistered: [],
    registrationChecks: [],
    startWorkerFailures: [],
    coolingDown: false,
    deferredRequests: 0,
  };
}

/** `PendingWorkerCounter#decreaseAndGet` checks that a pending worker is there to count off. */
function decreasePending(active: ActiveWorkers): void {
  checkState(
    active.pendingWorkerCount > 0,
    'PendingWorkerCounter#decreaseAndGet',
    'no pending worker to count off',
  );
  active.pendingWorkerCount--;
}

function remove(list: ResourceID[], resourceId: ResourceID): boolean {
  const i = list.indexOf(resourceId);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}

function activeOf(rm: LeaderContext): ActiveWorkers {
  const active = rm.leader.active;
  if (active === null) throw new Error('ResourceManager: worker bookkeeping outside active mode');
  return active;
}

/** `startNewWorker` (the slot manager's `allocateResource`): an active deployment always tries. */
export function startNewWorker(rm: LeaderContext): boolean {
  requestNewWorker(rm);
  return true;
}

/**
 * `requestNewWorker`: count the worker as pending, then ask the driver for it once the start-worker
 * cool-down (if any) is over (`startWorkerCoolDown.thenCompose(requestResource)`).
 */
function requestNewWorker(rm: LeaderContext): void {
  const active = activeOf(rm);
  active.pendingWorkerCount++;
  if (active.coolingDown) active.deferredRequests++;
  else askForWorker(rm);
}

function askForWorker(rm: LeaderContext): void {
  const context: ResourceManagerAskContext = {
    kind: 'requestResource',
    grant: rm.leader.grant,
  };
  rm.out.ask(
    rm.config.resourceProvider,
    { type: 'requestResource' },
    rm.config.rpcTimeoutMs,
    context,
  );
}

/**
 * The `requestResource` future completes: the worker is known and must register in time; or the
 * request failed, the worker is no longer pending, and the ResourceManager asks again if needed.
 * The futures of an earlier leadership's driver are dropped (that driver was terminated).
 */
export function onRequestResourceAnswer(
  rm: LeaderContext,
  context: Extract<ResourceManagerAskContext, { kind: 'requestResource' }>,
  answer: ClusterMessage | AskFailure,
): void {
  if (context.grant !== rm.leader.grant) return;
  const active = activeOf(rm);
  if (typeof answer === 'object' && answer.type === 'requestResource.allocated') {
    active.workerNodes.push(answer.resourceId);
    active.currentAttemptUnregistered.push(answer.resourceId);
    scheduleWorkerRegistrationTimeoutCheck(rm, answer.resourceId);
    return;
  }
  decreasePending(active);
  recordWorkerFailureAndPauseWorkerCreationIfNeeded(rm);
  requestWorkerIfRequired(rm);
}

/**
 * `recordWorkerFailureAndPauseWorkerCreationIfNeeded`: once `max-failure-rate` start failures fall
 * within a minute, new requests wait for `resourcemanager.start-worker.retry-interval`.
 */
function recordWorkerFailureAndPauseWorkerCreationIfNeeded(rm: LeaderContext): void {
  const active = activeOf(rm);
  active.startWorkerFailures = [
    ...active.startWorkerFailures.filter((t) => rm.now - t < FAILURE_RATE_INTERVAL_MS),
    rm.now,
  ];
  if (active.startWorkerFailures.length < rm.config.startWorkerMaxFailureRate) return;
  if (active.coolingDown) return; // tryResetWorkerCreationCoolDown: only when done
  active.coolingDown = true;
  rm.out.armTimer(START_WORKER_COOL_DOWN_TIMER, rm.config.startWorkerRetryIntervalMs);
}

/** The cool-down is done: the requests that waited for it go to the driver. */
export function onStartWorkerCoolDownEnd(rm: LeaderContext): void {
  const active = activeOf(rm);
  active.coolingDown = false;
  const waiting = active.deferredRequests;
  active.deferredRequests = 0;
  for (let i = 0; i < waiting; i++) askForWorker(rm);
}

/** `onPreviousAttemptWorkersRecovered`: workers of an earlier attempt, which must register in time too. */
export function onPreviousAttemptWorkersRecovered(
  rm: LeaderContext,
  resourceIds: readonly ResourceID[],
): void {
  const active = activeOf(rm);
  for (const resourceId of resourceIds) {
    active.workerNodes.push(resourceId);
    active.previousAttemptUnregistered.push(resourceId);
    scheduleWorkerRegistrationTimeoutCheck(rm, resourceId);
  }
}

function scheduleWorkerRegistrationTimeoutCheck(rm: LeaderContext, resourceId: ResourceID): void {
  const active = activeOf(rm);
  if (!active.registrationChecks.includes(resourceId)) active.registrationChecks.push(resourceId);
  rm.out.armTimer(
    `${WORKER_REGISTRATION_TIMEOUT_PREFIX}${resourceId}`,
    rm.config.workerRegistrationTimeoutMs,
  );
}

/** The registration-timeout check: a worker still unregistered is stopped and replaced if needed. */
export function onWorkerRegistrationTimeout(rm: LeaderContext, resourceId: ResourceID): void {
  const active = activeOf(rm);
  remove(active.registrationChecks, resourceId);
  if (
    !active.currentAttemptUnregistered.includes(resourceId) &&
    !active.previousAttemptUnregistered.includes(resourceId)
  )
    return;
  internalStopWorker(rm, resourceId, `Worker ${resourceId} did not register in time.`);
  requestWorkerIfRequired(rm);
}

/** `requestWorkerIfRequired`: request workers until as many are pending as the slot manager needs. */
export function requestWorkerIfRequired(rm: LeaderContext): void {
  const required = slotManager.getRequiredWorkers(rm.leader.slotManager, rm.config.slotManager);
  while (required > activeOf(rm).pendingWorkerCount) requestNewWorker(rm);
}

/** `workerStarted`: whether a registering TaskExecutor is a worker this deployment knows. */
export function workerStarted(rm: LeaderContext, resourceId: ResourceID): boolean {
  return rm.leader.active === null || rm.leader.active.workerNodes.includes(resourceId);
}

/** `onWorkerRegistered`: the worker is no longer pending. */
export function onWorkerRegistered(rm: LeaderContext, resourceId: ResourceID): void {
  const active = rm.leader.active;
  if (active === null) return;
  if (remove(active.currentAttemptUnregistered, resourceId)) decreasePending(active);
  remove(active.previousAttemptUnregistered, resourceId);
}

/** `internalStopWorker`: release the worker at the provider if the deployment knows it, and forget it. */
function internalStopWorker(rm: LeaderContext, resourceId: ResourceID, cause: string): void {
  if (activeOf(rm).workerNodes.includes(resourceId))
    rm.out.tell(rm.config.resourceProvider, { type: 'releaseResource', resourceId, cause });
  clearStateForWorker(rm, resourceId);
}

/**
 * `stopWorker`: standalone cannot (false); active stops the worker (a pending one stops being
 * pending) and says true.
 */
export function stopWorker(rm: LeaderContext, resourceId: ResourceID, cause: string): boolean {
  if (rm.leader.active === null) return false;
  internalStopWorker(rm, resourceId, cause);
  return true;
}

/** `clearStateForWorker` */
function clearStateForWorker(rm: LeaderContext, resourceId: ResourceID): void {
  const active = activeOf(rm);
  if (!remove(active.workerNodes, resourceId)) return;
  if (remove(active.currentAttemptUnregistered, resourceId)) decreasePending(active);
  remove(active.previousAttemptUnregistered, resourceId);
}

/** The leadership ends: its scheduled registration checks and cool-down do not run. */
export function cancelWorkerRegistrationChecks(rm: LeaderContext): void {
  rm.out.cancelTimer(START_WORKER_COOL_DOWN_TIMER);
  for (const resourceId of activeOf(rm).registrationChecks)
    rm.out.cancelTimer(`${WORKER_REGISTRATION_TIMEOUT_PREFIX}${resourceId}`);
}
