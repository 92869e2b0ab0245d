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
import type { CheckContext, PendingDelivery, Violation } from './invariant.js';
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

export class InvariantChecker {
  private digests: unknown[] = [];

  /** Call just before the step is applied. */
  before(world: ClusterWorld, step: Step<ClusterAction>): void {
    const message = pendingDelivery(world, step);
    this.digests = ALWAYS_STEP.map((inv) => inv.before(world.system, step, message));
  }

  /** Call just after; the violations of this step (empty when every invariant holds). */
  after(
    record: StepRecord<ClusterMessage, ClusterAction>,
    world: ClusterWorld,
    context: CheckContext,
  ): Violation[] {
    const violations: Violation[] = [];
    for (const inv of ALWAYS_STATE) {
      const problems = inv.check(world.system, context);
      if (problems.length > 0) violations.push({ invariant: inv.name, kind: inv.kind, problems });
    }
    ALWAYS_STEP.forEach((inv, i) => {
      const problems = inv.check(this.digests[i], record, world.system);
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
