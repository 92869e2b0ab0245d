/**
 * The TaskExecutor's connection to the ResourceManager leader (flink-protocol.md §2.1.2): leader
 * notifications, the retrying registration, the registration timeout, the initial slot report,
 * RM heartbeats answered with the slot report, and reconnection when the RM is lost.
 *
 * States (ours, named after Flink's fields): NO_RM (no address), REGISTERING (a connection
 * without an established registration), CONNECTED (`establishedResourceManagerConnection`).
 */
import { hasMutant } from '../mutants.js';
import type { InstanceID, ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import {
  monitorTarget,
  reportHeartbeat,
  unmonitorTarget,
  onHeartbeatRpcOutcome,
  type HeartbeatRpcOutcome,
} from '../heartbeat/heartbeatManager.js';
import {
  cancelRegistration,
  isCurrentAttempt,
  onRegistrationResult,
  onRetryTimer,
  startRegistration,
  type RegistrationPort,
  type RegistrationResult,
} from '../registration/retryingRegistration.js';
import { numberField, type Json } from '../sim/canonical.js';
import type { AskRef } from '../sim/effects.js';
import { askWith, type TaskExecutorContext } from './taskExecutorContext.js';
import { createSlotReport } from './taskSlotTable.js';

export const REGISTRATION_TIMEOUT_TIMER = 'registrationTimeout';
export const RM_REGISTRATION_RETRY_TIMER = 'resourceManagerRegistration/retry';

/** `isConnectedToResourceManager(rmId)`: CONNECTED, and to that leader when an id is given. */
export function isConnectedToResourceManager(
  te: TaskExecutorContext,
  resourceManagerId?: ResourceManagerId,
): boolean {
  const established = te.state.establishedResourceManagerConnection;
  return (
    established !== null &&
    (resourceManagerId === undefined || established.target.leaderId === resourceManagerId)
  );
}

/** `ResourceManagerLeaderListener#notifyLeaderAddress` → `notifyOfNewResourceManagerLeader`. */
export function onResourceManagerLeader(
  te: TaskExecutorContext,
  address: string | null,
  leaderId: string | null,
): void {
  te.state.resourceManagerAddress =
    address === null || leaderId === null
      ? null
      : { address, leaderId: leaderId as ResourceManagerId };
  reconnectToResourceManager(
    te,
    `ResourceManager leader changed to new address ${address ?? 'null'}`,
  );
}

/** `reconnectToResourceManager`: close, re-arm the registration timeout, connect if a leader is known. */
export function reconnectToResourceManager(te: TaskExecutorContext, cause: string): void {
  closeResourceManagerConnection(te, cause);
  startRegistrationTimeout(te);
  tryConnectToResourceManager(te);
}

/** `closeResourceManagerConnection`: tells an established RM `disconnectTaskManager`, cancels any registration. */
function closeResourceManagerConnection(te: TaskExecutorContext, cause: string): void {
  const established = te.state.establishedResourceManagerConnection;
  if (established !== null) {
    unmonitorTarget(
      te.state.resourceManagerHeartbeat,
      established.resourceManagerResourceId,
      te.out,
    );
    te.out.tell(established.target.address, {
      type: 'disconnectTaskManager',
      fencingToken: established.target.leaderId,
      resourceId: te.config.resourceId,
      cause,
    });
    te.state.establishedResourceManagerConnection = null;
  }
  const connection = te.state.resourceManagerConnection;
  if (connection !== null) {
    cancelRegistration(connection.registration, registrationPort(te));
    te.state.resourceManagerConnection = null;
  }
}

/** `startRegistrationTimeout`: a new id, so that a timeout armed earlier is recognised as stale. */
export function startRegistrationTimeout(te: TaskExecutorContext): void {
  const id = te.state.nextId++;
  te.state.currentRegistrationTimeoutId = id;
  te.out.armTimer(REGISTRATION_TIMEOUT_TIMER, te.config.registrationTimeoutMs, { id });
}

function stopRegistrationTimeout(te: TaskExecutorContext): void {
  te.state.currentRegistrationTimeoutId = null;
  te.out.cancelTimer(REGISTRATION_TIMEOUT_TIMER);
}

/** `registrationTimeout(id)`: still not registered with the RM → fatal error (the process exits). */
export function onRegistrationTimeout(te: TaskExecutorContext, data: Json): void {
  const id = numberField(data, 'id');
  if (id === null || id !== te.state.currentRegistrationTimeoutId) return;
  te.out.terminate(
    `RegistrationTimeoutException: could not register at the ResourceManager within ${te.config.registrationTimeoutMs} ms`,
  );
}

/** `tryConnectToResourceManager` → `connectToResourceManager`: a new connection starts registering. */
function tryConnectToResourceManager(te: TaskExecutorContext): void {
  const target = te.state.resourceManagerAddress;
  if (target === null) return;
  const id = te.state.nextId++;
  const registration = startRegistration(id, te.config.registration, registrationPort(te, target));
  te.state.resourceManagerConnection = { id, target, registration };
}

function registrationPort(
  te: TaskExecutorContext,
  target = te.state.resourceManagerConnection?.target,
): RegistrationPort {
  return {
    sendRegistration: (timeoutMs, context) => {
      if (target === undefined) throw new Error('TaskExecutor: RM registration without a target');
      te.out.ask(
        target.address,
        {
          type: 'registerTaskExecutor',
          fencingToken: target.leaderId,
          registration: {
            taskExecutorAddress: te.self,
            resourceId: te.config.resourceId,
            defaultSlotResourceProfile: te.config.defaultSlotResourceProfile,
            numberOfSlots: te.config.numberOfSlots,
          },
        },
        timeoutMs,
        { kind: 'rmRegistration', ...context },
      );
    },
    armRetry: (delayMs) => te.out.armTimer(RM_REGISTRATION_RETRY_TIMER, delayMs),
    cancelRetry: () => te.out.cancelTimer(RM_REGISTRATION_RETRY_TIMER),
  };
}

/** The retry delay of the RM registration elapsed. */
export function onResourceManagerRegistrationRetry(te: TaskExecutorContext): void {
  const connection = te.state.resourceManagerConnection;
  if (connection !== null) onRetryTimer(connection.registration, registrationPort(te));
}

/** An answer to the RM registration; answers of outdated connections or attempts are ignored. */
export function onResourceManagerRegistrationAnswer(
  te: TaskExecutorContext,
  context: Json,
  result: RegistrationResult,
  success: { instanceId: InstanceID; resourceManagerResourceId: ResourceID } | null,
): void {
  const connection = te.state.resourceManagerConnection;
  if (connection === null || !isCurrentAttempt(connection.registration, context)) return;
  const outcome = onRegistrationResult(
    connection.registration,
    result,
    te.config.registration,
    registrationPort(te),
  );
  if (outcome === 'rejected') {
    te.out.terminate(
      'TaskExecutorRegistrationRejection: the ResourceManager rejected the registration',
    );
  } else if (outcome === 'succeeded') {
    if (success === null) throw new Error('TaskExecutor: registration succeeded without a payload');
    establishResourceManagerConnection(
      te,
      connection.id,
      success.resourceManagerResourceId,
      success.instanceId,
    );
  }
}

/**
 * `establishResourceManagerConnection`: send the slot report, monitor the RM's heartbeat, and
 * count as CONNECTED at once (without waiting for the slot report's answer).
 */
function establishResourceManagerConnection(
  te: TaskExecutorContext,
  connectionId: number,
  resourceManagerResourceId: ResourceID,
  instanceId: InstanceID,
): void {
  const connection = te.state.resourceManagerConnection;
  if (connection === null) throw new Error('TaskExecutor: established without a connection');
  askWith(
    te,
    connection.target.address,
    {
      type: 'sendSlotReport',
      fencingToken: connection.target.leaderId,
      resourceId: te.config.resourceId,
      instanceId,
      slotReport: createSlotReport(te.state.taskSlotTable, te.config.resourceId),
    },
    { kind: 'slotReport', connection: connectionId },
  );
  monitorTarget(
    te.state.resourceManagerHeartbeat,
    resourceManagerResourceId,
    connection.target.address,
    te.config.heartbeat,
    te.out,
  );
  te.state.establishedResourceManagerConnection = {
    connectionId,
    target: connection.target,
    resourceManagerResourceId,
    instanceId,
  };
  stopRegistrationTimeout(te);
}

/**
 * The initial slot report failed: reconnect. Flink reconnects on any failure of that report,
 * without checking that the connection it was sent on is still the current one; so does the model.
 */
export function onSlotReportFailed(te: TaskExecutorContext): void {
  reconnectToResourceManager(te, 'Failed to send initial slot report to ResourceManager.');
}

/** `heartbeatFromResourceManager`: a monitored RM gets the slot report (`heartbeatFromTaskManager`). */
export function onHeartbeatFromResourceManager(
  te: TaskExecutorContext,
  origin: ResourceID,
  ask: AskRef | null,
): void {
  if (ask !== null) te.out.reply(ask, { type: 'heartbeatFromResourceManager.acked' });
  const established = te.state.establishedResourceManagerConnection;
  if (
    !reportHeartbeat(te.state.resourceManagerHeartbeat, origin, te.config.heartbeat, te.out) ||
    established === null
  )
    return;
  askWith(
    te,
    established.target.address,
    {
      type: 'heartbeatFromTaskManager',
      fencingToken: established.target.leaderId,
      resourceId: te.config.resourceId,
      heartbeatPayload: {
        slotReport: createSlotReport(te.state.taskSlotTable, te.config.resourceId),
      },
    },
    { kind: 'rmHeartbeat', resourceId: origin },
  );
}

/** The outcome of a heartbeat answer to the RM, for unreachable detection. */
export function onResourceManagerHeartbeatOutcome(
  te: TaskExecutorContext,
  resourceId: ResourceID,
  outcome: HeartbeatRpcOutcome,
): void {
  if (
    onHeartbeatRpcOutcome(
      te.state.resourceManagerHeartbeat,
      resourceId,
      outcome,
      te.config.heartbeat,
      te.out,
    ) === 'unreachable'
  ) {
    onResourceManagerLost(te, resourceId, 'The ResourceManager is unreachable.');
  }
}

/**
 * `ResourceManagerHeartbeatListener#notifyHeartbeatTimeout` / `notifyTargetUnreachable` →
 * `handleResourceManagerConnectionLoss`: only the established RM's loss triggers a reconnect.
 */
export function onResourceManagerLost(
  te: TaskExecutorContext,
  resourceId: ResourceID,
  cause: string,
): void {
  const established = te.state.establishedResourceManagerConnection;
  if (established !== null && established.resourceManagerResourceId === resourceId) {
    // FLINK-6160 (bug zoo): before 1.5.0 the connection was closed and never registered again.
    if (hasMutant(te.config.mutants, 'FLINK-6160:taskExecutorForgetsLostResourceManager'))
      closeResourceManagerConnection(te, cause);
    else reconnectToResourceManager(te, cause);
  }
}
