/**
 * Always-invariant of fencing (flink-protocol.md §5.4): a message from a superseded leader, or a
 * reply the caller no longer waits for, changes no state of its receiver.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import {
  jobMasterEndpoint,
  jobOfJobMasterEndpoint,
  RM_ENDPOINT,
} from '../../impl/cluster/clusterProcesses.js';
import type { FlinkClusterState } from '../../impl/cluster/flinkCluster.js';
import { canonicalJson } from '../../impl/sim/canonical.js';
import type { Envelope } from '../../impl/sim/world.js';
import { findJob } from '../../impl/taskexecutor/taskExecutorState.js';
import { stepInvariant, type StepInvariant } from '../invariant.js';

/** The receiver's whole process state, when it must not change. */
function processOf(state: FlinkClusterState, endpoint: string): unknown {
  if (endpoint === RM_ENDPOINT) return state.resourceManager;
  if (endpoint in state.taskExecutors) return state.taskExecutors[endpoint];
  if (endpoint in state.jobMasters) return state.jobMasters[endpoint];
  return undefined;
}

/**
 * Why the message is stale for its receiver in this state, or null when it is not: a fenced
 * gateway call with another leader's token (FencedRpcEndpoint), a TaskExecutor call with a
 * ResourceManagerId or JobMasterId it is not connected to (TaskExecutor#requestSlot,
 * #submitTask), or a reply to an ask that already timed out.
 */
export function staleness(
  state: FlinkClusterState,
  envelope: Envelope<ClusterMessage>,
  lateReply: boolean,
): string | null {
  if (lateReply) return 'a reply to an ask that already ended';
  if (!('msg' in envelope)) return null;
  const msg = envelope.msg;
  const to = envelope.to;
  if ('fencingToken' in msg) {
    if (to === RM_ENDPOINT) {
      const current = state.resourceManager?.leader?.resourceManagerId ?? null;
      if (msg.fencingToken !== current)
        return `fencing token ${msg.fencingToken}, the ResourceManager leads as ${current ?? 'nobody'}`;
    } else if (to === jobMasterEndpoint(jobOfJobMasterEndpoint(to))) {
      const current = state.jobMasters[to]?.leader?.jobMasterId ?? null;
      if (msg.fencingToken !== current)
        return `fencing token ${msg.fencingToken}, the JobMaster leads as ${current ?? 'nobody'}`;
    }
  }
  const te = state.taskExecutors[to] ?? null;
  if (te === null) return null;
  if (msg.type === 'requestSlot') {
    const connected = te.establishedResourceManagerConnection?.target.leaderId ?? null;
    if (msg.resourceManagerId !== connected)
      return `ResourceManagerId ${msg.resourceManagerId}, the TaskExecutor is connected to ${connected ?? 'no ResourceManager'}`;
  }
  if (msg.type === 'submitTask') {
    const connected = findJob(te, msg.tdd.jobId)?.connection?.target.leaderId ?? null;
    if (msg.jobMasterId !== connected)
      return `JobMasterId ${msg.jobMasterId}, ${msg.tdd.jobId} is connected to ${connected ?? 'no JobMaster'}`;
  }
  return null;
}

interface StaleDigest {
  readonly why: string;
  readonly endpoint: string;
  readonly type: string;
  readonly process: string;
}

export const staleMessagesChangeNothing: StepInvariant = stepInvariant<StaleDigest | null>({
  name: 'staleMessagesChangeNothing',
  scope: 'receiver',
  kind: 'always',
  guarantee:
    'FencedRpcEndpoint and the TaskExecutor refuse calls with a superseded leader id, and an ask answered after its timeout is ignored: neither changes the receiver',
  before: (state, _step, message) => {
    if (message === null) return null;
    const { envelope } = message;
    const why = staleness(state, envelope, message.lateReply);
    if (why === null) return null;
    return {
      why,
      endpoint: envelope.to,
      type: 'msg' in envelope ? envelope.msg.type : 'RecipientUnreachableException',
      process: canonicalJson(processOf(state, envelope.to)),
    };
  },
  check: (before, _record, after) => {
    if (before === null) return [];
    if (canonicalJson(processOf(after, before.endpoint)) === before.process) return [];
    return [`${before.endpoint} changed on a stale ${before.type} (${before.why})`];
  },
});
