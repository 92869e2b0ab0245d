/**
 * An interleaving as the property suite generates it: a list of decisions. Between two decisions
 * the cluster makes ordinary progress — the oldest deliverable message is delivered, else the
 * earliest timer fires — for `gap` steps; then the decision takes one step of its kind (a fault,
 * an out-of-order delivery, a timer firing ahead of a message, a restart, a partition or heal, a
 * leader change or client action), the `pick`-th of the enabled ones in order of interest. A
 * `hold` takes no step of its own: it holds one message in flight back, as a slower link would,
 * until the next decision, so that messages on other links overtake it (no fault: links have
 * their own latencies; it is how a second requestSlot reaches a TaskExecutor mid-offer).
 *
 * This shape is what makes shrinking work: dropping a decision removes one fault and leaves the
 * others in place relative to the progress before them; lowering a gap moves a fault earlier;
 * lowering a pick chooses a more interesting step. A decision with no step of its kind enabled is
 * skipped. When the decisions run out, the fault phase ends and the run heals.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterAction } from '../impl/cluster/flinkCluster.js';
import { STEP_KINDS, type Step, type StepKind } from '../impl/sim/step.js';
import type { Envelope, World } from '../impl/sim/world.js';
import type { ClusterSimulation, FaultDriver } from './checkedRun.js';

/** What a decision can do: every kind of step but an ordinary delivery, and holding a message. */
export type DecisionKind = Exclude<StepKind, 'deliver'> | 'hold';
export const DECISION_KINDS: readonly DecisionKind[] = [
  ...STEP_KINDS.filter((kind): kind is Exclude<StepKind, 'deliver'> => kind !== 'deliver'),
  'hold',
];

export interface Decision {
  /** Steps of ordinary progress before the decision. */
  readonly gap: number;
  /**
   * After the gap, keep making progress until a message of this type is in flight (at most
   * `MAX_AWAIT` steps), then decide, preferring that message: the bias towards the races of
   * allocation (a timeout while an offer is in flight, a leader change mid-allocation, …).
   */
  readonly awaits: AwaitedMessage | null;
  readonly kind: DecisionKind;
  /** Which of the enabled steps of the kind, most interesting first (wraps around). */
  readonly pick: number;
}

/**
 * Messages whose loss, delay, duplication or reordering makes the races of slot allocation: the
 * ones that allocate, offer, free or reconcile a slot, and the registrations and disconnects that
 * decide who may. Decisions about messages pick these first.
 */
const ALLOCATION_MESSAGES: ReadonlySet<string> = new Set([
  'requestSlot',
  'requestSlot.acked',
  'requestSlot.occupied',
  'requestSlot.failed',
  'offerSlots',
  'offerSlots.accepted',
]);

/** The messages a decision may wait for: allocation, freeing and reconciliation. */
export const AWAITED_MESSAGES = [
  'requestSlot',
  'requestSlot.acked',
  'offerSlots',
  'offerSlots.accepted',
  'freeSlot',
  'sendSlotReport',
  'declareRequiredResources',
] as const;
export type AwaitedMessage = (typeof AWAITED_MESSAGES)[number];

/** How long a decision waits for its message to be in flight before it decides anyway. */
export const MAX_AWAIT = 300;

const RACY_MESSAGES: ReadonlySet<string> = new Set([
  ...ALLOCATION_MESSAGES,
  'freeSlot',
  'freeInactiveSlots',
  'failSlot',
  'notifySlotAvailable',
  'sendSlotReport',
  'declareRequiredResources',
  'registerTaskExecutor',
  'registerTaskExecutor.succeeded',
  'registerJobMaster',
  'registerJobMaster.succeeded',
  'registerTaskManager',
  'registerTaskManager.succeeded',
  'submitTask',
  'disconnectTaskManager',
  'disconnectJobManager',
  'disconnectResourceManager',
  'notifyLeaderAddress',
  'grantLeadership',
  'revokeLeadership',
]);

export function messageType(envelope: Envelope<ClusterMessage>): string {
  return 'msg' in envelope ? envelope.msg.type : 'RecipientUnreachableException';
}

function interest(
  world: Readonly<World<unknown, ClusterMessage>>,
  step: Step<ClusterAction>,
  awaited: string | null,
): number {
  switch (step.kind) {
    case 'deliver':
    case 'reorder':
    case 'drop':
    case 'duplicate':
    case 'delay': {
      const envelope = world.messages.find((m) => m.seq === step.seq);
      if (envelope === undefined) return 2;
      const type = messageType(envelope);
      if (type === awaited) return -1;
      return ALLOCATION_MESSAGES.has(type) ? 0 : RACY_MESSAGES.has(type) ? 1 : 2;
    }
    case 'fireTimer':
      // Ask timeouts and slot timeouts decide allocation races; heartbeats and HA's tick less so.
      return step.name.startsWith('ask#') || step.name.startsWith('slotTimeout/') ? 0 : 1;
    case 'client':
      return step.action.kind === 'changeLeader' ? 0 : 1;
    default:
      return 0;
  }
}

/** The steps of a kind, most interesting first, otherwise in the simulator's canonical order. */
export function candidates(
  world: Readonly<World<unknown, ClusterMessage>>,
  steps: readonly Step<ClusterAction>[],
  kind: DecisionKind,
  awaited: string | null = null,
): Step<ClusterAction>[] {
  // A hold picks among the messages that could be delivered now.
  const stepKind = kind === 'hold' ? 'deliver' : kind;
  const ofKind = steps.filter((s) => s.kind === stepKind);
  const ranked = ofKind.map((step, i) => ({ step, i, rank: interest(world, step, awaited) }));
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  // A decision that waited for a message acts on that message (one of them, if several).
  const awaitedOnly = ranked.filter((r) => r.rank < 0);
  return (awaitedOnly.length > 0 ? awaitedOnly : ranked).map((r) => r.step);
}

/**
 * Ordinary progress: the oldest deliverable message, else the earliest timer, else nothing. A
 * message a `delay` fault holds back arrives late: after the timers due before its deadline, so
 * that the timeouts it races with fire first. A `held` message (a slower link) lets every other
 * message due go first, but not the timers.
 */
export function progressStep(
  world: Readonly<World<unknown, ClusterMessage>>,
  steps: readonly Step<ClusterAction>[],
  latencyMs: number,
  held: number | null = null,
): Step<ClusterAction> | null {
  const late = new Set(
    world.messages.filter((m) => m.deliverBy > world.now + latencyMs).map((m) => m.seq),
  );
  return (
    steps.find((s) => s.kind === 'deliver' && !late.has(s.seq) && s.seq !== held) ??
    steps.find((s) => s.kind === 'deliver' && !late.has(s.seq)) ??
    steps.find((s) => s.kind === 'fireTimer') ??
    steps.find((s) => s.kind === 'deliver') ??
    null
  );
}

/** What became of a decision in a run. */
export interface TakenDecision {
  readonly decision: Decision;
  /**
   * The index of the step it took, or null when no step of its kind was enabled; for a hold, the
   * index of the step after it (it takes none).
   */
  readonly stepIndex: number | null;
  /** For a hold: the message held back. */
  readonly held?: Envelope<ClusterMessage>;
}

/** Whether a message of the type is in flight. */
export function inFlight(world: Readonly<World<unknown, ClusterMessage>>, type: string): boolean {
  return world.messages.some((m) => messageType(m) === type);
}

/** Drives the fault phase of a checked run by a list of decisions. */
export class DecisionDriver implements FaultDriver {
  private next_ = 0;
  private gapLeft: number;
  private awaitLeft = MAX_AWAIT;
  /** The message a hold keeps back until the next decision (its seq). */
  private held: number | null = null;
  readonly taken: TakenDecision[] = [];

  constructor(private readonly decisions: readonly Decision[]) {
    this.gapLeft = decisions[0]?.gap ?? 0;
  }

  next(
    simulation: ClusterSimulation,
    steps: readonly Step<ClusterAction>[],
  ): Step<ClusterAction> | null {
    for (;;) {
      const decision = this.decisions[this.next_];
      if (decision === undefined) return null;
      const awaited = decision.awaits;
      const awaiting =
        this.gapLeft === 0 &&
        awaited !== null &&
        this.awaitLeft > 0 &&
        !inFlight(simulation.state, awaited);
      if (this.gapLeft > 0 || awaiting) {
        if (this.gapLeft > 0) this.gapLeft -= 1;
        else this.awaitLeft -= 1;
        const progress = progressStep(
          simulation.state,
          steps,
          simulation.config.network.latencyMs,
          this.held,
        );
        if (progress !== null) return progress;
        this.gapLeft = 0; // nothing moves by itself: the decision comes now
      }
      this.next_ += 1;
      this.gapLeft = this.decisions[this.next_]?.gap ?? 0;
      this.awaitLeft = MAX_AWAIT;
      this.held = null;
      const options = candidates(simulation.state, steps, decision.kind, awaited);
      const step = options[decision.pick % Math.max(1, options.length)];
      if (step === undefined) {
        this.taken.push({ decision, stepIndex: null });
        continue;
      }
      if (decision.kind === 'hold' && step.kind === 'deliver') {
        const held = simulation.state.messages.find((m) => m.seq === step.seq);
        this.held = step.seq;
        this.taken.push({
          decision,
          stepIndex: simulation.state.stepCount + 1,
          ...(held === undefined ? {} : { held }),
        });
        continue;
      }
      this.taken.push({ decision, stepIndex: simulation.state.stepCount + 1 });
      return step;
    }
  }
}
