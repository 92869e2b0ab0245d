/**
 * The events the ResourceManager's machines take: inputs that reach the RM (catalogue messages and
 * answers to its asks), outputs it sends (`out.…`) where a decision of the RM lives, and facts the
 * monitor derives from a sibling machine (a TaskExecutor's registration adding or removing its
 * slots).
 */

/** Events of the RM process's leadership. */
export type LeadershipEvent =
  | { readonly type: 'grantLeadership'; readonly leaderSessionId: string }
  | { readonly type: 'revokeLeadership' }
  /** Active: the driver's `initialize` for grant number `grant` answered with the recovered workers. */
  | { readonly type: 'initialize.recovered'; readonly grant: number }
  /** Active: the driver's `initialize` for that grant failed, timed out or found the provider unreachable. */
  | { readonly type: 'initialize.failed'; readonly grant: number };

/** Events of one TaskExecutor's registration at the RM leader (keyed by ResourceID). */
export type TaskExecutorRegistrationEvent =
  /** Output: the RM accepted a registration under a new InstanceID. */
  | { readonly type: 'out.registerTaskExecutor.succeeded'; readonly instanceId: string }
  /** The TaskExecutor's initial slot report, under this InstanceID. */
  | { readonly type: 'sendSlotReport'; readonly instanceId: string }
  /** Output: an active RM refused a worker its driver did not start (`workerStarted` is null). */
  | { readonly type: 'out.registerTaskExecutor.rejected' }
  /** Output: `closeTaskManagerConnection` told the TaskExecutor to reconnect. */
  | { readonly type: 'out.disconnectResourceManager' };

/** Events of one slot (SlotID) at the slot manager. */
export type SlotManagerSlotEvent =
  /** The slot's TaskExecutor registered at the slot manager; the report gives the slot's job, if any. */
  | { readonly type: 'registered'; readonly jobId: string | null }
  /** Output: the slot manager asked for the slot for a job under a new AllocationID. */
  | { readonly type: 'out.requestSlot'; readonly jobId: string; readonly allocationId: string }
  | { readonly type: 'requestSlot.acked'; readonly allocationId: string }
  | { readonly type: 'requestSlot.occupied'; readonly allocationId: string; readonly jobId: string }
  /** The request failed: an exception, a timeout or an unreachable TaskExecutor. */
  | { readonly type: 'requestSlot.failed'; readonly allocationId: string }
  /** A slot report (initial of a known TaskExecutor, or in a heartbeat) gives the slot's job, if any. */
  | { readonly type: 'reported'; readonly jobId: string | null }
  | { readonly type: 'notifySlotAvailable' }
  /** The slot's TaskExecutor left the slot manager. */
  | { readonly type: 'removed' };

/** Events of one job's JobMaster registration at the RM leader. */
export type JobMasterRegistrationEvent =
  /** HA named the job's leader (or none). */
  | { readonly type: 'notifyLeaderAddress'; readonly leaderSessionId: string | null }
  /** Output: the RM accepted this JobMasterId's registration. */
  | { readonly type: 'out.registerJobMaster.succeeded'; readonly jobMasterId: string }
  /** Output: the RM declined a registration of this JobMasterId. */
  | { readonly type: 'out.registerJobMaster.declined'; readonly jobMasterId: string }
  /** Output: `closeJobManagerConnection` told the registered JobMaster to reconnect. */
  | { readonly type: 'out.disconnectResourceManager'; readonly jobMasterId: string };
