/**
 * The bug zoo's catalogue: for every mutant of impl/mutants.ts, where it comes from and how the
 * campaign (`flink-slot-model mutants`, zoo/campaign.ts) must catch it. A historical bug names its
 * FLINK issue, the commit that fixed it (read in Flink's history), the versions it affected, the
 * interleaving that triggers it, and the checks expected to catch it; a canary has no history.
 * Each also carries its budget: how many generated runs the property suite may take from the
 * campaign's seed, and the explorer's bounds (null where a bounded search cannot reach it, with the
 * reason).
 */
import { CANARY_RUNS } from '../properties/canaryCases.js';
import type { Mutant } from '../impl/mutants.js';
import type { ExploreConfig } from '../explorer/exploreConfig.js';
import { canaryBounds } from '../explorer/canaryBounds.js';
import { smallBounds } from '../explorer/smallBounds.js';

export interface ZooEntry {
  /** The FLINK issue (null: a canary, made up for the suite). */
  readonly flink: string | null;
  /** The fix in Flink's history: commit, date and the release it first shipped in. */
  readonly fixedBy: string | null;
  /** The Flink versions that had the defect. */
  readonly affected: string | null;
  /** What goes wrong, step by step, in Flink's words. */
  readonly interleaving: string;
  /** The checks expected to catch it: invariant names, or `conformance` for the machine monitors. */
  readonly expected: readonly string[];
  /** Generated runs the property suite may take, from the campaign's seed. */
  readonly runs: number;
  /** The explorer's bounds (null: not searched, see `notSearched`). */
  readonly bounds: ExploreConfig | null;
  readonly notSearched?: string;
}

/** The property suite's seed in the campaign: every budget of runs is measured from it. */
export const CAMPAIGN_SEED = 1;

export const ZOO: Readonly<Record<Mutant, ZooEntry>> = {
  'canary:taskExecutorAcceptsOccupiedSlot': {
    flink: null,
    fixedBy: null,
    affected: null,
    interleaving:
      'A requestSlot answer is lost; the ResourceManager asks again for the same slot with a new AllocationID, and the TaskExecutor takes it over the first.',
    expected: ['conformance', 'slotFreedBeforeReallocated'],
    runs: CANARY_RUNS,
    bounds: canaryBounds('canary:taskExecutorAcceptsOccupiedSlot'),
  },
  'canary:taskExecutorIgnoresResourceManagerId': {
    flink: null,
    fixedBy: null,
    affected: null,
    interleaving:
      'The ResourceManager leader changes; the old leader’s requestSlot reaches a TaskExecutor already connected to the new one, which serves it.',
    expected: ['conformance', 'staleMessagesChangeNothing'],
    runs: CANARY_RUNS,
    bounds: canaryBounds('canary:taskExecutorIgnoresResourceManagerId'),
  },
  'canary:slotPoolAcceptsSurplusOffers': {
    flink: null,
    fixedBy: null,
    affected: null,
    interleaving:
      'A requestSlot answer is lost with two slots free; the retry takes the other slot, the TaskExecutor offers both, and the pool takes both.',
    // The surplus slot may also keep the job from settling (a slot the RM counts, the pool holds).
    expected: ['poolTakesSlotsOnlyForRequirements', 'conformance', 'requirementsSettle'],
    runs: CANARY_RUNS,
    bounds: canaryBounds('canary:slotPoolAcceptsSurplusOffers'),
  },

  'FLINK-8505:reportedSlotStaysFree': {
    flink: 'FLINK-8505',
    fixedBy:
      'commit 492d1b45c28 (2018-01-24), "Prevent SlotManager from reaching an inconsistent state"; first released in 1.5.0 (regression test SlotManagerTest#testReportAllocatedSlot)',
    affected: 'the FLIP-6 SlotManager before 1.5.0 (1.4 and the 1.5 snapshots)',
    interleaving:
      'A slot is allocated to a job; the ResourceManager leader changes and the TaskExecutor registers at the new leader with a slot report that shows the slot allocated. The slot manager adds the slot FREE, reconciles it to ALLOCATED, but leaves it in its free slots, where the next requirement check would pick it for another allocation.',
    expected: ['freeIndexHoldsFreeSlots', 'exception'],
    runs: 300,
    bounds: null,
    notSearched:
      'the shortest path allocates the slot, changes the ResourceManager leader and registers the TaskExecutor again: beyond a tractable depth (a leader change to depth 30: 91 805 distinct states in 61 s, not reached)',
  },
  'FLINK-20605:lateAllocationAnswerApplied': {
    flink: 'FLINK-20605',
    fixedBy:
      'commit 5cabecb0f7b (2020-12-15), "Rework cancellation of slot allocation futures"; first released in 1.13.0 (regression tests DeclarativeSlotManagerTest#testAllocationUpdatesIgnoredIfTaskExecutorUnregistered and #testAllocationUpdatesIgnoredIfSlotMarkedAsAllocatedAfterSlotReport)',
    affected: '1.12 (the DeclarativeSlotManager, then opt-in)',
    interleaving:
      'The ResourceManager asks a TaskExecutor for a slot; the ask times out (its answer lost or late), so the slot is freed and asked for again under a new AllocationID; the late outcome of the first ask is then applied to a slot that no longer waits for it (completing or freeing it), against the TaskExecutor’s view.',
    expected: ['conformance', 'exception'],
    runs: 300,
    bounds: smallBounds({ faults: { delay: 1 }, depth: 20 }),
  },
  'FLINK-21874:allocationAnswerMatchedBySlot': {
    flink: 'FLINK-21874',
    fixedBy:
      'commit 63be0cd6d64 (2021-03-23), "Ignore outdated slot allocation confirmations"; first released in 1.13.0 (regression test DeclarativeSlotManagerTest#testAllocationUpdatesIgnoredIfSlotMarkedAsPendingForOtherJob)',
    affected:
      '1.13 snapshots between FLINK-20605 and this fix (pendingSlotAllocations a set of SlotIDs)',
    interleaving:
      'A requestSlot for the slot under alloc-1 times out; the slot is freed and becomes PENDING again under alloc-2; the answer to alloc-1 (a failure, or an ack of the slot now held for the other request) arrives and is taken as the answer to alloc-2.',
    expected: ['conformance', 'exception'],
    runs: 300,
    bounds: smallBounds({ faults: { drop: 1, delay: 1 }, depth: 28 }),
  },
  'FLINK-9884:occupiedSlotCountedFree': {
    flink: 'FLINK-9884',
    fixedBy:
      'commit 48e724fed60 (2018-07-18; also 5f14dac2ee2 on release-1.5 and 1e82a2807cd on release-1.6), "fix slot request may not be removed when it has already be assigned in slot manager"; first released in 1.5.5, 1.6.2 and 1.7.0 (regression test SlotManagerTest#testSlotRequestRemovedIfTMReportAllocation)',
    affected:
      '1.5.0–1.5.4 and 1.6.0–1.6.1. Adapted: there the slot was updated but the request stayed pending and was served again; in the DeclarativeSlotManager the same outcome is the slot counted free and the requirement left open',
    interleaving:
      'A requestSlot under alloc-1 times out at the ResourceManager though the TaskExecutor allocated the slot; the retry asks for the same slot under alloc-2 and the TaskExecutor answers SlotOccupiedException naming alloc-1 and the job. The slot manager frees the slot instead of counting it allocated to that job, so the job is served a second slot while the TaskExecutor holds the first for it.',
    expected: ['conformance'],
    runs: 300,
    bounds: smallBounds({ faults: { drop: 1 }, depth: 30 }),
  },

  'FLINK-21859:staleOfferAnswerApplied': {
    flink: 'FLINK-21859',
    fixedBy:
      'commit c9fd6955630 (2021-04-14), "Ignore outdated slot offer responses"; first released in 1.14.0 (regression tests TaskExecutorTest#testRejectedSlotNotFreedIfAnotherOfferIsPending, #testAcceptedSlotNotActivatedIfAnotherOfferIsPending)',
    affected: '1.13 and earlier',
    interleaving:
      'A TaskExecutor offers a job its slot; before the answer arrives it offers again (a second slot was allocated, or the first offer timed out and is repeated). The answer to the older offer is applied: slots it rejected (or that were not in it) are freed, or slots it accepted activated, while the newest offer is still open.',
    expected: ['conformance'],
    runs: 300,
    bounds: smallBounds({ slots: 2, jobs: [2], depth: 23 }),
  },
  'FLINK-18012:submittedSlotKeepsTimeout': {
    flink: 'FLINK-18012',
    fixedBy:
      'commit 3dabc694341 (2020-05-28; backports 6551b6b5928 to 1.11, ffc3d86a666 to 1.10), "Deactivate slot timeout when calling TaskSlotTable.tryMarkSlotActive"; first released in 1.10.2 and 1.11.0 (regression test TaskSlotTableImplTest#testTryMarkSlotActiveDeactivatesSlotTimeout)',
    affected: '1.5.5/1.6.2/1.7.0 (where FLINK-9932 introduced tryMarkSlotActive) up to 1.10.1',
    interleaving:
      'The JobMaster accepts an offered slot and submits a task to it; the accept answer is lost or late, so the task arrives first and activates the slot through tryMarkSlotActive, which leaves the slot timeout armed. The timeout fires on the ACTIVE slot, which is freed under its running task.',
    expected: ['conformance', 'tasksOnlyInActiveSlots'],
    runs: 300,
    // A slot timeout shorter than the ask timeout: it fires before the offer is repeated.
    bounds: smallBounds({ faults: { drop: 1 }, timeouts: { slotTimeoutMs: 50 }, depth: 28 }),
  },
  'FLINK-9932:slotActivatedOnOffer': {
    flink: 'FLINK-9932',
    fixedBy:
      'commit d7740bd00c8 (2018-10-12; also c60fdc4e0d1 on 1.6 and 28bf20c49f5 on 1.5), "Harden slot allocation protocol"; first released in 1.5.5, 1.6.2 and 1.7.0 (regression test TaskExecutorTest#testOfferSlotToJobMasterAfterTimeout)',
    affected: '1.5.0–1.5.4, 1.6.0–1.6.1',
    interleaving:
      'A TaskExecutor offers a slot and marks it ACTIVE at once; the offer is lost and its ask times out; the repeated offer finds no ALLOCATED slot and sends nothing, so the JobMaster never gets the slot while the TaskExecutor keeps it ACTIVE for the job (a leaked slot until the heartbeat reconciliation of later versions frees it).',
    expected: ['conformance'],
    runs: 300,
    bounds: smallBounds({ depth: 20 }),
  },
  'FLINK-6160:taskExecutorForgetsLostResourceManager': {
    flink: 'FLINK-6160',
    fixedBy:
      'commit ba379ec0ee4 (2018-05-17; c832f52a9ca on 1.6), "Add reconnection attempts in case of heartbeat timeouts to JobMaster and TaskExecutor"; first released in 1.5.0 (regression test TaskExecutorTest#testHeartbeatTimeoutWithResourceManager)',
    affected: 'the FLIP-6 TaskExecutor before 1.5.0',
    interleaving:
      'The link between a TaskExecutor and the ResourceManager is cut (or the heartbeats are lost) past the heartbeat timeout; the TaskExecutor closes the connection and never registers again, so its slots are lost to the ResourceManager until the next leader change.',
    expected: ['conformance', 'requirementsSettle', 'viewsAgree'],
    runs: 300,
    bounds: null,
    notSearched:
      'a heartbeat timeout: the explorer slows heartbeats out of its bounds (every heartbeat multiplies the interleavings)',
  },
  'FLINK-20694:freedSlotRematched': {
    flink: 'FLINK-20694',
    fixedBy:
      'commit 44280a44b33 (2020-12-22), "Do not rematch freed slots"; first released in 1.13.0, the first release with the declarative slot pool (regression test DefaultDeclarativeSlotPoolTest#testFreedSlotWillRemainAssignedToMatchedResourceProfile)',
    affected: 'the declarative slot pool on master before 1.13.0 (no release)',
    interleaving:
      'A job of parallelism 2 holds one reserved slot while its second request is outstanding; a failover (a lost TaskExecutor, not enough resources, a request timeout) frees the reserved slot before the requirements go down, and the pool matches it against the outstanding requirement again: one slot counted twice, offers rejected, the job waiting.',
    expected: ['poolHoldsEachSlotOnce', 'requirementsSettle'],
    runs: 300,
    // One slot for a job of two: the bulk of requests times out (after 1 s) and fails over.
    bounds: smallBounds({ jobs: [2], timeouts: { slotRequestTimeoutMs: 1000 }, depth: 26 }),
  },
  'FLINK-9408:jobMasterForgetsDisconnectedResourceManager': {
    flink: 'FLINK-9408',
    fixedBy:
      'commit 37b630e53f2 (2018-05-22; 064379705f3 on 1.6), "Let JM try to reconnect to RM"; first released in 1.5.0 (regression test JobMasterTest#testReconnectionAfterDisconnect)',
    affected: 'the FLIP-6 JobMaster before 1.5.0',
    interleaving:
      'The ResourceManager disconnects a JobMaster (its heartbeat timed out, or the job’s leader was reported lost); the JobMaster closes its side and never registers again, so changed requirements never reach the ResourceManager until the next leader change.',
    expected: ['conformance', 'requirementsSettle'],
    runs: 300,
    bounds: null,
    notSearched:
      'the ResourceManager disconnects a JobMaster on a heartbeat timeout or a lost job leader: heartbeats are slowed out of the explorer’s bounds, and the job leader changes need the HA service’s revocations',
  },

  'FLINK-8504:jobKeptWithoutSlots': {
    flink: 'FLINK-8504',
    fixedBy:
      'commit e94a488dd78 (2018-01-25), "Deregister jobs from the JobLeaderService when no more slots allocated"; first released in 1.5.0 (regression test TaskExecutorTest#testRemoveJobFromJobLeaderService)',
    affected: 'the FLIP-6 TaskExecutor of 1.4',
    interleaving:
      'A job’s last slot at a TaskExecutor is freed (the JobMaster returns it, its timeout fires, or the offer is rejected); the TaskExecutor keeps the job: its leader retrieval, its JobMaster connection and heartbeats stay for good. No slot invariant notices; the suite caught it only once jobsOnlyWithSlots was added for it.',
    expected: ['jobsOnlyWithSlots'],
    runs: 300,
    // As for FLINK-20694, and the idle slot goes back to the TaskExecutor after 1 s.
    bounds: smallBounds({
      jobs: [2],
      timeouts: { slotRequestTimeoutMs: 1000, idleSlotTimeoutMs: 1000 },
      depth: 34,
    }),
  },
};
