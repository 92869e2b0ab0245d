/**
 * An invariant of the cluster as a named, documented, pure predicate (DESIGN.md "Properties").
 * Each names the Flink guarantee it mirrors and its kind:
 * - `always`: checked after every step. A state invariant looks at the state alone; a step
 *   invariant compares the state after a step with a small digest taken before it (what the step
 *   may change), for guarantees about transitions ("a stale leader's message changes nothing").
 * - `eventually`: checked once, after the healing phase, on a quiet cluster.
 * A check returns what broke, one sentence per violation; an empty list means it holds.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type {
  ClusterAction,
  FlinkClusterConfig,
  FlinkClusterState,
} from '../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../impl/sim/record.js';
import type { Step } from '../impl/sim/step.js';
import type { Envelope } from '../impl/sim/world.js';

export type InvariantKind = 'always' | 'eventually';

interface Documented {
  /** camelCase, in Flink's vocabulary; failures and statistics name it. */
  readonly name: string;
  /** One line: the Flink guarantee it mirrors, with the class that gives it. */
  readonly guarantee: string;
  /**
   * Which components' states it reads, so that a partial trace is judged only by the invariants
   * its observations allow: `taskExecutors`, `resourceManager` or `jobMasters` (each instance on
   * its own, so a subset of TaskExecutors or JobMasters suffices), `receiver` (the component a
   * step hands a message to), or `cluster` (all of them, and HA).
   */
  readonly scope: InvariantScope;
}

export type InvariantScope =
  'taskExecutors' | 'resourceManager' | 'jobMasters' | 'receiver' | 'cluster';

export interface StateInvariant extends Documented {
  readonly kind: InvariantKind;
  readonly check: (state: FlinkClusterState, context: CheckContext) => readonly string[];
}

export interface StepInvariant<D = unknown> extends Documented {
  readonly kind: 'always';
  /**
   * What the check needs of the state before the step; plain data, kept small. `message` is the
   * message a deliver or reorder step is about to hand over, else null.
   */
  readonly before: (
    state: FlinkClusterState,
    step: Step<ClusterAction>,
    message: PendingDelivery | null,
  ) => D;
  readonly check: (
    before: D,
    record: StepRecord<ClusterMessage, ClusterAction>,
    after: FlinkClusterState,
  ) => readonly string[];
}

/** What a state invariant may know besides the state: the cluster's configuration and the clock. */
export interface CheckContext {
  readonly config: FlinkClusterConfig;
  readonly now: number;
  /** How long the cluster has been healing (0 during the fault phase). */
  readonly healedMs: number;
}

/** The message a step hands over. */
export interface PendingDelivery {
  readonly envelope: Envelope<ClusterMessage>;
  /** A reply (or unreachable answer) to an ask that already timed out or whose caller restarted. */
  readonly lateReply: boolean;
}

/** A step invariant with its digest type erased, for lists of them. */
export function stepInvariant<D>(invariant: StepInvariant<D>): StepInvariant {
  return invariant as StepInvariant;
}

/** A violation: which invariant, and what broke. */
export interface Violation {
  readonly invariant: string;
  readonly kind: InvariantKind;
  readonly problems: readonly string[];
}
