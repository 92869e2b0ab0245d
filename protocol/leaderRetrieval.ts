/**
 * Leader retrieval (Flink's `LeaderRetrievalService` / `LeaderRetrievalListener`): how a component
 * learns the address and session id of the current ResourceManager leader or of a job's JobMaster
 * leader. In the simulator the high-availability service is an endpoint of its own, `ha`, so that
 * a component learns of a leader change only when the notification reaches it, as it does from
 * ZooKeeper or Kubernetes.
 */
import { z } from 'zod';
import { JobID } from './ids.js';
import { RpcAddress } from './values.js';

/** The endpoint name of the simulated high-availability service. */
export const HA_ENDPOINT = 'ha';

/** Whose leader: the ResourceManager's (`jobId` null) or one job's JobMaster. */
const leaderOf = { jobId: JobID.nullable() };

export const startLeaderRetrieval = z.strictObject({
  type: z.literal('startLeaderRetrieval'),
  ...leaderOf,
});

export const stopLeaderRetrieval = z.strictObject({
  type: z.literal('stopLeaderRetrieval'),
  ...leaderOf,
});

/**
 * `LeaderRetrievalListener#notifyLeaderAddress`: the current leader, or none (both null). The
 * session id is the leader's fencing token (a ResourceManagerId or a JobMasterId).
 */
export const notifyLeaderAddress = z.strictObject({
  type: z.literal('notifyLeaderAddress'),
  ...leaderOf,
  leaderAddress: RpcAddress.nullable(),
  leaderSessionId: z.string().min(1).nullable(),
});

export const LeaderRetrievalMessage = z.discriminatedUnion('type', [
  startLeaderRetrieval,
  stopLeaderRetrieval,
  notifyLeaderAddress,
]);
export type LeaderRetrievalMessage = z.infer<typeof LeaderRetrievalMessage>;
export type NotifyLeaderAddress = z.infer<typeof notifyLeaderAddress>;
