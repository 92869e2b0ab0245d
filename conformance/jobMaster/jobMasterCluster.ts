/**
 * Test support for the JobMaster: a whole simulated cluster (real TaskExecutors, ResourceManager
 * and the real JobMaster of job-1) through the scenario harness, with the faults the JobMaster's
 * stories inject (crashes, partitions, drops) and readers of its monitored machines.
 */
import type { JobMasterConfig, JobMasterState } from '../../impl/jobmaster/jobMasterState.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { Step } from '../../impl/sim/step.js';
import type { EndpointId } from '../../impl/sim/world.js';
import type { Instruction } from '../taskExecutor/scriptedCluster.js';
import { contextOf, type MachineInstance } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import {
  JM,
  JM_ID,
  JOB,
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

export function jmState(s: TaskExecutorScenario): JobMasterState {
  const state = s.simulation.state.system.jobMasters[JM];
  if (state === undefined || state === null) throw new Error(`${JM} is down`);
  return state;
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

/** Drops every message of this type in flight from `from` to `to`; returns how many. */
export function dropInFlight(
  s: TaskExecutorScenario,
  from: EndpointId,
  to: EndpointId,
  type: string,
): number {
  const seqs = s.simulation.state.messages
    .filter((e) => e.from === from && e.to === to && 'msg' in e && e.msg.type === type)
    .map((e) => e.seq);
  for (const seq of seqs) s.take({ kind: 'drop', seq });
  return seqs.length;
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
