/**
 * What every JobMaster handler works with, and the contexts of the asks it sends. Every context
 * names the grant (leadership) that sent it: the futures of a closed `JobMaster` complete on a main
 * thread that no longer runs, so an answer to an earlier grant changes nothing.
 */
import type { ResourceID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Out } from '../sim/effects.js';
import type { EndpointId } from '../sim/world.js';
import type { JobMasterConfig, JobMasterLeadership, JobMasterState } from './jobMasterState.js';

export interface JobMasterContext {
  readonly state: JobMasterState;
  readonly config: JobMasterConfig;
  readonly out: Out<ClusterMessage>;
  /** This JobMaster's endpoint, which is also its RPC address. */
  readonly self: EndpointId;
  readonly now: number;
}

/** A handler context while this process leads its job. */
export interface LeaderContext extends JobMasterContext {
  readonly leader: JobMasterLeadership;
}

export type JobMasterAskContext =
  | { kind: 'rmRegistration'; grant: number; registration: number; attempt: number }
  | { kind: 'declareRequiredResources'; grant: number; epoch: number }
  | { kind: 'tmHeartbeat'; grant: number; resourceId: ResourceID }
  | { kind: 'rmHeartbeat'; grant: number; resourceId: ResourceID }
  | { kind: 'submitTask'; grant: number; round: number; index: number }
  | { kind: 'freeSlot' };

/** Sends an ask with one of the JobMaster's contexts. */
export function askWith(
  jm: JobMasterContext,
  to: EndpointId,
  msg: ClusterMessage,
  context: JobMasterAskContext,
): void {
  jm.out.ask(to, msg, jm.config.rpcTimeoutMs, context);
}
