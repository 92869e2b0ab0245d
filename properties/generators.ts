/**
 * fast-check generators of the property suite (swarm testing): per run a cluster configuration
 * (1–4 TaskExecutors × 1–3 slots, 1–3 jobs, standalone or active, Flink's timeouts drawn from
 * short and default values), a fault profile (a weight per decision kind, some switched off), and
 * an interleaving of decisions drawn with those weights.
 */
import fc from 'fast-check';
import { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import {
  AWAITED_MESSAGES,
  DECISION_KINDS,
  type Decision,
  type DecisionKind,
} from './interleaving.js';

/** A weight per decision kind; 0 switches the kind off for the run. */
export type FaultProfile = Readonly<Record<DecisionKind, number>>;

export interface PropertyCase {
  readonly cluster: FlinkClusterConfig;
  readonly profile: FaultProfile;
  readonly decisions: readonly Decision[];
}

/** Bias towards the steps that make rare races: delays and losses of messages in flight (their
 * timeouts then fire first), leader changes and client actions, crashes and restarts. */
const BASE_WEIGHTS: FaultProfile = {
  reorder: 2,
  drop: 3,
  duplicate: 2,
  delay: 4,
  fireTimer: 1,
  crash: 2,
  restart: 2,
  partition: 1,
  heal: 1,
  client: 4,
  hold: 4,
};

export const clusterArbitrary: fc.Arbitrary<FlinkClusterConfig> = fc
  .record({
    mode: fc.constantFrom('standalone' as const, 'active' as const),
    taskExecutors: fc.integer({ min: 1, max: 4 }),
    slotsPerTaskExecutor: fc.integer({ min: 1, max: 3 }),
    jobs: fc.array(fc.record({ parallelism: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    lateJob: fc.boolean(),
    leaderChanges: fc.integer({ min: 0, max: 3 }),
    jobActions: fc.integer({ min: 0, max: 2 }),
    jobEnds: fc.boolean(),
    timeouts: fc.record({
      heartbeatIntervalMs: fc.constantFrom(2_000, 10_000),
      heartbeatTimeoutFactor: fc.constantFrom(3, 5),
      rpcTimeoutMs: fc.constantFrom(2_000, 10_000),
      slotTimeoutMs: fc.constantFrom(2_000, 10_000),
      idleSlotTimeoutMs: fc.constantFrom(10_000, 50_000),
      slotRequestTimeoutMs: fc.constantFrom(30_000, 120_000),
      taskManagerTimeoutMs: fc.constantFrom(10_000, 30_000),
      jobTimeoutMs: fc.constantFrom(30_000, 120_000),
    }),
  })
  .map(({ lateJob, timeouts, jobs, ...rest }) => {
    const { heartbeatTimeoutFactor, ...others } = timeouts;
    return FlinkClusterConfig.parse({
      ...rest,
      // With several jobs, the last may be submitted by a client during the run.
      jobs: jobs.map((job, i) => ({
        ...job,
        submitted: !(lateJob && i > 0 && i === jobs.length - 1),
      })),
      timeouts: {
        ...others,
        heartbeatTimeoutMs: others.heartbeatIntervalMs * heartbeatTimeoutFactor,
      },
    });
  });

/** Per kind: off (0), or the base weight scaled by 1–3. */
export const profileArbitrary: fc.Arbitrary<FaultProfile> = fc
  .tuple(...DECISION_KINDS.map(() => fc.integer({ min: 0, max: 3 })))
  .map(
    (scales) =>
      Object.fromEntries(
        DECISION_KINDS.map((kind, i) => [kind, BASE_WEIGHTS[kind] * (scales[i] ?? 0)]),
      ) as FaultProfile,
  );

export function decisionsArbitrary(
  profile: FaultProfile,
  maxLength: number,
): fc.Arbitrary<Decision[]> {
  const kinds = DECISION_KINDS.filter((k) => profile[k] > 0);
  if (kinds.length === 0) return fc.constant([]);
  const kind = fc.oneof(...kinds.map((k) => ({ arbitrary: fc.constant(k), weight: profile[k] })));
  const decision = fc.record({
    gap: fc.nat({ max: 40 }),
    awaits: fc.option(fc.constantFrom(...AWAITED_MESSAGES), { nil: null, freq: 3 }),
    kind,
    pick: fc.nat({ max: 3 }),
  });
  return fc.array(decision, { maxLength });
}

/** The longest interleaving by default; a replay path is valid only for the same length. */
export const DEFAULT_MAX_DECISIONS = 30;

/** A whole case: cluster, profile, then decisions drawn with the profile's weights. */
export function caseArbitrary(maxDecisions = DEFAULT_MAX_DECISIONS): fc.Arbitrary<PropertyCase> {
  return fc.tuple(clusterArbitrary, profileArbitrary).chain(([cluster, profile]) =>
    decisionsArbitrary(profile, maxDecisions).map((decisions) => ({
      cluster,
      profile,
      decisions,
    })),
  );
}
