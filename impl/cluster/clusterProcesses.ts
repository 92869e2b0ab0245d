/**
 * The real processes of a simulated Flink cluster and where each lives: TaskExecutors at their
 * ResourceIDs, the ResourceManager at `rm`, an active deployment's resource provider at `provider`,
 * and each job's JobMaster at `jm-<jobId>`. One routing table, so that every system built from
 * these processes (the scenario harness, the main job's cluster) hands each event to the same
 * handler.
 */
import type { ExecutionAttemptID } from '../../protocol/ids.js';
import type { ClusterMessage } from './clusterMessage.js';
import {
  onJobClientAction,
  onJobMasterAskFailure,
  onJobMasterMessage,
  onJobMasterReply,
  onJobMasterTimer,
  startJobMaster,
  type JobClientAction,
} from '../jobmaster/jobMaster.js';
import type { JobMasterConfig, JobMasterState } from '../jobmaster/jobMasterState.js';
import {
  onResourceManagerAskFailure,
  onResourceManagerMessage,
  onResourceManagerReply,
  onResourceManagerTimer,
  startResourceManager,
} from '../resourcemanager/resourceManager.js';
import type {
  ResourceManagerConfig,
  ResourceManagerState,
} from '../resourcemanager/resourceManagerState.js';
import {
  onResourceProviderMessage,
  onResourceProviderTimer,
  startResourceProvider,
  type ResourceProviderConfig,
  type ResourceProviderState,
} from '../resourceprovider/resourceProvider.js';
import type { Json } from '../sim/canonical.js';
import type { Out } from '../sim/effects.js';
import type { AskFailure, Delivery, HandlerContext } from '../sim/system.js';
import type { EndpointId, PendingAsk } from '../sim/world.js';
import {
  onTaskExecutorAskFailure,
  onTaskExecutorMessage,
  onTaskExecutorReply,
  onTaskExecutorTaskFinished,
  onTaskExecutorTimer,
  startTaskExecutor,
} from '../taskexecutor/taskExecutor.js';
import type { TaskExecutorConfig, TaskExecutorState } from '../taskexecutor/taskExecutorState.js';

/** Where the ResourceManager lives. */
export const RM_ENDPOINT = 'rm';

/** Where the resource provider (Kubernetes, YARN) of an active deployment lives. */
export const PROVIDER_ENDPOINT = 'provider';

/** Where the JobMaster of a job lives. */
export function jobMasterEndpoint(jobId: string): EndpointId {
  return `jm-${jobId}`;
}

/** The job whose JobMaster lives at this endpoint (the inverse of `jobMasterEndpoint`). */
export function jobOfJobMasterEndpoint(endpoint: EndpointId): string {
  if (!endpoint.startsWith('jm-')) throw new Error(`${endpoint} is not a JobMaster endpoint`);
  return endpoint.slice('jm-'.length);
}

/** Which real processes a cluster runs, with their configurations. */
export interface ClusterTopology {
  readonly taskExecutors: readonly TaskExecutorConfig[];
  readonly resourceManager: ResourceManagerConfig | null;
  readonly resourceProvider: ResourceProviderConfig | null;
  readonly jobMasters: readonly JobMasterConfig[];
}

/** The in-memory state of every real process; null while a process is down. */
export interface ClusterProcesses {
  taskExecutors: Record<EndpointId, TaskExecutorState | null>;
  resourceManager: ResourceManagerState | null;
  resourceProvider: ResourceProviderState | null;
  jobMasters: Record<EndpointId, JobMasterState | null>;
}

/** A running process, bound to its state and configuration. */
export interface Process {
  message(ctx: HandlerContext, delivery: Delivery<ClusterMessage>, out: Out<ClusterMessage>): void;
  reply(
    ctx: HandlerContext,
    ask: PendingAsk<ClusterMessage>,
    reply: ClusterMessage,
    out: Out<ClusterMessage>,
  ): void;
  askFailure(
    ctx: HandlerContext,
    ask: PendingAsk<ClusterMessage>,
    failure: AskFailure,
    out: Out<ClusterMessage>,
  ): void;
  timer(ctx: HandlerContext, name: string, data: Json, out: Out<ClusterMessage>): void;
}

export class ClusterRouting {
  private readonly taskExecutorAt: Map<EndpointId, TaskExecutorConfig>;
  private readonly jobMasterAt: Map<EndpointId, JobMasterConfig>;

  constructor(readonly topology: ClusterTopology) {
    this.taskExecutorAt = new Map(topology.taskExecutors.map((c) => [c.resourceId as string, c]));
    this.jobMasterAt = new Map(topology.jobMasters.map((c) => [jobMasterEndpoint(c.jobId), c]));
  }

  /** Every real endpoint, in a stable order. */
  get endpoints(): EndpointId[] {
    return [
      ...this.taskExecutorAt.keys(),
      ...(this.topology.resourceManager === null ? [] : [RM_ENDPOINT]),
      ...(this.topology.resourceProvider === null ? [] : [PROVIDER_ENDPOINT]),
      ...this.jobMasterAt.keys(),
    ];
  }

  /** The provider's workers: TaskExecutors that run only while the provider runs them. */
  get managed(): EndpointId[] {
    return [...(this.topology.resourceProvider?.pool ?? [])];
  }

  isReal(endpoint: EndpointId): boolean {
    return this.endpoints.includes(endpoint);
  }

  isTaskExecutor(endpoint: EndpointId): boolean {
    return this.taskExecutorAt.has(endpoint);
  }

  isJobMaster(endpoint: EndpointId): boolean {
    return this.jobMasterAt.has(endpoint);
  }

  /** Processes that a crash fault may hit (the provider stands for Kubernetes or YARN itself). */
  crashable(endpoint: EndpointId): boolean {
    return (
      this.isTaskExecutor(endpoint) ||
      this.isJobMaster(endpoint) ||
      (this.topology.resourceManager !== null && endpoint === RM_ENDPOINT)
    );
  }

  initialProcesses(): ClusterProcesses {
    return {
      taskExecutors: Object.fromEntries([...this.taskExecutorAt.keys()].map((e) => [e, null])),
      resourceManager: null,
      resourceProvider: null,
      jobMasters: Object.fromEntries([...this.jobMasterAt.keys()].map((e) => [e, null])),
    };
  }

  start(processes: ClusterProcesses, ctx: HandlerContext, out: Out<ClusterMessage>): void {
    const e = ctx.endpoint;
    const te = this.taskExecutorAt.get(e);
    if (te !== undefined) processes.taskExecutors[e] = startTaskExecutor(te, ctx, out);
    if (this.jobMasterAt.has(e)) processes.jobMasters[e] = startJobMaster();
    if (this.topology.resourceManager !== null && e === RM_ENDPOINT)
      processes.resourceManager = startResourceManager(ctx.incarnation);
    if (this.topology.resourceProvider !== null && e === PROVIDER_ENDPOINT)
      processes.resourceProvider = startResourceProvider();
  }

  crash(processes: ClusterProcesses, endpoint: EndpointId): void {
    if (this.taskExecutorAt.has(endpoint)) processes.taskExecutors[endpoint] = null;
    if (this.jobMasterAt.has(endpoint)) processes.jobMasters[endpoint] = null;
    if (endpoint === RM_ENDPOINT) processes.resourceManager = null;
  }

  /** The real process at the endpoint, or null if the endpoint is not one of them. */
  processAt(processes: ClusterProcesses, endpoint: EndpointId): Process | null {
    const running = <T>(state: T | null | undefined): T => {
      if (state === null || state === undefined)
        throw new Error(`cluster: ${endpoint} is not running`);
      return state;
    };
    const teConfig = this.taskExecutorAt.get(endpoint);
    if (teConfig !== undefined) {
      const te = running(processes.taskExecutors[endpoint]);
      return {
        message: (ctx, d, out) => onTaskExecutorMessage(te, teConfig, ctx, d, out),
        reply: (ctx, a, r, out) => onTaskExecutorReply(te, teConfig, ctx, a, r, out),
        askFailure: (ctx, a, f, out) => onTaskExecutorAskFailure(te, teConfig, ctx, a, f, out),
        timer: (ctx, n, data, out) => onTaskExecutorTimer(te, teConfig, ctx, n, data, out),
      };
    }
    const jmConfig = this.jobMasterAt.get(endpoint);
    if (jmConfig !== undefined) {
      const jm = running(processes.jobMasters[endpoint]);
      return {
        message: (ctx, d, out) => onJobMasterMessage(jm, jmConfig, ctx, d, out),
        reply: (ctx, a, r, out) => onJobMasterReply(jm, jmConfig, ctx, a, r, out),
        askFailure: (ctx, a, f, out) => onJobMasterAskFailure(jm, jmConfig, ctx, a, f, out),
        timer: (ctx, n, data, out) => onJobMasterTimer(jm, jmConfig, ctx, n, data, out),
      };
    }
    const rmConfig = this.topology.resourceManager;
    if (rmConfig !== null && endpoint === RM_ENDPOINT) {
      const rm = running(processes.resourceManager);
      return {
        message: (ctx, d, out) => onResourceManagerMessage(rm, rmConfig, ctx, d, out),
        reply: (ctx, a, r, out) => onResourceManagerReply(rm, rmConfig, ctx, a, r, out),
        askFailure: (ctx, a, f, out) => onResourceManagerAskFailure(rm, rmConfig, ctx, a, f, out),
        timer: (ctx, n, data, out) => onResourceManagerTimer(rm, rmConfig, ctx, n, data, out),
      };
    }
    const providerConfig = this.topology.resourceProvider;
    if (providerConfig !== null && endpoint === PROVIDER_ENDPOINT) {
      const provider = running(processes.resourceProvider);
      return {
        message: (_ctx, d, out) => onResourceProviderMessage(provider, providerConfig, d, out),
        reply: () => {
          throw new Error('cluster: the resource provider sends no asks');
        },
        askFailure: () => {
          throw new Error('cluster: the resource provider sends no asks');
        },
        timer: (_ctx, n, _data, out) => onResourceProviderTimer(n, out),
      };
    }
    return null;
  }

  /** A task at a TaskExecutor finishes (the environment decides when). */
  taskFinished(
    processes: ClusterProcesses,
    ctx: HandlerContext,
    attempt: ExecutionAttemptID,
    out: Out<ClusterMessage>,
  ): void {
    const config = this.taskExecutorAt.get(ctx.endpoint);
    const te = processes.taskExecutors[ctx.endpoint];
    if (config === undefined || te === null || te === undefined)
      throw new Error(`cluster: ${ctx.endpoint} is not a running TaskExecutor`);
    onTaskExecutorTaskFinished(te, config, ctx, attempt, out);
  }

  /** A client acts on a job at its JobMaster. */
  jobClientAction(
    processes: ClusterProcesses,
    ctx: HandlerContext,
    action: JobClientAction,
    out: Out<ClusterMessage>,
  ): void {
    const config = this.jobMasterAt.get(ctx.endpoint);
    const jm = processes.jobMasters[ctx.endpoint];
    if (config === undefined || jm === null || jm === undefined)
      throw new Error(`cluster: ${ctx.endpoint} is not a running JobMaster`);
    onJobClientAction(jm, config, ctx, action, out);
  }
}
