/**
 * What travels between the endpoints of a simulated Flink cluster: protocol messages and replies
 * from the catalogue, and leader-retrieval notifications. One union, so that the simulator, the
 * components and the trace all speak the catalogue's vocabulary.
 */
import type { ProtocolMessage, ProtocolReply } from '../../protocol/catalogue.js';
import type { LeaderRetrievalMessage } from '../../protocol/leaderRetrieval.js';

export type ClusterMessage = ProtocolMessage | ProtocolReply | LeaderRetrievalMessage;
