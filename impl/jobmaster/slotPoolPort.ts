/**
 * How the JobMaster's slot pool service and TaskExecutor registry reach outside (Flink wires these
 * as the `DeclarativeSlotPoolService`'s declare function, `RpcTaskManagerGateway#freeSlot`, the
 * scheduler's slot request futures, and the JobMaster's heartbeat manager and gateways): one port,
 * built per handler call from the JobMaster's context.
 */
import type { ResourceID } from '../../protocol/ids.js';
import type { ResourceRequirement } from '../../protocol/values.js';
import { monitorTarget, unmonitorTarget } from '../heartbeat/heartbeatManager.js';
import type { ResourceCounter } from '../resources/resourceCounter.js';
import * as declare from './declareResourceRequirementsConnection.js';
import { askWith, type LeaderContext } from './jobMasterContext.js';
import { onPayloadReleased, onSlotRequestFailed, onSlotRequestFulfilled } from './scheduler.js';
import type { TaskManagersActions } from './taskManagers.js';

export const DECLARE_RETRY_TIMER = 'declareResourceRequirements/retry';

function requirementsOf(counter: ResourceCounter): ResourceRequirement[] {
  return Object.entries(counter)
    .filter(([, n]) => n > 0)
    .map(([resourceProfile, numberOfRequiredSlots]) => ({
      resourceProfile,
      numberOfRequiredSlots,
    }));
}

/** Where `declareRequiredResources` goes: the established RM connection, fenced by its leader id. */
export function declareActions(jm: LeaderContext): declare.DeclareActions {
  return {
    send: (requirements, epoch) => {
      const rm = jm.leader.establishedResourceManagerConnection;
      if (rm === null) return; // connected implies established; nothing to send to otherwise
      askWith(
        jm,
        rm.target.address,
        {
          type: 'declareRequiredResources',
          fencingToken: rm.target.resourceManagerId,
          jobMasterId: jm.leader.jobMasterId,
          resourceRequirements: requirements,
        },
        { kind: 'declareRequiredResources', grant: jm.leader.grant, epoch },
      );
    },
    armRetry: (epoch, delayMs) =>
      jm.out.armTimer(DECLARE_RETRY_TIMER, delayMs, { grant: jm.leader.grant, epoch }),
  };
}

/** `declareResourceRequirements` of the connection manager, with the job's current total. */
export function declareRequirements(jm: LeaderContext, counter: ResourceCounter): void {
  if (jm.leader.declare.state === 'closed') return;
  declare.declareResourceRequirements(
    jm.leader.declare,
    {
      jobId: jm.config.jobId,
      targetAddress: jm.self,
      resourceRequirements: requirementsOf(counter),
    },
    declareActions(jm),
  );
}

export function slotPoolActions(jm: LeaderContext): TaskManagersActions {
  return {
    now: jm.now,
    mutants: jm.config.mutants,
    declareResourceRequirements: (counter) => declareRequirements(jm, counter),
    freeSlot: (slot, cause) => {
      const tm = jm.leader.registeredTaskManagers.find((r) => r.resourceId === slot.taskManager);
      if (tm === undefined) return;
      // A failure is only logged: "will be synced via heartbeat".
      askWith(
        jm,
        tm.address,
        { type: 'freeSlot', allocationId: slot.allocationId, cause },
        { kind: 'freeSlot' },
      );
    },
    requestFulfilled: (slotRequestId, slot) => onSlotRequestFulfilled(jm, slotRequestId, slot),
    requestFailed: (slotRequestId, cause) => onSlotRequestFailed(jm, slotRequestId, cause),
    payloadReleased: (slotRequestId, cause) => onPayloadReleased(jm, slotRequestId, cause),
    armRequestTimeout: () => {
      throw new Error(
        'JobMaster: streaming slot requests carry no timeout (the bulk checker has it)',
      );
    },
    monitorTaskManager: (resourceId: ResourceID, address: string) =>
      monitorTarget(
        jm.leader.taskManagerHeartbeat,
        resourceId,
        address,
        jm.config.heartbeat,
        jm.out,
      ),
    unmonitorTaskManager: (resourceId: ResourceID) =>
      unmonitorTarget(jm.leader.taskManagerHeartbeat, resourceId, jm.out),
    disconnectJobManager: (address, cause) =>
      jm.out.tell(address, { type: 'disconnectJobManager', jobId: jm.config.jobId, cause }),
  };
}
