/**
 * Test support for whole-cluster scenarios: every component real (TaskExecutors, the
 * ResourceManager, each job's JobMaster), HA and time driven by the test through the scenario
 * harness, and the conformance monitors on. Adds what the §3/§4 scenarios need on top of the
 * harness: a started cluster, message drops, and the cross-component checks of
 * `properties/clusterViews.ts`.
 */
import { expect } from 'vitest';
import type { JobID } from '../../protocol/ids.js';
import type { JobMasterConfig } from '../../impl/jobmaster/jobMasterState.js';
import type { ResourceManagerConfig } from '../../impl/resourcemanager/resourceManagerState.js';
import type { TaskExecutorConfig } from '../../impl/taskexecutor/taskExecutorState.js';
import type { EndpointId } from '../../impl/sim/world.js';
import {
  runsAllTasks,
  duplicateAllocations,
  taskExecutorSlots,
  viewDisagreements,
} from '../../properties/clusterViews.js';
import { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

export interface ClusterOptions {
  readonly taskExecutors?: number;
  /** Jobs by id with their parallelism (default: `job-1` of parallelism 2). */
  readonly jobs?: Readonly<Record<string, number>>;
  readonly taskExecutor?: Partial<TaskExecutorConfig>;
  readonly resourceManager?: Partial<ResourceManagerConfig>;
  readonly jobMaster?: Partial<JobMasterConfig>;
  /**
   * An active deployment: no standing TaskExecutors; the RM asks a resource provider with a pool of
   * this many workers (`worker-1`, …) for TaskExecutors.
   */
  readonly activeWorkers?: number;
  /** Leave the jobs' leaders unannounced (the test starts them). */
  readonly startJobs?: boolean;
}

/** The JobMasterId HA gives the `n`th leader of a job. */
export function jobMasterId(jobId: string, n = 1): string {
  return `${jobId}-leader-${n}`;
}

/**
 * A running standalone cluster: HA has elected the RM (`rm-leader-1`) and each job's JobMaster
 * (`<job>-leader-1`); the standalone start-up period lasts 1 ms, so that the RM reports missing
 * resources at once, as after the period (a period ≤ 0 would switch the reports off for good).
 */
export function startCluster(options: ClusterOptions = {}): TaskExecutorScenario {
  const jobs = options.jobs ?? { 'job-1': 2 };
  const s = new TaskExecutorScenario({
    taskExecutors: options.activeWorkers === undefined ? (options.taskExecutors ?? 2) : 0,
    config: options.taskExecutor ?? {},
    resourceManager: {
      startupPeriodMs: 1,
      ...(options.activeWorkers === undefined ? {} : { workerMode: 'active' as const }),
      ...options.resourceManager,
    },
    ...(options.activeWorkers === undefined
      ? {}
      : { resourceProvider: { workers: options.activeWorkers } }),
    jobs: Object.entries(jobs).map(([jobId, parallelism]) => ({
      jobId,
      config: { parallelism, ...options.jobMaster },
    })),
  });
  s.announceResourceManager();
  if (options.startJobs !== false)
    for (const jobId of Object.keys(jobs)) electJobMaster(s, jobId, 1);
  s.advance(1_000);
  return s;
}

/** HA elects the job's JobMaster as its `n`th leader (a new JobMasterId; the old one is revoked). */
export function electJobMaster(s: TaskExecutorScenario, jobId: string, n: number): void {
  s.announceJobMaster(jobId as JobID, `jm-${jobId}`, jobMasterId(jobId, n));
}

/**
 * HA elects the job's JobMaster without delivering anything yet, so that the test can step
 * through what follows (`runUntil`) and interfere.
 */
export function electJobMasterQuietly(s: TaskExecutorScenario, jobId: string, n: number): void {
  s.instructOnly('ha', {
    kind: 'leader',
    jobId: jobId as JobID,
    leaderAddress: `jm-${jobId}`,
    leaderSessionId: jobMasterId(jobId, n),
  });
}

/** Whether a message of that type is in flight (to `to`, if given). */
export function inFlight(s: TaskExecutorScenario, type: string, to?: EndpointId): number {
  return s.simulation.state.messages.filter(
    (e) => 'msg' in e && e.msg.type === type && (to === undefined || e.to === to),
  ).length;
}

/** Whether every task of the job runs (in the current round of its leading JobMaster). */
export function isRunning(s: TaskExecutorScenario, jobId = 'job-1'): boolean {
  const leader = s.jm(jobId).leader;
  return leader !== null && runsAllTasks(leader.scheduler);
}

/** Drops the oldest message of that type in flight to `to` (a lost message). */
export function drop(s: TaskExecutorScenario, to: EndpointId, type: string): void {
  const envelope = s.simulation.state.messages.find(
    (e) => e.to === to && 'msg' in e && e.msg.type === type,
  );
  if (envelope === undefined) throw new Error(`no ${type} to ${to} in flight`);
  s.take({ kind: 'drop', seq: envelope.seq });
}

/** Takes steps one at a time until `done` holds (messages first, then timers), at most `limit`. */
export function runUntil(s: TaskExecutorScenario, done: () => boolean, limit = 10_000): void {
  for (let i = 0; i < limit; i++) {
    if (done()) return;
    const steps = s.simulation.enabledSteps();
    const next =
      steps.find((t) => t.kind === 'deliver' || t.kind === 'client') ??
      steps.find((t) => t.kind === 'fireTimer' && t.endpoint !== 'ha');
    if (next === undefined) break;
    s.take(next);
  }
  if (!done()) throw new Error('runUntil: the condition never held');
}

/** The cluster's slots allocated at TaskExecutors, as `te#index:job:state`. */
export function allocatedSlots(s: TaskExecutorScenario): string[] {
  return taskExecutorSlots(s.simulation.state.system).map(
    (x) => `${x.taskExecutor}#${x.index}:${x.jobId}:${x.state}`,
  );
}

/** No AllocationID twice, and the components' views agree (to be checked when quiet). */
export function expectConsistent(s: TaskExecutorScenario): void {
  const processes = s.simulation.state.system;
  expect(duplicateAllocations(processes)).toEqual([]);
  expect(viewDisagreements(processes)).toEqual([]);
}
