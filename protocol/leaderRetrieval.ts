/**
 * Leader election and retrieval (Flink's `LeaderElectionService` / `LeaderContender` and
 * `LeaderRetrievalService` / `LeaderRetrievalListener`): how a process learns that it leads, and how
 * a component learns the address and session id of the current ResourceManager leader or of a
 * job's JobMaster leader. In the simulator the high-availability service is an endpoint of its own, `ha`, so that
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

/**
 * `LeaderContender#grantLeadership`: the process behind this endpoint becomes the leader under
 * this session id. For the ResourceManager a new leader is a new `ResourceManager` object with
 * empty state (`ResourceManagerServiceImpl#startNewLeaderResourceManager`).
 */
export const grantLeadership = z.strictObject({
  type: z.literal('grantLeadership'),
  leaderSessionId: z.string().min(1),
});

/** `LeaderContender#revokeLeadership`: the process is leader no more. */
export const revokeLeadership = z.strictObject({ type: z.literal('revokeLeadership') });

export const LeaderRetrievalMessage = z.discriminatedUnion('type', [
  startLeaderRetrieval,
  stopLeaderRetrieval,
  notifyLeaderAddress,
  grantLeadership,
  revokeLeadership,
]);
export type LeaderRetrievalMessage = z.infer<typeof LeaderRetrievalMessage>;
export type NotifyLeaderAddress = z.infer<typeof notifyLeaderAddress>;
