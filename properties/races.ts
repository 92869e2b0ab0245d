/**
 * The "sometimes" side of the suite: what interesting things a run contained. A RaceObserver
 * watches every step of a checked run and labels the run with the races that matter (a timeout
 * while an offer is in flight, a leader change mid-allocation, a re-registration that reconciles
 * allocated slots, a stale message refused…). The suite counts the labels across its runs, prints
 * them, and asserts minimum shares, so a generator that stopped reaching a race fails CI.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import { RM_ENDPOINT } from '../impl/cluster/clusterProcesses.js';
import type { ClusterAction } from '../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../impl/sim/record.js';
import type { Step } from '../impl/sim/step.js';
import type { ClusterWorld } from './checkedRun.js';
import { staleness } from './invariants/fencing.js';
import { messageType } from './interleaving.js';
import { pendingDelivery } from './invariantChecker.js';

/** Every label, with what it means; the README's statistics table lists them in this order. */
export const RACES = {
  slotAllocated: 'a TaskExecutor acknowledged a requestSlot',
  slotActivated: 'a JobMaster accepted an offered slot',
  offerRejected: 'a JobMaster rejected part of an offer (surplus or stale slots)',
  slotOccupied: 'a TaskExecutor answered requestSlot with SlotOccupiedException',
  timeoutDuringSlotRequest: 'a requestSlot ask timed out (the request or its answer lost or late)',
  timeoutDuringOffer: 'an offerSlots ask timed out (the offer or its answer lost or late)',
  leaderChangeMidAllocation:
    'HA changed a leader while a requestSlot, offerSlots or declaration was in flight',
  reRegistrationWithAllocatedSlots:
    'a TaskExecutor reported allocated slots on (re-)registering at a ResourceManager (reconciliation)',
  staleMessageRefused: 'a message with a superseded leader id, or a late reply, arrived',
  taskExecutorCrashWithSlots: 'a TaskExecutor holding allocated slots crashed',
  jobMasterFailover: 'a JobMaster lost its leadership (leader change or crash)',
  resourceManagerFailover: 'the ResourceManager lost its leadership (leader change or crash)',
  jobRestarted: 'a job failed over (slot lost, request failed or timed out, rescale)',
  messageLost: 'a message was dropped',
  messageDuplicated: 'a message was duplicated',
  messageReordered: 'a message overtook an older one on its link',
  messageDelayed: 'a message was delayed past the timers due before it',
  partition: 'a link was partitioned',
  stalePendingSlots:
    "the run ended in Flink 1.15's stale-pending-slots gap (a job waits for a worker nobody requests; see invariants/eventual.ts)",
  orphanedRequirements:
    "the run ended in Flink 1.15's orphaned-requirements race (the ResourceManager keeps allocating for an ended job; see invariants/eventual.ts)",
} as const;
export type Race = keyof typeof RACES;

/** In flight while a leader changes, these make the change one mid-allocation. */
const ALLOCATION_IN_FLIGHT = new Set([
  'requestSlot',
  'requestSlot.acked',
  'offerSlots',
  'offerSlots.accepted',
  'declareRequiredResources',
]);

export class RaceObserver {
  readonly seen = new Set<Race>();
  private stale = false;

  /** Before a step: what only the world before it shows. */
  before(world: ClusterWorld, step: Step<ClusterAction>): void {
    this.stale = false;
    switch (step.kind) {
      case 'deliver':
      case 'reorder': {
        const message = pendingDelivery(world, step);
        this.stale =
          message !== null && staleness(world.system, message.envelope, message.lateReply) !== null;
        return;
      }
      case 'crash': {
        const te = world.system.taskExecutors[step.endpoint] ?? null;
        if (te !== null && te.taskSlotTable.slots.length > 0)
          this.seen.add('taskExecutorCrashWithSlots');
        if (step.endpoint === RM_ENDPOINT) this.seen.add('resourceManagerFailover');
        if ((world.system.jobMasters[step.endpoint]?.leader ?? null) !== null)
          this.seen.add('jobMasterFailover');
        return;
      }
      case 'client': {
        if (step.action.kind !== 'changeLeader') return;
        this.seen.add(
          step.action.service === 'rm' ? 'resourceManagerFailover' : 'jobMasterFailover',
        );
        const inFlight =
          world.messages.some((m) => ALLOCATION_IN_FLIGHT.has(messageType(m))) ||
          world.asks.some((a) => ALLOCATION_IN_FLIGHT.has(a.request.type));
        if (inFlight) this.seen.add('leaderChangeMidAllocation');
        return;
      }
      default:
        return;
    }
  }

  /** After the step. */
  after(record: StepRecord<ClusterMessage, ClusterAction>, world: ClusterWorld): void {
    const outcome = record.outcome;
    if (this.stale) this.seen.add('staleMessageRefused');
    switch (outcome.kind) {
      case 'delivered': {
        if (!('msg' in outcome.envelope)) break;
        const msg = outcome.envelope.msg;
        if (msg.type === 'requestSlot.acked') this.seen.add('slotAllocated');
        if (msg.type === 'requestSlot.occupied') this.seen.add('slotOccupied');
        if (msg.type === 'sendSlotReport' && msg.slotReport.some((s) => s.allocationId !== null))
          this.seen.add('reRegistrationWithAllocatedSlots');
        if (msg.type === 'offerSlots.accepted') {
          if (msg.offers.length > 0) this.seen.add('slotActivated');
          // The TaskExecutor frees what the JobMaster rejected at once and tells the
          // ResourceManager (notifySlotAvailable) in the same step: that shows a rejection.
          if (
            record.effects.some(
              (e) =>
                e.kind === 'sent' &&
                'msg' in e.envelope &&
                e.envelope.msg.type === 'notifySlotAvailable',
            )
          )
            this.seen.add('offerRejected');
        }
        break;
      }
      case 'askTimedOut':
        if (outcome.ask.request.type === 'requestSlot') this.seen.add('timeoutDuringSlotRequest');
        if (outcome.ask.request.type === 'offerSlots') this.seen.add('timeoutDuringOffer');
        break;
      case 'dropped':
        this.seen.add('messageLost');
        break;
      case 'duplicated':
        this.seen.add('messageDuplicated');
        break;
      case 'delayed':
        this.seen.add('messageDelayed');
        break;
      case 'partitioned':
        this.seen.add('partition');
        break;
      default:
        break;
    }
    if (record.step.kind === 'reorder') this.seen.add('messageReordered');
    for (const jm of Object.values(world.system.jobMasters))
      if ((jm?.leader?.scheduler.restarts ?? 0) > 0) this.seen.add('jobRestarted');
  }
}
