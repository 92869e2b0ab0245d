/**
 * The state of the ResourceManager process (Flink's `ResourceManagerServiceImpl` and, per
 * leadership, its `ResourceManager`, `DefaultJobLeaderIdService` and `DeclarativeSlotManager`), as
 * plain data, and its configuration. A leadership session owns all of `leader`; a new one starts
 * from nothing.
 */
import type {
  InstanceID,
  JobID,
  JobMasterId,
  ResourceID,
  ResourceManagerId,
} from '../../protocol/ids.js';
import type { RpcAddress } from '../../protocol/values.js';
import {
  createHeartbeatManager,
  DEFAULT_HEARTBEAT_CONFIG,
  type HeartbeatConfig,
  type HeartbeatManager,
} from '../heartbeat/heartbeatManager.js';
import type { AskRef } from '../sim/effects.js';
import type { EndpointId } from '../sim/world.js';
import { createActiveWorkers, type ActiveWorkers } from './activeWorkers.js';
import {
  createDeclarativeSlotManager,
  type DeclarativeSlotManager,
} from './slotmanager/declarativeSlotManager.js';
import type { TaskExecutorManagerConfig } from './slotmanager/taskExecutorManager.js';

/** How workers come and go: a fixed set (standalone) or on request (active, Kubernetes/YARN). */
export type WorkerMode = 'standalone' | 'active';

export interface ResourceManagerConfig {
  readonly resourceId: ResourceID;
  readonly workerMode: WorkerMode;
  readonly heartbeat: HeartbeatConfig;
  /** `akka.ask.timeout`: the timeout of `requestSlot` and the RM's other asks. */
  readonly rpcTimeoutMs: number;
  /** `resourcemanager.job.timeout` */
  readonly jobTimeoutMs: number;
  /** `resourcemanager.standalone.start-up-time` (falls back to `slot.request.timeout`); ≤ 0: none. */
  readonly startupPeriodMs: number;
  readonly slotManager: TaskExecutorManagerConfig;
  /** Active mode: the endpoint of the resource provider (Kubernetes, YARN) the driver talks to. */
  readonly resourceProvider: EndpointId;
  /** `resourcemanager.taskmanager-registration.timeout`: a requested worker must register in time. */
  readonly workerRegistrationTimeoutMs: number;
  /** `resourcemanager.start-worker.max-failure-rate`: start failures per minute before a cool-down. */
  readonly startWorkerMaxFailureRate: number;
  /** `resourcemanager.start-worker.retry-interval`: the cool-down. */
  readonly startWorkerRetryIntervalMs: number;
}

export function resourceManagerConfig(
  overrides: Partial<ResourceManagerConfig> = {},
): ResourceManagerConfig {
  return {
    resourceId: 'rm' as ResourceID,
    workerMode: 'standalone',
    heartbeat: DEFAULT_HEARTBEAT_CONFIG,
    rpcTimeoutMs: 10_000,
    jobTimeoutMs: 300_000,
    startupPeriodMs: 300_000,
    slotManager: {
      numSlotsPerWorker: 2,
      defaultSlotResourceProfile: 'default',
      maxSlotNum: Number.MAX_SAFE_INTEGER,
      redundantTaskManagerNum: 0,
      taskManagerTimeoutMs: 30_000,
      mutants: [],
    },
    resourceProvider: 'provider',
    workerRegistrationTimeoutMs: 300_000,
    startWorkerMaxFailureRate: 10,
    startWorkerRetryIntervalMs: 3_000,
    ...overrides,
  };
}

/** `JobManagerRegistration`: the registered JobMaster of a job. */
export interface JobManagerRegistration {
  readonly jobId: JobID;
  readonly jobMasterId: JobMasterId;
  readonly jobMasterResourceId: ResourceID;
  readonly address: RpcAddress;
}

/** `WorkerRegistration`: a registered TaskExecutor under this registration's InstanceID. */
export interface WorkerRegistration {
  readonly resourceId: ResourceID;
  readonly instanceId: InstanceID;
  readonly address: RpcAddress;
}

/** `DefaultJobLeaderIdService` entry: the job's leader as HA reports it, and registrations waiting for it. */
export interface JobLeaderIdEntry {
  readonly jobId: JobID;
  /** The leader's JobMasterId once HA has reported one (Flink's leader-id future). */
  leaderId: JobMasterId | null;
  /** `registerJobMaster` asks waiting for the leader id (the future not yet complete). */
  waiting: {
    readonly ask: AskRef;
    readonly jobMasterId: JobMasterId;
    readonly resourceId: ResourceID;
    readonly address: RpcAddress;
  }[];
  /** Guards the job timeout against stale firings (`timeoutId`). */
  timeoutId: number | null;
}

/** One leadership session: everything a `ResourceManager` object holds. */
export interface ResourceManagerLeadership {
  readonly resourceManagerId: ResourceManagerId;
  /**
   * Which grant this is. Answers to asks carry it, so that an answer to an earlier grant is
   * dropped even if HA granted the same session id again (Flink's ids are fresh UUIDs).
   */
  readonly grant: number;
  jobManagerRegistrations: JobManagerRegistration[];
  taskExecutors: WorkerRegistration[];
  jobLeaderIds: JobLeaderIdEntry[];
  taskManagerHeartbeat: HeartbeatManager;
  jobManagerHeartbeat: HeartbeatManager;
  slotManager: DeclarativeSlotManager;
  /** Active mode only: `ActiveResourceManager`'s worker bookkeeping. */
  active: ActiveWorkers | null;
}

export interface ResourceManagerState {
  /**
   * Counter for InstanceIDs, AllocationIDs and timeout ids (Flink's random ids). Ids minted by a
   * restarted process carry its incarnation (`idPrefix`), so that no id is ever minted twice, as
   * Flink's random UUIDs never are.
   */
  nextId: number;
  readonly idPrefix: string;
  /** How many times leadership was granted to this process (numbers each grant). */
  grants: number;
  leader: ResourceManagerLeadership | null;
  /**
   * Active mode: a granted leadership whose driver is still recovering the workers of earlier
   * attempts (`ActiveResourceManager#initialize` runs before the new `ResourceManager` serves).
   */
  starting: { readonly leaderSessionId: string; readonly grant: number } | null;
}

export function createResourceManagerState(incarnation = 1): ResourceManagerState {
  return {
    nextId: 1,
    idPrefix: incarnation === 1 ? '' : `r${incarnation}-`,
    grants: 0,
    leader: null,
    starting: null,
  };
}

export function createLeadership(
  resourceManagerId: ResourceManagerId,
  grant: number,
  config: ResourceManagerConfig,
): ResourceManagerLeadership {
  return {
    resourceManagerId,
    grant,
    jobManagerRegistrations: [],
    taskExecutors: [],
    jobLeaderIds: [],
    taskManagerHeartbeat: createHeartbeatManager('taskManagerHeartbeat'),
    jobManagerHeartbeat: createHeartbeatManager('jobManagerHeartbeat'),
    // Standalone: no not-enough-resources notifications until the start-up period ends (never
    // with a period ≤ 0, as in StandaloneResourceManager#startStartupPeriod).
    slotManager: createDeclarativeSlotManager(config.workerMode !== 'standalone'),
    active: config.workerMode === 'active' ? createActiveWorkers() : null,
  };
}
