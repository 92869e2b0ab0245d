/**
 * The JobMaster's connection to the ResourceManager leader (flink-protocol.md §2.5.2, Flink's
 * `JobMaster#notifyOfNewResourceManagerLeader`, `reconnectToResourceManager`,
 * `connectToResourceManager`, `establishResourceManagerConnection`, `closeResourceManagerConnection`
 * and `dissolveResourceManagerConnection`, with the `ResourceManagerConnection` registration):
 * NO_RM (no leader known), REGISTERING (a connection whose registration has not succeeded),
 * CONNECTED (`establishedResourceManagerConnection`).
 */
import { hasMutant } from '../mutants.js';
import type { ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import {
  monitorTarget,
  onHeartbeatRpcOutcome,
  reportHeartbeat,
  unmonitorTarget,
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
import type { Json } from '../sim/canonical.js';
import type { AskRef } from '../sim/effects.js';
import * as declare from './declareResourceRequirementsConnection.js';
import { askWith, type LeaderContext } from './jobMasterContext.js';
import type { ResourceManagerAddress } from './jobMasterState.js';
import { DECLARE_RETRY_TIMER, declareActions, declareRequirements } from './slotPoolPort.js';

export const RM_REGISTRATION_RETRY_TIMER = 'resourceManagerRegistration/retry';

/** `ResourceManagerLeaderListener#notifyLeaderAddress` → `notifyOfNewResourceManagerLeader`. */
export function onResourceManagerLeader(
  jm: LeaderContext,
  address: string | null,
  leaderId: string | null,
): void {
  jm.leader.resourceManagerAddress =
    address === null || leaderId === null
      ? null
      : { address, resourceManagerId: leaderId as ResourceManagerId };
  reconnectToResourceManager(
    jm,
    `ResourceManager leader changed to new address ${address ?? 'null'}`,
  );
}

/** `reconnectToResourceManager`: close, then connect if a leader is known. */
export function reconnectToResourceManager(jm: LeaderContext, cause: string): void {
  closeResourceManagerConnection(jm, cause);
  const target = jm.leader.resourceManagerAddress;
  if (target !== null) connectToResourceManager(jm, target);
}

/**
 * `closeResourceManagerConnection`: an established connection is dissolved (unmonitored, the RM
 * told `disconnectJobManager` with the job's status, the pool stops declaring); a registration in
 * progress is cancelled.
 */
export function closeResourceManagerConnection(jm: LeaderContext, cause: string): void {
  const established = jm.leader.establishedResourceManagerConnection;
  if (established !== null) {
    unmonitorTarget(
      jm.leader.resourceManagerHeartbeat,
      established.resourceManagerResourceId,
      jm.out,
    );
    jm.out.tell(established.target.address, {
      type: 'disconnectJobManager',
      fencingToken: established.target.resourceManagerId,
      jobId: jm.config.jobId,
      jobStatus: jm.leader.scheduler.jobStatus,
      cause,
    });
    // DeclarativeSlotPoolService#disconnectResourceManager
    if (jm.leader.declare.state !== 'closed') declare.disconnect(jm.leader.declare);
    jm.out.cancelTimer(DECLARE_RETRY_TIMER);
    jm.leader.establishedResourceManagerConnection = null;
  }
  const connection = jm.leader.resourceManagerConnection;
  if (connection !== null) {
    cancelRegistration(connection.registration, registrationPort(jm, connection.target));
    jm.leader.resourceManagerConnection = null;
  }
}

function connectToResourceManager(jm: LeaderContext, target: ResourceManagerAddress): void {
  const id = jm.state.nextId++;
  const registration = startRegistration(id, jm.config.registration, registrationPort(jm, target));
  jm.leader.resourceManagerConnection = { id, target, registration };
}

function registrationPort(jm: LeaderContext, target: ResourceManagerAddress): RegistrationPort {
  return {
    sendRegistration: (timeoutMs, context) =>
      jm.out.ask(
        target.address,
        {
          type: 'registerJobMaster',
          fencingToken: target.resourceManagerId,
          jobMasterId: jm.leader.jobMasterId,
          resourceId: jm.config.resourceId,
          jobMasterAddress: jm.self,
          jobId: jm.config.jobId,
        },
        timeoutMs,
        { kind: 'rmRegistration', grant: jm.leader.grant, ...context },
      ),
    armRetry: (delayMs) =>
      jm.out.armTimer(RM_REGISTRATION_RETRY_TIMER, delayMs, { grant: jm.leader.grant }),
    cancelRetry: () => jm.out.cancelTimer(RM_REGISTRATION_RETRY_TIMER),
  };
}

/** The retry delay of the RM registration elapsed. */
export function onResourceManagerRegistrationRetry(jm: LeaderContext): void {
  const connection = jm.leader.resourceManagerConnection;
  if (connection !== null)
    onRetryTimer(connection.registration, registrationPort(jm, connection.target));
}

/**
 * An answer to the RM registration; answers of outdated connections or attempts are ignored. The
 * RM never rejects a JobMaster (Flink fails the JobMaster if it does; the catalogue has no such
 * answer), and a `Failure` is retried after the refused-registration delay.
 */
export function onResourceManagerRegistrationAnswer(
  jm: LeaderContext,
  context: Json,
  result: RegistrationResult,
  success: { resourceManagerId: ResourceManagerId; resourceManagerResourceId: ResourceID } | null,
): void {
  const connection = jm.leader.resourceManagerConnection;
  if (connection === null || !isCurrentAttempt(connection.registration, context)) return;
  const outcome = onRegistrationResult(
    connection.registration,
    result,
    jm.config.registration,
    registrationPort(jm, connection.target),
  );
  if (outcome !== 'succeeded') return;
  if (success === null) throw new Error('JobMaster: registration succeeded without a payload');
  // establishResourceManagerConnection: only for the connection's own target leader.
  if (success.resourceManagerId !== connection.target.resourceManagerId) return;
  jm.leader.establishedResourceManagerConnection = {
    connectionId: connection.id,
    target: connection.target,
    resourceManagerResourceId: success.resourceManagerResourceId,
  };
  // DeclarativeSlotPoolService#connectToResourceManager: declare the full current requirements.
  declare.connect(jm.leader.declare);
  declareRequirements(jm, jm.leader.slotPool.pool.totalResourceRequirements);
  monitorTarget(
    jm.leader.resourceManagerHeartbeat,
    success.resourceManagerResourceId,
    connection.target.address,
    jm.config.heartbeat,
    jm.out,
  );
}

/** The answer to a `declareRequiredResources` attempt (acked, or failed and retried). */
export function onDeclareAnswer(jm: LeaderContext, epoch: number, acked: boolean): void {
  declare.onDeclareAnswer(jm.leader.declare, epoch, acked, declareActions(jm));
}

/** The backoff of a declaration elapsed. */
export function onDeclareRetry(jm: LeaderContext, epoch: number): void {
  declare.onRetry(jm.leader.declare, epoch, declareActions(jm));
}

/** `disconnectResourceManager(rmId)`: reconnect if it names the RM leader we know of; else ignored. */
export function onDisconnectResourceManager(
  jm: LeaderContext,
  resourceManagerId: ResourceManagerId,
  cause: string,
): void {
  if (jm.leader.resourceManagerAddress?.resourceManagerId !== resourceManagerId) return;
  // FLINK-9408 (bug zoo): before 1.5.0 the connection was closed and never registered again.
  if (hasMutant(jm.config.mutants, 'FLINK-9408:jobMasterForgetsDisconnectedResourceManager'))
    closeResourceManagerConnection(jm, cause);
  else reconnectToResourceManager(jm, cause);
}

/**
 * `heartbeatFromResourceManager` → `requestHeartbeat`: the JobMaster is the receiver; a monitored
 * RM gets `heartbeatFromJobManager` back.
 */
export function onHeartbeatFromResourceManager(
  jm: LeaderContext,
  origin: ResourceID,
  ask: AskRef | null,
): void {
  if (ask !== null) jm.out.reply(ask, { type: 'heartbeatFromResourceManager.acked' });
  const established = jm.leader.establishedResourceManagerConnection;
  if (
    !reportHeartbeat(jm.leader.resourceManagerHeartbeat, origin, jm.config.heartbeat, jm.out) ||
    established === null
  )
    return;
  askWith(
    jm,
    established.target.address,
    {
      type: 'heartbeatFromJobManager',
      fencingToken: established.target.resourceManagerId,
      resourceId: jm.config.resourceId,
    },
    { kind: 'rmHeartbeat', grant: jm.leader.grant, resourceId: origin },
  );
}

/** The outcome of a heartbeat answer to the RM, for unreachable detection. */
export function onResourceManagerHeartbeatOutcome(
  jm: LeaderContext,
  resourceId: ResourceID,
  outcome: HeartbeatRpcOutcome,
): void {
  if (
    onHeartbeatRpcOutcome(
      jm.leader.resourceManagerHeartbeat,
      resourceId,
      outcome,
      jm.config.heartbeat,
      jm.out,
    ) === 'unreachable'
  )
    onResourceManagerLost(jm, resourceId, `ResourceManager ${resourceId} is unreachable.`);
}

/**
 * `ResourceManagerHeartbeatListener` → `handleResourceManagerConnectionLoss`: only the established
 * RM's loss reconnects.
 */
export function onResourceManagerLost(
  jm: LeaderContext,
  resourceId: ResourceID,
  cause: string,
): void {
  const established = jm.leader.establishedResourceManagerConnection;
  if (established !== null && established.resourceManagerResourceId === resourceId)
    reconnectToResourceManager(jm, cause);
}
