/**
 * The ResourceManager side of the slot manager (Flink's `ResourceActionsImpl` and the gateways the
 * slot manager reaches through `TaskExecutorConnection`): `requestSlot` asks to TaskExecutors and
 * their answers, `freeInactiveSlots`, not-enough-resources notifications to JobMasters, and the
 * worker requests and releases of the deployment.
 */
import type { AllocationID, InstanceID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import {
  onSlotRequestAnswer,
  type SlotManagerActions,
  type SlotRequestAnswer,
} from './slotmanager/declarativeSlotManager.js';
import { startNewWorker } from './activeWorkers.js';
import type { LeaderContext, ResourceManagerAskContext } from './resourceManagerContext.js';
import { releaseResource } from './taskExecutors.js';

export function slotManagerActions(rm: LeaderContext): SlotManagerActions {
  const worker = (instanceId: InstanceID) =>
    rm.leader.taskExecutors.find((t) => t.instanceId === instanceId);
  return {
    now: rm.now,
    newAllocationId: () => `alloc-${rm.state.idPrefix}${rm.state.nextId++}` as AllocationID,
    requestSlot: (instanceId, request) => {
      const target = worker(instanceId);
      if (target === undefined)
        throw new Error(`ResourceManager: no worker registered as ${instanceId}`);
      const context: ResourceManagerAskContext = {
        kind: 'requestSlot',
        grant: rm.leader.grant,
        slotId: request.slotId,
        allocationId: request.allocationId,
        jobId: request.jobId,
      };
      rm.out.ask(
        target.address,
        { type: 'requestSlot', ...request, resourceManagerId: rm.leader.resourceManagerId },
        rm.config.rpcTimeoutMs,
        context,
      );
    },
    freeInactiveSlots: (instanceId, jobId) => {
      const target = worker(instanceId);
      if (target !== undefined) rm.out.tell(target.address, { type: 'freeInactiveSlots', jobId });
    },
    notifyNotEnoughResourcesAvailable: (jobId, acquired) => {
      const jm = rm.leader.jobManagerRegistrations.find((r) => r.jobId === jobId);
      if (jm === undefined) return;
      rm.out.tell(jm.address, {
        type: 'notifyNotEnoughResourcesAvailable',
        fencingToken: jm.jobMasterId,
        acquiredResources: acquired,
      });
    },
    // `ResourceActionsImpl`: standalone cannot start a worker (`startNewWorker` is false) nor
    // stop one (`stopWorker` is false, so a release changes nothing).
    allocateResource: () => rm.leader.active !== null && startNewWorker(rm),
    releaseResource: (instanceId) =>
      releaseResource(rm, instanceId, 'TaskManager released by the slot manager.'),
  };
}

/** The answer to a `requestSlot` of this leadership; answers to an older leadership's asks are ignored. */
export function onRequestSlotAnswer(
  rm: LeaderContext,
  context: Extract<ResourceManagerAskContext, { kind: 'requestSlot' }>,
  answer: ClusterMessage | 'timeout' | 'unreachable',
): void {
  if (context.grant !== rm.leader.grant) return;
  const parsed: SlotRequestAnswer =
    typeof answer === 'object' && answer.type === 'requestSlot.acked'
      ? { kind: 'acked' }
      : typeof answer === 'object' && answer.type === 'requestSlot.occupied'
        ? { kind: 'occupied', allocationId: answer.allocationId, jobId: answer.jobId }
        : { kind: 'failed' };
  onSlotRequestAnswer(
    rm.leader.slotManager,
    rm.config.slotManager,
    context,
    parsed,
    slotManagerActions(rm),
  );
}
