/**
 * The events the TaskExecutor's machines take. Inputs are what reaches the TaskExecutor: a
 * message of its gateway (the catalogue's types), an answer to one of its asks (the catalogue's
 * reply types, plus `<request>.timedOut`), a timer, a crash. Outputs (`out.<type>`) are messages
 * the TaskExecutor sends that a machine must allow and takes ids from. The monitor adds to some
 * events facts held by the other machines of the same TaskExecutor (`rmLeaderId`, `current`).
 */
import type { SlotOffer } from '../../protocol/values.js';

/** An answer to an ask, identified by the ask's id (the simulator's sequence number). */
interface Answer<T extends string> {
  readonly type: T;
  readonly askId: number;
}

/** Events of the ResourceManager-connection machine. */
export type ResourceManagerConnectionEvent =
  /** HA announced the RM leader (null: none). */
  | { readonly type: 'notifyLeaderAddress'; readonly leaderSessionId: string | null }
  /** Output: a registration attempt went to the RM leader with this fencing token. */
  | {
      readonly type: 'out.registerTaskExecutor';
      readonly askId: number;
      readonly fencingToken: string;
    }
  | (Answer<'registerTaskExecutor.succeeded'> & { readonly resourceManagerResourceId: string })
  | Answer<'registerTaskExecutor.rejected'>
  | Answer<'registerTaskExecutor.declined'>
  | Answer<'registerTaskExecutor.failed'>
  | Answer<'registerTaskExecutor.timedOut'>
  /** The registration's retry delay elapsed. */
  | { readonly type: 'registration.retry' }
  /** `taskmanager.registration.timeout` elapsed. */
  | { readonly type: 'registrationTimeout' }
  | Answer<'sendSlotReport.acked'>
  | Answer<'sendSlotReport.failed'>
  | Answer<'sendSlotReport.timedOut'>
  /** The RM closed the connection. */
  | { readonly type: 'disconnectResourceManager' }
  /** The heartbeat monitor of an RM timed out (`target` is its ResourceID). */
  | { readonly type: 'heartbeat.timedOut'; readonly target: string }
  /** A heartbeat answer to the RM was delivered, or failed as unreachable. */
  | { readonly type: 'heartbeat.delivered' }
  | { readonly type: 'heartbeat.unreachable' };

/** Events of a job's JobMaster-connection machine. */
export type JobManagerConnectionEvent =
  /** Output: the job entered the JobTable and its leader retrieval started. */
  | { readonly type: 'out.startLeaderRetrieval' }
  /** Output: the job was released and its leader retrieval stopped. */
  | { readonly type: 'out.stopLeaderRetrieval' }
  | { readonly type: 'notifyLeaderAddress'; readonly leaderSessionId: string | null }
  | {
      readonly type: 'out.registerTaskManager';
      readonly askId: number;
      readonly fencingToken: string;
    }
  | (Answer<'registerTaskManager.succeeded'> & { readonly jobMasterResourceId: string })
  | Answer<'registerTaskManager.rejected'>
  | Answer<'registerTaskManager.declined'>
  | Answer<'registerTaskManager.failed'>
  | Answer<'registerTaskManager.timedOut'>
  | { readonly type: 'registration.retry' }
  /** Output: the job's ALLOCATED slots were offered to the connected leader. */
  | {
      readonly type: 'out.offerSlots';
      readonly askId: number;
      readonly fencingToken: string;
      readonly offers: readonly SlotOffer[];
    }
  | { readonly type: 'disconnectJobManager' }
  | { readonly type: 'heartbeat.timedOut'; readonly target: string }
  | { readonly type: 'heartbeat.delivered' }
  | { readonly type: 'heartbeat.unreachable' };

/** Events of one slot's TaskSlot machine. */
export type TaskSlotEvent =
  /** The RM asks for this slot; `rmLeaderId` is the RM leader the TE is connected to, if any. */
  | {
      readonly type: 'requestSlot';
      readonly allocationId: string;
      readonly jobId: string;
      readonly resourceManagerId: string;
      readonly rmLeaderId: string | null;
    }
  | { readonly type: 'freeSlot'; readonly allocationId: string }
  | { readonly type: 'freeInactiveSlots'; readonly jobId: string }
  /** The slot's timeout fired. */
  | { readonly type: 'slotTimeout'; readonly allocationId: string }
  /** The answer to the newest offer of the job on a still valid connection (others are stale). */
  | { readonly type: 'offerSlots.accepted'; readonly accepted: boolean }
  | { readonly type: 'offerSlots.failed' }
  /** A task for this slot, from the JobMaster the job is connected to (`fromConnectedLeader`). */
  | {
      readonly type: 'submitTask';
      readonly allocationId: string;
      readonly jobId: string;
      readonly attempt: string;
      readonly fromConnectedLeader: boolean;
    }
  /** The connected JobMaster's heartbeat; `reported` says whether it lists this allocation. */
  | { readonly type: 'heartbeatFromJobManager'; readonly reported: boolean }
  /** The job's JobMaster connection was closed (leader lost, replaced, timed out, disconnected). */
  | { readonly type: 'jobDisconnected' }
  /** The job was released (its JobMaster rejected the TaskExecutor). */
  | { readonly type: 'jobReleased' }
  | { readonly type: 'taskTerminated'; readonly attempt: string };
