/**
 * The state of one TaskExecutor process (Flink's `taskexecutor/TaskExecutor.java` fields, its
 * `DefaultJobTable` and `DefaultJobLeaderService`), as plain data, and its configuration.
 * Everything here is lost when the process crashes; only the ResourceID survives a restart.
 */
import type {
  InstanceID,
  JobID,
  JobMasterId,
  ResourceID,
  ResourceManagerId,
  TaskManagerSessionId,
} from '../../protocol/ids.js';
import type { ResourceProfile, RpcAddress } from '../../protocol/values.js';
import {
  createHeartbeatManager,
  DEFAULT_HEARTBEAT_CONFIG,
  type HeartbeatConfig,
  type HeartbeatManager,
} from '../heartbeat/heartbeatManager.js';
import {
  DEFAULT_REGISTRATION_CONFIG,
  type RetryingRegistration,
  type RetryingRegistrationConfig,
} from '../registration/retryingRegistration.js';
import type { Mutant } from '../mutants.js';
import { createTaskSlotTable, type TaskSlotTable } from './taskSlotTable.js';

export interface TaskExecutorConfig {
  readonly resourceId: ResourceID;
  /** `taskmanager.numberOfTaskSlots` */
  readonly numberOfSlots: number;
  readonly defaultSlotResourceProfile: ResourceProfile;
  /** `taskmanager.slot.timeout` (falls back to the ask timeout, 10 s) */
  readonly slotTimeoutMs: number;
  /** `akka.ask.timeout`: the timeout of the TaskExecutor's own asks */
  readonly rpcTimeoutMs: number;
  /** `taskmanager.registration.timeout` */
  readonly registrationTimeoutMs: number;
  readonly registration: RetryingRegistrationConfig;
  readonly heartbeat: HeartbeatConfig;
  /**
   * How long a task takes to terminate after it was failed externally. Ours: Flink's tasks end
   * asynchronously after cancellation; the model gives that a fixed duration.
   */
  readonly taskTerminationMs: number;
  /** Broken variants switched on by a test harness (impl/mutants.ts); empty in the reference. */
  readonly mutants: readonly Mutant[];
}

export function taskExecutorConfig(
  resourceId: ResourceID,
  overrides: Partial<TaskExecutorConfig> = {},
): TaskExecutorConfig {
  return {
    resourceId,
    numberOfSlots: 2,
    defaultSlotResourceProfile: 'default',
    slotTimeoutMs: 10_000,
    rpcTimeoutMs: 10_000,
    registrationTimeoutMs: 300_000,
    registration: DEFAULT_REGISTRATION_CONFIG,
    heartbeat: DEFAULT_HEARTBEAT_CONFIG,
    taskTerminationMs: 100,
    mutants: [],
    ...overrides,
  };
}

/** A leader as leader retrieval announced it. */
export interface LeaderAddress<Id> {
  readonly address: RpcAddress;
  readonly leaderId: Id;
}

/** `TaskExecutorToResourceManagerConnection`: a registration loop towards one RM leader. */
export interface ResourceManagerConnection {
  /** Identity of the connection object; outdated connections' answers are ignored. */
  readonly id: number;
  readonly target: LeaderAddress<ResourceManagerId>;
  registration: RetryingRegistration;
}

/** `EstablishedResourceManagerConnection`: registered at this RM, under this InstanceID. */
export interface EstablishedResourceManagerConnection {
  readonly connectionId: number;
  readonly target: LeaderAddress<ResourceManagerId>;
  readonly resourceManagerResourceId: ResourceID;
  readonly instanceId: InstanceID;
}

/** `JobManagerRegisteredRpcConnection`: a registration loop towards one JobMaster leader. */
export interface JobManagerConnectionAttempt {
  readonly id: number;
  readonly target: LeaderAddress<JobMasterId>;
  registration: RetryingRegistration;
  /** Set once a registration succeeded (`RegisteredRpcConnection#isConnected`). */
  connected: boolean;
}

/** `JobTable.Connection`: the job is connected to this JobMaster leader. */
export interface JobManagerConnection {
  readonly target: LeaderAddress<JobMasterId>;
  readonly jobMasterResourceId: ResourceID;
}

/** One job in the `JobTable`, with its `DefaultJobLeaderService` entry. */
export interface JobEntry {
  readonly jobId: JobID;
  /**
   * The registration connection to the leader that leader retrieval announced last; its target's
   * id is the listener's `currentJobMasterId`. Null when there is no leader.
   */
  rpcConnection: JobManagerConnectionAttempt | null;
  connection: JobManagerConnection | null;
  /** `currentSlotOfferPerJob`: the newest offer round; older answers are discarded. */
  currentSlotOffer: number | null;
}

export interface TaskExecutorState {
  readonly sessionId: TaskManagerSessionId;
  /** Counter for connection, registration-timeout and offer ids (Flink's random UUIDs). */
  nextId: number;
  resourceManagerAddress: LeaderAddress<ResourceManagerId> | null;
  resourceManagerConnection: ResourceManagerConnection | null;
  establishedResourceManagerConnection: EstablishedResourceManagerConnection | null;
  currentRegistrationTimeoutId: number | null;
  resourceManagerHeartbeat: HeartbeatManager;
  jobManagerHeartbeat: HeartbeatManager;
  taskSlotTable: TaskSlotTable;
  jobs: JobEntry[];
}

export function createTaskExecutorState(
  config: TaskExecutorConfig,
  incarnation: number,
): TaskExecutorState {
  return {
    sessionId: `${config.resourceId}-session-${incarnation}` as TaskManagerSessionId,
    nextId: 1,
    resourceManagerAddress: null,
    resourceManagerConnection: null,
    establishedResourceManagerConnection: null,
    currentRegistrationTimeoutId: null,
    resourceManagerHeartbeat: createHeartbeatManager('resourceManagerHeartbeat'),
    jobManagerHeartbeat: createHeartbeatManager('jobManagerHeartbeat'),
    taskSlotTable: createTaskSlotTable(config.numberOfSlots, config.defaultSlotResourceProfile),
    jobs: [],
  };
}

export function findJob(state: TaskExecutorState, jobId: JobID): JobEntry | undefined {
  return state.jobs.find((j) => j.jobId === jobId);
}
