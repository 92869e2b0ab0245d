/**
 * Test support for the JobMaster: a whole simulated cluster (real TaskExecutors, ResourceManager
 * and the real JobMaster of job-1) through the scenario harness, with the faults the JobMaster's
 * stories inject (crashes, partitions, drops) and readers of its monitored machines; and the
 * driver of the generated path tests: the real JobMaster alone with the endpoints the test plays,
 * and a loop that runs one path per transition and checks that the path's transition was taken.
 */
import { describe, expect, it } from 'vitest';
import {
  initialTransition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { JobMasterConfig } from '../../impl/jobmaster/jobMasterState.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { Step } from '../../impl/sim/step.js';
import type { EndpointId } from '../../impl/sim/world.js';
import type { AllocationID, ResourceID, TaskManagerSessionId } from '../../protocol/ids.js';
import type { Instruction } from '../taskExecutor/scriptedCluster.js';
import { contextOf, type CoverageSink, type MachineInstance } from '../machineInstance.js';
import { start, stateName, step as stepMachine } from '../machineStepper.js';
import { transitionPaths, type TransitionPath } from '../transitionPaths.js';
import {
  JM,
  JM_ID,
  JOB,
  reportScenarioCoverageTo,
  RM,
  RM_ID,
  TaskExecutorScenario,
} from '../taskExecutor/taskExecutorScenario.js';
import type { JobMasterMonitor } from './jobMasterMonitor.js';

export { JM, JM_ID, JOB, RM, RM_ID };

export interface ClusterOptions {
  readonly taskExecutors?: number;
  readonly job?: Partial<JobMasterConfig>;
  /** Announce the RM leader at the start (default true). */
  readonly withResourceManager?: boolean;
  /** Announce the JobMaster leader at the start (default true). */
  readonly withJobMaster?: boolean;
}

/** A cluster with job-1 (parallelism 3 unless told) running after a second, unless told otherwise. */
export function cluster(options: ClusterOptions = {}): TaskExecutorScenario {
  const s = new TaskExecutorScenario({
    taskExecutors: options.taskExecutors ?? 2,
    resourceManager: { startupPeriodMs: 0 },
    jobs: [{ jobId: JOB, config: { parallelism: 3, ...options.job } }],
  });
  if (options.withResourceManager ?? true) s.announceResourceManager();
  if (options.withJobMaster ?? true) s.announceJobMaster(JOB, JM, JM_ID);
  s.advance(1_000);
  return s;
}

export function monitorOf(s: TaskExecutorScenario): JobMasterMonitor {
  const monitor = s.jmMonitors.get(JM);
  if (monitor === undefined) throw new Error(`${JM} is not monitored`);
  return monitor;
}

/** The state of the lifecycle machine (`notLeading`, `running`, `restarting`, `terminated`). */
export function lifecycle(s: TaskExecutorScenario): string {
  return stateName(monitorOf(s).lifecycle.snapshot);
}

export function rmConnection(s: TaskExecutorScenario): MachineInstance {
  const rm = monitorOf(s).leadership?.rm;
  if (rm === undefined) throw new Error(`${JM} never led`);
  return rm;
}

/** The slot machines of the current leadership, as `allocationId:state`. */
export function poolSlots(s: TaskExecutorScenario): string[] {
  return [...(monitorOf(s).leadership?.slots ?? new Map<string, MachineInstance>())].map(
    ([allocationId, m]) => `${allocationId}:${stateName(m.snapshot)}`,
  );
}

/** The states of the slot machines of the current leadership, in the order the slots were named. */
export function poolSlotStates(s: TaskExecutorScenario): string[] {
  return poolSlots(s).map((x) => x.slice(x.lastIndexOf(':') + 1));
}

/** The states of the leading JobMaster's subtasks (its scheduler's current round). */
export function subtaskStates(s: TaskExecutorScenario): string[] {
  return s.jmLeader().scheduler.subtasks.map((t) => t.state);
}

/** How many messages of this type from `from` to `to` were delivered since the scenario's record `mark`. */
export function deliveredSince(
  s: TaskExecutorScenario,
  mark: number,
  from: EndpointId,
  to: EndpointId,
  type: string,
): number {
  return s.records.slice(mark).filter((r) => {
    if (r.outcome.kind !== 'delivered') return false;
    const envelope = r.outcome.envelope;
    return (
      envelope.from === from &&
      envelope.to === to &&
      'msg' in envelope &&
      envelope.msg.type === type
    );
  }).length;
}

export function waitingToRetry(s: TaskExecutorScenario): boolean {
  return contextOf(rmConnection(s))['waitingToRetry'] === true;
}

/** Lets time pass until the endpoint's named timer has fired (and everything settled). */
export function advanceToTimer(s: TaskExecutorScenario, endpoint: EndpointId, name: string): void {
  const timer = s.simulation.state.timers.find((t) => t.endpoint === endpoint && t.name === name);
  if (timer === undefined) throw new Error(`no timer ${name} armed at ${endpoint}`);
  s.advance(timer.fireAt - s.now);
}

export function partition(s: TaskExecutorScenario, from: EndpointId, to: EndpointId): void {
  s.take({ kind: 'partition', from, to, twoWay: false });
}

/** The simulator names a pair of endpoints in its own order; either order is accepted here. */
function enabledBetween(
  s: TaskExecutorScenario,
  kind: 'partition' | 'heal',
  a: EndpointId,
  b: EndpointId,
): Step<Instruction & Json> {
  const step = s.simulation
    .enabledSteps()
    .find((x) =>
      x.kind === 'heal' && kind === 'heal'
        ? (x.a === a && x.b === b) || (x.a === b && x.b === a)
        : x.kind === 'partition' &&
          kind === 'partition' &&
          x.twoWay &&
          ((x.from === a && x.to === b) || (x.from === b && x.to === a)),
    );
  if (step === undefined) throw new Error(`no ${kind} between ${a} and ${b} is enabled`);
  return step;
}

export function partitionBoth(s: TaskExecutorScenario, a: EndpointId, b: EndpointId): void {
  s.take(enabledBetween(s, 'partition', a, b));
}

/** Heals both directions between `a` and `b`, then delivers what was held. */
export function heal(s: TaskExecutorScenario, a: EndpointId, b: EndpointId): void {
  s.take(enabledBetween(s, 'heal', a, b));
  s.settle();
}

/**
 * Delivers everything in flight, like `settle`, except the first message `lose` picks: that one is
 * dropped when its turn comes.
 */
export function settleLosing(
  s: TaskExecutorScenario,
  lose: (from: EndpointId, to: EndpointId, type: string) => boolean,
): void {
  let lost = false;
  for (;;) {
    const step = s.simulation
      .enabledSteps()
      .find((x) => x.kind === 'deliver' || x.kind === 'client');
    if (step === undefined) return;
    const envelope =
      step.kind === 'deliver'
        ? s.simulation.state.messages.find((e) => e.seq === step.seq)
        : undefined;
    if (
      !lost &&
      envelope !== undefined &&
      'msg' in envelope &&
      lose(envelope.from, envelope.to, envelope.msg.type)
    ) {
      lost = true;
      s.take({ kind: 'drop', seq: envelope.seq });
    } else {
      s.take(step);
    }
  }
}

/** HA names the RM leader without delivering anything yet (to queue two announcements). */
export function queueResourceManagerLeader(
  s: TaskExecutorScenario,
  leaderSessionId: string | null,
): void {
  s.instructOnly('ha', {
    kind: 'leader',
    jobId: null,
    leaderAddress: leaderSessionId === null ? null : RM,
    leaderSessionId,
  });
}

/** HA names job-1's leader (`null`: none, which revokes the JobMaster). */
export function announceJobLeader(s: TaskExecutorScenario, leaderSessionId: string | null): void {
  s.announceJobMaster(JOB, leaderSessionId === null ? null : JM, leaderSessionId);
}

/** Where this folder's scenarios report machine coverage: the harness's default, and path tests'. */
let coverageTarget: CoverageSink = () => undefined;

/** Reports the machine coverage of every scenario of this folder, path tests included, to `sink`. */
export function reportJobMasterCoverageTo(sink: CoverageSink): void {
  coverageTarget = sink;
  reportScenarioCoverageTo(sink);
}

/** Long enough that nothing times out by itself: a path test decides every step. */
const NEVER = 1_000_000_000;

export interface PathScenarioOptions {
  /** Where the monitors report the transitions they saw taken. */
  readonly coverage: CoverageSink;
  /** Endpoints the test plays besides the ResourceManager (`rm` is always scripted). */
  readonly scripted?: readonly EndpointId[];
  /** job-1's settings over the path tests' own: parallelism 1, nothing timing out by itself. */
  readonly job?: Partial<JobMasterConfig>;
}

/** The real JobMaster of job-1 alone, not leading yet; the ResourceManager is the test's. */
export function pathScenario(options: PathScenarioOptions): TaskExecutorScenario {
  return new TaskExecutorScenario({
    taskExecutors: 0,
    jobMasters: options.scripted ?? [],
    coverage: options.coverage,
    jobs: [
      {
        jobId: JOB,
        config: {
          parallelism: 1,
          heartbeat: { intervalMs: 10_000, timeoutMs: NEVER, rpcFailureThreshold: 2 },
          idleSlotTimeoutMs: NEVER,
          slotRequestTimeoutMs: NEVER,
          ...options.job,
        },
      },
    ],
  });
}

/** The TaskExecutor the path tests play, and the one slot it has. */
export const SCRIPTED_TE = 'te-s';
export const SCRIPTED_TE_ID = SCRIPTED_TE as ResourceID;
export const SLOT_A = 'alloc-A' as AllocationID;

/**
 * The TaskExecutor `te-s`, played by the test: it registers at the JobMaster, offers its one slot
 * A, fails it, and acknowledges every task deployed to it, so that the job runs in what it offers.
 */
export class ScriptedTaskExecutor {
  private readonly answered = new Set<number>();

  constructor(private readonly s: TaskExecutorScenario) {}

  /** Asks the JobMaster, then acks what that deployed. */
  private ask(msg: ClusterMessage): void {
    this.s.instruct(SCRIPTED_TE, { kind: 'ask', to: JM, msg, timeoutMs: 10_000 });
    this.ackDeployments();
  }

  /** Every task deployed to the TaskExecutor runs. */
  ackDeployments(): void {
    for (const r of this.s.inbox(SCRIPTED_TE, 'submitTask')) {
      if (r.ask === null || this.answered.has(r.ask.askId)) continue;
      this.answered.add(r.ask.askId);
      this.s.reply(SCRIPTED_TE, r.ask, { type: 'submitTask.acked' });
    }
  }

  /** Registers at the leading JobMaster, unless it is registered there already. */
  register(): void {
    if (this.s.jmLeader().registeredTaskManagers.some((r) => r.resourceId === SCRIPTED_TE_ID))
      return;
    this.ask({
      type: 'registerTaskManager',
      fencingToken: JM_ID,
      jobId: JOB,
      taskManagerRegistrationInformation: {
        taskManagerAddress: SCRIPTED_TE,
        resourceId: SCRIPTED_TE_ID,
        sessionId: 'session-1' as TaskManagerSessionId,
      },
    });
  }

  /** Registers (if need be) and offers slot A; what the pool makes of it is the JobMaster's. */
  offer(): void {
    this.register();
    this.ask({
      type: 'offerSlots',
      fencingToken: JM_ID,
      resourceId: SCRIPTED_TE_ID,
      offers: [{ allocationId: SLOT_A, slotIndex: 0, resourceProfile: 'default' }],
    });
  }

  /** Tells the JobMaster that slot A failed. */
  failSlot(): void {
    this.s.instruct(SCRIPTED_TE, {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'failSlot',
        fencingToken: JM_ID,
        resourceId: SCRIPTED_TE_ID,
        allocationId: SLOT_A,
        cause: 'path',
      },
    });
    this.ackDeployments();
  }
}

/** The restart delay elapses: the job runs again, a new round asks for its slots. */
export function restartJob(s: TaskExecutorScenario, te?: ScriptedTaskExecutor): void {
  advanceToTimer(s, JM, 'scheduler/restart');
  te?.ackDeployments();
}

/** A client rescales the job (a running job's round is cancelled, and the job restarts). */
export function rescale(s: TaskExecutorScenario, parallelism: number): void {
  s.jobClient({ kind: 'changeParallelism', parallelism });
}

/**
 * What a realisation returns when the event needs nothing done: the implementation took it in the
 * step of the path's event before (an output of that step, or what that step led to at once).
 */
export const IN_STEP_BEFORE = 'in the step before';

/** One event of a path, where it stands. */
export interface PathEvent<E extends EventObject> {
  readonly event: E;
  /** The state the path has the machine in before the event. */
  readonly before: string;
  readonly previous: E | undefined;
  readonly next: E | undefined;
}

export interface TransitionPathSuite<E extends EventObject, D extends { state(): string }> {
  readonly machine: AnyStateMachine;
  readonly input?: unknown;
  /** The events the traversal tries in a state: those `realise` can make happen. */
  readonly eventsFor: (snapshot: AnyMachineSnapshot) => readonly E[];
  /** How many paths the traversal finds. */
  readonly paths: number;
  /** A fresh driver, whose scenario reports the transitions it saw to `coverage`. */
  readonly driver: (coverage: CoverageSink) => D;
  /** Makes the event happen to the implementation. */
  readonly realise: (driver: D, at: PathEvent<E>) => void | typeof IN_STEP_BEFORE;
  /**
   * States the implementation never ends a step in, with the state the monitored machine is in
   * at the end of that step (where the same step takes it on).
   */
  readonly settlesIn?: Readonly<Record<string, string>>;
}

/** The transitions the monitors reported taken, in order, by machine. */
class TransitionRecorder {
  private readonly taken: { readonly machine: AnyStateMachine; readonly key: string }[] = [];

  readonly sink: CoverageSink = (machine, transitionKeys, state, seen) => {
    for (const key of transitionKeys) this.taken.push({ machine, key });
    coverageTarget(machine, transitionKeys, state, seen);
  };

  mark(): number {
    return this.taken.length;
  }

  /** The keys of the machine's transitions taken since `mark`. */
  since(mark: number, machine: AnyStateMachine): string[] {
    return this.taken.slice(mark).flatMap((t) => (t.machine === machine ? [t.key] : []));
  }
}

/** The keys of the transitions the path's last event takes in the machine. */
function lastTransition<E extends EventObject>(
  machine: AnyStateMachine,
  input: unknown,
  path: TransitionPath<E>,
): readonly string[] {
  let snapshot = start(machine, input);
  const events = path.steps.map((s) => s.event);
  for (const event of events.slice(0, -1))
    snapshot = stepMachine(machine, snapshot, event).snapshot;
  const last = events.at(-1);
  if (last === undefined) throw new Error(`the path ${path.description} is empty`);
  return stepMachine(machine, snapshot, last).taken;
}

/**
 * One test per path the traversal of the machine finds (one per transition from each reachable
 * state and context): each event is realised on the implementation, after which the monitored
 * machine must be in the state the path says (or, for a state no step ends in, where that step
 * takes it), and the path's last transition must have been taken by the monitored machine while
 * its event was realised (or, for an event taken in the step before, while that one was).
 */
export function describeTransitionPaths<E extends EventObject, D extends { state(): string }>(
  title: string,
  suite: TransitionPathSuite<E, D>,
): void {
  const initial = initialTransition(suite.machine, suite.input)[0];
  const paths = transitionPaths(suite.machine, initial, suite.eventsFor);
  describe(title, () => {
    it('the traversal finds a path for each transition it can realise', () => {
      expect(paths).toHaveLength(suite.paths);
    });

    for (const path of paths) {
      it(path.description, () => {
        const recorder = new TransitionRecorder();
        const driver = suite.driver(recorder.sink);
        let window = recorder.mark();
        path.steps.forEach((step, i) => {
          const mark = recorder.mark();
          const realised = suite.realise(driver, {
            event: step.event,
            before: path.steps[i - 1]?.state ?? stateName(initial),
            previous: path.steps[i - 1]?.event,
            next: path.steps[i + 1]?.event,
          });
          if (realised !== IN_STEP_BEFORE) window = mark;
          const expected = suite.settlesIn?.[step.state] ?? step.state;
          expect(driver.state(), `after ${step.event.type}`).toBe(expected);
        });
        const last = lastTransition(suite.machine, suite.input, path);
        expect(last).not.toHaveLength(0);
        expect(
          recorder.since(window, suite.machine),
          'the transitions the monitored machine took for the last event',
        ).toEqual(expect.arrayContaining([...last]));
      });
    }
  });
}
