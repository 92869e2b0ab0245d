/**
 * The events the JobMaster's machines take: inputs that reach the JobMaster process (leader
 * election, its gateway's messages, answers to its asks, its timers, client actions), outputs it
 * sends (`out.…`, and the timers it arms) where a decision of the JobMaster lives, and decisions of
 * its slot pool that no message carries (`reserveFreeSlot`, `freeReservedSlot`, and what becomes
 * of the scheduler's slot requests), which the monitor reads from the pool after the step as a log
 * line would report them.
 */

/** An answer to an ask, identified by the ask's id (the simulator's sequence number). */
interface Answer<T extends string> {
  readonly type: T;
  readonly askId: number;
}

/** Events of the JobMaster process's lifecycle (`JobMasterServiceLeadershipRunner` + scheduler). */
export type JobMasterLifecycleEvent =
  /** HA granted this process the job's leadership under a JobMasterId. */
  | { readonly type: 'grantLeadership'; readonly leaderSessionId: string }
  | { readonly type: 'revokeLeadership' }
  /** A client: every task finished (the job reaches FINISHED). */
  | { readonly type: 'finishJob' }
  /** A client cancelled the job (CANCELED). */
  | { readonly type: 'cancelJob' }
  /** A client rescaled the job (the model restarts it with the new parallelism). */
  | { readonly type: 'changeParallelism'; readonly parallelism: number }
  /** Output: the scheduler failed over and armed its restart (`restartTasksWithDelay`). */
  | { readonly type: 'out.restartTasksWithDelay' }
  /** The restart delay elapsed: the scheduler restarts the tasks. */
  | { readonly type: 'restartDelay.elapsed' };

/** Events of one leadership's connection to the ResourceManager leader. */
export type ResourceManagerConnectionEvent =
  /** RM leader retrieval announced the RM leader (null: none). */
  | { readonly type: 'notifyLeaderAddress'; readonly leaderSessionId: string | null }
  /** Output: a registration attempt went to the RM leader, fenced with this token. */
  | {
      readonly type: 'out.registerJobMaster';
      readonly askId: number;
      readonly fencingToken: string;
    }
  | (Answer<'registerJobMaster.succeeded'> & {
      readonly resourceManagerId: string;
      readonly resourceManagerResourceId: string;
    })
  /** RegistrationResponse.Failure (the RM's job leader is another JobMasterId). */
  | Answer<'registerJobMaster.declined'>
  /** The attempt failed with an exception (fencing, unreachable RM). */
  | Answer<'registerJobMaster.failed'>
  | Answer<'registerJobMaster.timedOut'>
  /** The registration's retry delay elapsed. */
  | { readonly type: 'registration.retry' }
  /** The RM closed the connection (`disconnectResourceManager`), naming its ResourceManagerId. */
  | { readonly type: 'disconnectResourceManager'; readonly resourceManagerId: string }
  /** Output: the pool declared its requirements to the RM, fenced with this token. */
  | { readonly type: 'out.declareRequiredResources'; readonly fencingToken: string }
  /** Output: the RM was told `disconnectJobManager` (with the job's status), fenced with this token. */
  | { readonly type: 'out.disconnectJobManager'; readonly fencingToken: string }
  /** The heartbeat monitor of an RM (`target` is its ResourceID) timed out. */
  | { readonly type: 'heartbeat.timedOut'; readonly target: string }
  /** A heartbeat answer to the RM went through, or failed as unreachable. */
  | { readonly type: 'heartbeat.delivered' }
  | { readonly type: 'heartbeat.unreachable' }
  /** Output: the stopping JobMaster ended its RM leader retrieval (`stopJobMasterServices`). */
  | { readonly type: 'out.stopLeaderRetrieval' };

/** Events of one AllocationID in the JobMaster's slot pool. */
export type SlotPoolSlotEvent =
  /** Output: the answer to `offerSlots` lists this slot as accepted. */
  | { readonly type: 'out.offerSlots.accepted' }
  /** Output: the answer to `offerSlots` leaves this offered slot out. */
  | { readonly type: 'out.offerSlots.rejected' }
  /** Observed: the pool reserved the free slot for a slot request. */
  | { readonly type: 'reserveFreeSlot' }
  /** Observed: the pool took the slot back from its request; it is free again. */
  | { readonly type: 'freeReservedSlot' }
  /** Output: the slot left the pool and its TaskExecutor was told `freeSlot`. */
  | { readonly type: 'out.freeSlot' }
  /** Output: a task was deployed into the slot (`submitTask`). */
  | { readonly type: 'out.submitTask' };

/** Events of one slot request of the scheduler at the `DeclarativeSlotPoolBridge`. */
export type SlotRequestEvent =
  /** Observed: the request waits in `pendingRequests` (one more slot of its profile required). */
  | { readonly type: 'requestNewAllocatedSlot' }
  /** Observed: the request took a free slot of the pool directly (`fulfilledRequests`). */
  | { readonly type: 'allocateAvailableSlot'; readonly allocationId: string }
  /** Observed: a pending request was matched with a slot that became free, and reserved it. */
  | { readonly type: 'newSlotsAreAvailable'; readonly allocationId: string }
  /** Observed: the scheduler released the request (it left `pendingRequests`/`fulfilledRequests`). */
  | { readonly type: 'releaseSlot' }
  /** The ResourceManager's `notifyNotEnoughResourcesAvailable` (the request left `pendingRequests`). */
  | { readonly type: 'notifyNotEnoughResourcesAvailable' }
  /** Output: the JobMaster stopped (`stopLeaderRetrieval` of `stopJobExecution`): the pool closes. */
  | { readonly type: 'close' }
  /** Output: a slot left the pool and its TaskExecutor was told `freeSlot`. */
  | { readonly type: 'out.freeSlot'; readonly allocationId: string };

/** Events of one leadership's requirement sending (the connection manager of the slot pool). */
export type RequirementDeclarationEvent =
  /** Observed: the RM connection was established (the RM-connection machine entered CONNECTED). */
  | { readonly type: 'connect' }
  /** Observed: the established RM connection was dissolved (that machine left CONNECTED). */
  | { readonly type: 'disconnect' }
  /** Output: the JobMaster stopped (`stopLeaderRetrieval` of `stopJobExecution`). */
  | { readonly type: 'close' }
  /** Output: an attempt `declareRequiredResources` went to the connected RM. */
  | { readonly type: 'out.declareRequiredResources'; readonly askId: number }
  | Answer<'declareRequiredResources.acked'>
  /** A `.failed` answer, an unreachable RM or a timeout: the attempt failed. */
  | Answer<'declareRequiredResources.failed'>
  /** Output: the backoff timer of a failed attempt was armed (`declareResourceRequirements/retry`). */
  | { readonly type: 'out.retryWithDelay'; readonly epoch: number; readonly delayMs: number }
  /** The backoff timer of the declaration `epoch` fired. */
  | { readonly type: 'retryDelay.elapsed'; readonly epoch: number };
