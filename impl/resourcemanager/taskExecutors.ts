/**
 * TaskExecutors at the ResourceManager (flink-protocol.md §2.2.3, §2.2.4): registration with a
 * fresh InstanceID each time (a re-registration of the same ResourceID replaces the old one), the
 * initial slot report, `notifySlotAvailable`, `disconnectTaskManager`, and
 * `closeTaskManagerConnection`.
 */
import type { InstanceID, ResourceID, SlotID } from '../../protocol/ids.js';
import type { SlotReport, TaskExecutorRegistration } from '../../protocol/values.js';
import { monitorTarget, unmonitorTarget } from '../heartbeat/heartbeatManager.js';
import type { AskRef } from '../sim/effects.js';
import { onWorkerRegistered, stopWorker, workerStarted } from './activeWorkers.js';
import * as slotManager from './slotmanager/declarativeSlotManager.js';
import type { LeaderContext, ResourceManagerAskContext } from './resourceManagerContext.js';
import { slotManagerActions } from './slotManagerPort.js';

/**
 * `registerTaskExecutor` → `registerTaskExecutorInternal`. A ResourceID already registered is
 * unregistered first (its slots leave the slot manager; JobMasters are not told). Standalone
 * accepts every worker; active accepts only the workers its driver started or recovered
 * (`workerStarted`), and refuses the others for good, which makes them terminate. The heartbeat
 * monitor of a ResourceID already monitored stays as it is.
 */
export function onRegisterTaskExecutor(
  rm: LeaderContext,
  registration: TaskExecutorRegistration,
  ask: AskRef | null,
): void {
  const { resourceId } = registration;
  const old = rm.leader.taskExecutors.find((t) => t.resourceId === resourceId);
  if (old !== undefined) {
    rm.leader.taskExecutors = rm.leader.taskExecutors.filter((t) => t !== old);
    slotManager.unregisterTaskManager(
      rm.leader.slotManager,
      rm.config.slotManager,
      old.instanceId,
      slotManagerActions(rm),
    );
  }
  if (!workerStarted(rm, resourceId)) {
    if (ask !== null)
      rm.out.reply(ask, {
        type: 'registerTaskExecutor.rejected',
        reason: 'The ResourceManager does not recognize this TaskExecutor.',
      });
    return;
  }
  const instanceId = `instance-${rm.state.idPrefix}${rm.state.nextId++}` as InstanceID;
  rm.leader.taskExecutors.push({
    resourceId,
    instanceId,
    address: registration.taskExecutorAddress,
  });
  monitorTarget(
    rm.leader.taskManagerHeartbeat,
    resourceId,
    registration.taskExecutorAddress,
    rm.config.heartbeat,
    rm.out,
  );
  if (ask !== null) {
    rm.out.reply(ask, {
      type: 'registerTaskExecutor.succeeded',
      instanceId,
      resourceManagerResourceId: rm.config.resourceId,
    });
  }
}

/**
 * `sendSlotReport`: the worker must be registered under this InstanceID (Flink has no null check
 * for an unknown ResourceID: the RPC fails with a NullPointerException, modelled as a failure),
 * then the slot manager registers it, or takes the report as a status update if it knows it.
 */
export function onSendSlotReport(
  rm: LeaderContext,
  resourceId: ResourceID,
  instanceId: InstanceID,
  report: SlotReport,
  ask: AskRef | null,
): void {
  const reply = (msg: Parameters<typeof rm.out.reply>[1]) => {
    if (ask !== null) rm.out.reply(ask, msg);
  };
  const worker = rm.leader.taskExecutors.find((t) => t.resourceId === resourceId);
  if (worker === undefined) {
    reply({
      type: 'sendSlotReport.failed',
      exception: 'UnknownTaskManagerRegistration',
      reason: 'NullPointerException: no worker registered',
    });
    return;
  }
  if (worker.instanceId !== instanceId) {
    reply({
      type: 'sendSlotReport.failed',
      exception: 'UnknownTaskManagerRegistration',
      reason: `Unknown TaskManager registration id ${instanceId}.`,
    });
    return;
  }
  const outcome = slotManager.registerTaskManager(
    rm.leader.slotManager,
    rm.config.slotManager,
    instanceId,
    resourceId,
    report,
    slotManagerActions(rm),
  );
  // The worker counts as registered once the slot manager took it (1.15 `sendSlotReport`). A
  // rejection already went through `releaseResource` (stop the worker, close the connection;
  // standalone cannot, so the TaskExecutor stays registered without slots, as in 1.15).
  if (outcome === 'registered') onWorkerRegistered(rm, resourceId);
  reply({ type: 'sendSlotReport.acked' });
}

/** `notifySlotAvailable`: acted on only for the worker's current InstanceID; the AllocationID is ignored. */
export function onNotifySlotAvailable(
  rm: LeaderContext,
  instanceId: InstanceID,
  slotId: SlotID,
): void {
  const worker = rm.leader.taskExecutors.find((t) => t.resourceId === slotId.resourceId);
  if (worker === undefined || worker.instanceId !== instanceId) return;
  slotManager.freeSlot(
    rm.leader.slotManager,
    rm.config.slotManager,
    slotId,
    slotManagerActions(rm),
  );
}

/** `disconnectTaskManager` (no InstanceID check): close the connection, stop the worker if the deployment can. */
export function onDisconnectTaskManager(
  rm: LeaderContext,
  resourceId: ResourceID,
  cause: string,
): void {
  handleTaskManagerConnectionLoss(rm, resourceId, cause);
}

/**
 * A TaskExecutor is gone (disconnect, heartbeat timeout, unreachable): close its connection and,
 * if it was registered, stop its worker where the deployment can
 * (`closeTaskManagerConnection(...).ifPresent(stopWorker)`).
 */
export function handleTaskManagerConnectionLoss(
  rm: LeaderContext,
  resourceId: ResourceID,
  cause: string,
): void {
  if (closeTaskManagerConnection(rm, resourceId, cause)) stopWorker(rm, resourceId, cause);
}

/**
 * `ResourceManager#releaseResource` (the slot manager's `releaseResource`): stop the worker of this
 * InstanceID and close its connection; standalone cannot stop it, so nothing changes. An unknown
 * InstanceID is unregistered from the slot manager to clean up what it may still hold.
 */
export function releaseResource(rm: LeaderContext, instanceId: InstanceID, cause: string): void {
  const worker = rm.leader.taskExecutors.find((t) => t.instanceId === instanceId);
  if (worker === undefined) {
    slotManager.unregisterTaskManager(
      rm.leader.slotManager,
      rm.config.slotManager,
      instanceId,
      slotManagerActions(rm),
    );
    return;
  }
  if (stopWorker(rm, worker.resourceId, cause))
    closeTaskManagerConnection(rm, worker.resourceId, cause);
}

/**
 * `closeTaskManagerConnection`: stop monitoring, forget the worker, unregister it at the slot
 * manager, tell every registered JobMaster `disconnectTaskManager`, and tell the TaskExecutor
 * `disconnectResourceManager` so that a live one registers again. True if a worker was registered.
 */
export function closeTaskManagerConnection(
  rm: LeaderContext,
  resourceId: ResourceID,
  cause: string,
): boolean {
  unmonitorTarget(rm.leader.taskManagerHeartbeat, resourceId, rm.out);
  const worker = rm.leader.taskExecutors.find((t) => t.resourceId === resourceId);
  if (worker === undefined) return false;
  rm.leader.taskExecutors = rm.leader.taskExecutors.filter((t) => t !== worker);
  slotManager.unregisterTaskManager(
    rm.leader.slotManager,
    rm.config.slotManager,
    worker.instanceId,
    slotManagerActions(rm),
  );
  const context: ResourceManagerAskContext = { kind: 'disconnectTaskManager' };
  for (const jm of rm.leader.jobManagerRegistrations) {
    rm.out.ask(
      jm.address,
      { type: 'disconnectTaskManager', fencingToken: jm.jobMasterId, resourceId, cause },
      rm.config.rpcTimeoutMs,
      context,
    );
  }
  rm.out.tell(worker.address, { type: 'disconnectResourceManager', cause });
  return true;
}
