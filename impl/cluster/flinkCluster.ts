/**
 * A whole Flink cluster on the simulator, running by itself: M TaskExecutors (or, in active mode,
 * a resource provider whose workers the ResourceManager starts), one ResourceManager, K jobs each
 * with its JobMaster, and the HA service electing leaders. The environment's client steps are
 * HA's (elections, leader changes within a budget, expiries of dead leaders, removal of ended
 * jobs) and the jobs' clients (rescale, finish, cancel) within a budget. This is the system of
 * the main job (`flink-slot-model simulate`) and of the property suite.
 */
import { z } from 'zod';
import type { JobID, ResourceID } from '../../protocol/ids.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import {
  createHaState,
  HA_TICK_TIMER,
  leaderChanges,
  onHaAction,
  onHaMessage,
  onHaTick,
  onListenerCrashed,
  type Contenders,
  RESOURCE_MANAGER_SERVICE,
  type HaAction,
  type HaState,
} from '../ha/haService.js';
import { DEFAULT_HEARTBEAT_CONFIG } from '../heartbeat/heartbeatManager.js';
import type { JobClientAction } from '../jobmaster/jobMaster.js';
import type { Mutant } from '../mutants.js';
import { jobMasterConfig } from '../jobmaster/jobMasterState.js';
import { resourceManagerConfig } from '../resourcemanager/resourceManagerState.js';
import type { Json } from '../sim/canonical.js';
import type { SimSystem } from '../sim/system.js';
import type { EndpointId } from '../sim/world.js';
import { taskExecutorConfig } from '../taskexecutor/taskExecutorState.js';
import type { ClusterMessage } from './clusterMessage.js';
import {
  ClusterRouting,
  jobMasterEndpoint,
  RM_ENDPOINT,
  type ClusterProcesses,
} from './clusterProcesses.js';

const ms = z.number().int().min(1);

/** The timeouts that decide the races of the protocol, the same for every component that has them. */
export const ClusterTimeouts = z.strictObject({
  /** `heartbeat.interval` */
  heartbeatIntervalMs: ms.default(10_000),
  /** `heartbeat.timeout` */
  heartbeatTimeoutMs: ms.default(50_000),
  /** `akka.ask.timeout`: every ask (requestSlot, offerSlots, registrations, …). */
  rpcTimeoutMs: ms.default(10_000),
  /** `taskmanager.slot.timeout`: an ALLOCATED slot no JobMaster takes is freed. */
  slotTimeoutMs: ms.default(10_000),
  /** `slot.idle.timeout`: a JobMaster frees a slot it has not used this long. */
  idleSlotTimeoutMs: ms.default(50_000),
  /**
   * `slot.request.timeout`: how long a bulk of slot requests may stay unfulfillable; also the
   * standalone start-up period (`resourcemanager.standalone.start-up-time` falls back to it).
   */
  slotRequestTimeoutMs: ms.default(300_000),
  /** `resourcemanager.taskmanager-timeout`: an idle TaskExecutor is released (active mode). */
  taskManagerTimeoutMs: ms.default(30_000),
  /** `resourcemanager.job.timeout`: a job without a JobMaster leader is dropped by the RM. */
  jobTimeoutMs: ms.default(300_000),
});
export type ClusterTimeouts = z.infer<typeof ClusterTimeouts>;

export const FlinkClusterConfig = z.strictObject({
  /** Standalone: a fixed set of TaskExecutors. Active: workers started on request. */
  mode: z.enum(['standalone', 'active']).default('standalone'),
  /** Standalone: how many TaskExecutors (`te-1`, …). Active: how many workers the provider can start. */
  taskExecutors: z.number().int().min(0).max(64).default(3),
  slotsPerTaskExecutor: z.number().int().min(1).max(16).default(2),
  /** The jobs (`job-1`, …) and each one's parallelism. */
  jobs: z
    .array(
      z.strictObject({
        parallelism: z.number().int().min(0).max(256),
        /** Submitted with the cluster's start; otherwise a client submits it during the run. */
        submitted: z.boolean().default(true),
      }),
    )
    .max(16)
    .default([
      { parallelism: 2, submitted: true },
      { parallelism: 2, submitted: true },
    ]),
  /** How many times HA may take leadership from a live leader (RM leader change, JM failover). */
  leaderChanges: z.number().int().min(0).default(2),
  /** How many client actions on jobs a run may have. */
  jobActions: z.number().int().min(0).default(1),
  /** Whether those actions may finish or cancel a job (otherwise they only rescale it). */
  jobEnds: z.boolean().default(false),
  /** Flink's timeouts, in milliseconds (their defaults are Flink's). */
  timeouts: ClusterTimeouts.default(ClusterTimeouts.parse({})),
});
export type FlinkClusterConfig = z.infer<typeof FlinkClusterConfig>;
export type FlinkClusterConfigInput = z.input<typeof FlinkClusterConfig>;

export type ClusterAction =
  | (HaAction & Json)
  | { readonly kind: 'job'; readonly jobId: string; readonly action: JobClientAction & Json };

export interface FlinkClusterState extends ClusterProcesses {
  ha: HaState;
  /** The incarnation of each process's current start (what HA's sessions are tied to). */
  incarnations: Record<EndpointId, number>;
  jobActions: number;
}

export function jobIds(config: FlinkClusterConfig): string[] {
  return config.jobs.map((_, i) => `job-${i + 1}`);
}

/**
 * The processes of a cluster of this configuration. `mutants` switches on deliberately broken
 * variants of the components (impl/mutants.ts); only test harnesses pass any.
 */
export function clusterRouting(
  config: FlinkClusterConfig,
  mutants: readonly Mutant[] = [],
): ClusterRouting {
  const slots = config.slotsPerTaskExecutor;
  const t = config.timeouts;
  const heartbeat = {
    ...DEFAULT_HEARTBEAT_CONFIG,
    intervalMs: t.heartbeatIntervalMs,
    timeoutMs: t.heartbeatTimeoutMs,
  };
  const workers = Array.from(
    { length: config.taskExecutors },
    (_, i) => `${config.mode === 'active' ? 'worker' : 'te'}-${i + 1}` as ResourceID,
  );
  return new ClusterRouting({
    taskExecutors: workers.map((resourceId) =>
      taskExecutorConfig(resourceId, {
        numberOfSlots: slots,
        heartbeat,
        rpcTimeoutMs: t.rpcTimeoutMs,
        slotTimeoutMs: t.slotTimeoutMs,
        mutants,
      }),
    ),
    resourceManager: resourceManagerConfig({
      workerMode: config.mode,
      heartbeat,
      rpcTimeoutMs: t.rpcTimeoutMs,
      jobTimeoutMs: t.jobTimeoutMs,
      startupPeriodMs: t.slotRequestTimeoutMs,
      slotManager: {
        ...resourceManagerConfig().slotManager,
        numSlotsPerWorker: slots,
        taskManagerTimeoutMs: t.taskManagerTimeoutMs,
        mutants,
      },
    }),
    resourceProvider:
      config.mode === 'active' ? { pool: workers, workerStartupMs: 10_000, neverStart: [] } : null,
    jobMasters: jobIds(config).map((jobId, i) =>
      jobMasterConfig(jobId as JobID, {
        parallelism: config.jobs[i]?.parallelism ?? 0,
        heartbeat,
        rpcTimeoutMs: t.rpcTimeoutMs,
        idleSlotTimeoutMs: t.idleSlotTimeoutMs,
        slotRequestTimeoutMs: t.slotRequestTimeoutMs,
        mutants,
      }),
    ),
  });
}

export function flinkCluster(
  config: FlinkClusterConfig,
  mutants: readonly Mutant[] = [],
): SimSystem<FlinkClusterState, ClusterMessage, ClusterAction> {
  const routing = clusterRouting(config, mutants);
  const jobs = jobIds(config);
  const contenderOf = (service: string) =>
    service === RESOURCE_MANAGER_SERVICE ? RM_ENDPOINT : jobMasterEndpoint(service);
  const services = [RESOURCE_MANAGER_SERVICE, ...jobs].map((service) => ({
    service,
    contender: contenderOf(service),
  }));
  /** What HA sees of the cluster: which contenders run, which jobs ended. */
  const contenders = (state: FlinkClusterState): Contenders => ({
    services,
    isUp: (endpoint) =>
      endpoint === RM_ENDPOINT
        ? state.resourceManager !== null
        : (state.jobMasters[endpoint] ?? null) !== null,
    incarnation: (endpoint) => state.incarnations[endpoint] ?? 0,
    isFinished: (service) =>
      service !== RESOURCE_MANAGER_SERVICE &&
      (state.jobMasters[jobMasterEndpoint(service)]?.terminated ?? null) !== null,
    leaderChangeBudget: config.leaderChanges,
  });
  return {
    name: 'flink-cluster',
    endpoints: [...routing.endpoints, HA_ENDPOINT],
    managed: routing.managed,
    faultFree: [HA_ENDPOINT],
    crashable: (endpoint) => routing.crashable(endpoint),
    initialState: () => ({
      ...routing.initialProcesses(),
      ha: createHaState(jobs.filter((_, i) => config.jobs[i]?.submitted !== false)),
      incarnations: {},
      jobActions: 0,
    }),
    onStart(state, ctx, out) {
      // HA's first check runs at once: the first leaders are elected at the start.
      if (ctx.endpoint === HA_ENDPOINT) out.armTimer(HA_TICK_TIMER, 0);
      state.incarnations[ctx.endpoint] = ctx.incarnation;
      routing.start(state, ctx, out);
    },
    onCrash(state, endpoint) {
      routing.crash(state, endpoint);
      onListenerCrashed(state.ha, endpoint);
    },
    onMessage(state, ctx, delivery, out) {
      if (ctx.endpoint === HA_ENDPOINT) return onHaMessage(state.ha, delivery, out);
      routing.processAt(state, ctx.endpoint)?.message(ctx, delivery, out);
    },
    onReply(state, ctx, ask, reply, out) {
      routing.processAt(state, ctx.endpoint)?.reply(ctx, ask, reply, out);
    },
    onAskFailure(state, ctx, ask, failure, out) {
      routing.processAt(state, ctx.endpoint)?.askFailure(ctx, ask, failure, out);
    },
    onTimer(state, ctx, name, data, out) {
      if (ctx.endpoint === HA_ENDPOINT)
        return onHaTick(state.ha, contenders(state), contenderOf, out);
      const process = routing.processAt(state, ctx.endpoint);
      if (process === null) throw new Error(`cluster: timer ${name} at ${ctx.endpoint}`);
      process.timer(ctx, name, data, out);
    },
    clientActions(state) {
      const ha = leaderChanges(state.ha, contenders(state)).map((action) => ({
        endpoint: HA_ENDPOINT,
        action,
      }));
      const clients: { endpoint: EndpointId; action: ClusterAction }[] = [];
      for (const jobId of jobs)
        if (!state.ha.submitted.includes(jobId))
          ha.push({ endpoint: HA_ENDPOINT, action: { kind: 'submitJob', service: jobId } });
      if (state.jobActions < config.jobActions) {
        jobs.forEach((jobId, i) => {
          const leader = state.jobMasters[jobMasterEndpoint(jobId)]?.leader ?? null;
          if (leader === null) return;
          const parallelism = leader.scheduler.parallelism;
          const base = config.jobs[i]?.parallelism ?? parallelism;
          const rescaleTo = parallelism === base ? Math.max(0, parallelism - 1) : base;
          const actions: JobClientAction[] = [
            { kind: 'changeParallelism', parallelism: rescaleTo },
          ];
          if (config.jobEnds) actions.push({ kind: 'finishJob' }, { kind: 'cancelJob' });
          for (const action of actions)
            clients.push({
              endpoint: jobMasterEndpoint(jobId),
              action: { kind: 'job', jobId, action },
            });
        });
      }
      return [...ha, ...clients];
    },
    onClientAction(state, ctx, action, out) {
      if (action.kind === 'job') {
        state.jobActions += 1;
        routing.jobClientAction(state, ctx, action.action, out);
        return;
      }
      onHaAction(state.ha, action, contenderOf, out, contenders(state));
    },
  };
}
