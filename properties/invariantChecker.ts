/**
 * Checks the always-invariants around every step of a simulation: digests of the state before
 * the step for the step invariants, then every state and step invariant after it. The first step
 * with a violation reports all the invariants it broke there.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterAction, FlinkClusterState } from '../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../impl/sim/record.js';
import type { Step } from '../impl/sim/step.js';
import type { ClusterWorld } from './checkedRun.js';
import type {
  CheckContext,
  PendingDelivery,
  StateInvariant,
  StepInvariant,
  Violation,
} from './invariant.js';
import { ALWAYS_STATE, ALWAYS_STEP, EVENTUAL } from './invariants/index.js';

/** The message a deliver or reorder step hands over, and whether its ask already ended. */
export function pendingDelivery(
  world: ClusterWorld,
  step: Step<ClusterAction>,
): PendingDelivery | null {
  if (step.kind !== 'deliver' && step.kind !== 'reorder') return null;
  const envelope = world.messages.find((m) => m.seq === step.seq);
  if (envelope === undefined) return null;
  const answer = envelope.kind === 'reply' || envelope.kind === 'unreachable';
  const lateReply =
    answer && !world.asks.some((a) => a.askId === envelope.askId && a.caller === envelope.to);
  return { envelope, lateReply };
}

/**
 * The always-invariants of one run (a simulation, or a recorded trace put back together). The
 * `include` filter leaves out invariants that cannot be judged, as the trace checker does for a
 * partial trace.
 */
export class InvariantChecker {
  private digests: unknown[] = [];
  private readonly state: readonly StateInvariant[];
  private readonly step: readonly StepInvariant[];

  constructor(include: (invariant: StateInvariant | StepInvariant) => boolean = () => true) {
    this.state = ALWAYS_STATE.filter(include);
    this.step = ALWAYS_STEP.filter(include);
  }

  /** Call just before the step is applied, with the message it hands over (if any). */
  before(
    state: FlinkClusterState,
    step: Step<ClusterAction>,
    message: PendingDelivery | null,
  ): void {
    this.digests = this.step.map((inv) => inv.before(state, step, message));
  }

  /** Call just after; the violations of this step (empty when every invariant holds). */
  after(
    record: StepRecord<ClusterMessage, ClusterAction>,
    state: FlinkClusterState,
    context: CheckContext,
  ): Violation[] {
    const violations: Violation[] = [];
    for (const inv of this.state) {
      const problems = inv.check(state, context);
      if (problems.length > 0) violations.push({ invariant: inv.name, kind: inv.kind, problems });
    }
    this.step.forEach((inv, i) => {
      const problems = inv.check(this.digests[i], record, state);
      if (problems.length > 0) violations.push({ invariant: inv.name, kind: inv.kind, problems });
    });
    return violations;
  }
}

/** The eventual invariants on a quiet cluster: each one that does not hold. */
export function eventualViolations(state: FlinkClusterState, context: CheckContext): Violation[] {
  return EVENTUAL.flatMap((inv) => {
    const problems = inv.check(state, context);
    return problems.length > 0 ? [{ invariant: inv.name, kind: inv.kind, problems }] : [];
  });
}
