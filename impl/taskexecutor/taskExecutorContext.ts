/**
 * What every TaskExecutor handler works with: its state, its configuration, where its effects go,
 * and the ask contexts it attaches to the asks it sends so that each answer finds its way back to
 * the right handler (Flink attaches callbacks to futures; the model attaches data).
 */
import type { AllocationID, JobID, JobMasterId, ResourceID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Out } from '../sim/effects.js';
import type { EndpointId } from '../sim/world.js';
import type { TaskExecutorConfig, TaskExecutorState } from './taskExecutorState.js';

export interface TaskExecutorContext {
  readonly state: TaskExecutorState;
  readonly config: TaskExecutorConfig;
  readonly out: Out<ClusterMessage>;
  /** This TaskExecutor's endpoint, which is also its RPC address. */
  readonly self: EndpointId;
  readonly now: number;
}

/** The context of each kind of ask the TaskExecutor sends. */
export type TaskExecutorAskContext =
  | { kind: 'rmRegistration'; registration: number; attempt: number }
  | { kind: 'slotReport'; connection: number }
  | { kind: 'rmHeartbeat'; resourceId: ResourceID }
  | { kind: 'jmRegistration'; jobId: JobID; registration: number; attempt: number }
  | {
      kind: 'offer';
      jobId: JobID;
      offerId: number;
      jobMasterId: JobMasterId;
      offered: AllocationID[];
    }
  | { kind: 'jmHeartbeat'; resourceId: ResourceID }
  | { kind: 'disconnectTaskManager' };

/** Sends an ask with one of the TaskExecutor's contexts. */
export function askWith(
  te: TaskExecutorContext,
  to: EndpointId,
  msg: ClusterMessage,
  context: TaskExecutorAskContext,
): void {
  te.out.ask(to, msg, te.config.rpcTimeoutMs, context);
}
