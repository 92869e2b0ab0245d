/**
 * The state of a JobMaster process (Flink's `JobMasterServiceLeadershipRunner` with, per granted
 * leadership, one `JobMaster` and its `DeclarativeSlotPoolBridge`, heartbeat managers and
 * scheduler), as plain data, and its configuration. A leadership session owns all of `leader`; a
 * new leadership is a new `JobMaster` that starts from nothing.
 */
import type { JobID, JobMasterId, ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import type { JobStatus, ResourceProfile } from '../../protocol/values.js';
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
import {
  createDeclareConnection,
  type DeclareResourceRequirementsConnection,
} from './declareResourceRequirementsConnection.js';
import {
  createSlotPoolService,
  type SlotPoolService,
} from './slotpool/declarativeSlotPoolBridge.js';
import type { BulkTimestamp } from './slotpool/physicalSlotRequestBulkChecker.js';
import type { Mutant } from '../mutants.js';
import type { TaskManagerRegistration } from './taskManagers.js';

export interface JobMasterConfig {
  readonly jobId: JobID;
  /** The JobMaster's own ResourceID (its heartbeat identity). */
  readonly resourceId: ResourceID;
  /** The job's parallelism: one slot-sharing group asks for this many slots. */
  readonly parallelism: number;
  /** The profile of the group's slot requests (`UNKNOWN` unless the job sets resources). */
  readonly resourceProfile: ResourceProfile;
  readonly heartbeat: HeartbeatConfig;
  readonly registration: RetryingRegistrationConfig;
  /** `akka.ask.timeout`: the timeout of the JobMaster's asks. */
  readonly rpcTimeoutMs: number;
  /** `slot.idle.timeout` */
  readonly idleSlotTimeoutMs: number;
  /** `slot.request.timeout`: how long a bulk may stay unfulfillable. */
  readonly slotRequestTimeoutMs: number;
  /** The fixed-delay restart strategy's delay (`restart-strategy.fixed-delay.delay`). */
  readonly restartDelayMs: number;
  /** Broken variants switched on by a test harness (impl/mutants.ts); empty in the reference. */
  readonly mutants: readonly Mutant[];
}

export function jobMasterConfig(
  jobId: JobID,
  overrides: Partial<JobMasterConfig> = {},
): JobMasterConfig {
  return {
    jobId,
    resourceId: `jm-${jobId}` as ResourceID,
    parallelism: 2,
    resourceProfile: 'UNKNOWN',
    heartbeat: DEFAULT_HEARTBEAT_CONFIG,
    registration: DEFAULT_REGISTRATION_CONFIG,
    rpcTimeoutMs: 10_000,
    idleSlotTimeoutMs: 50_000,
    slotRequestTimeoutMs: 300_000,
    restartDelayMs: 1_000,
    mutants: [],
    ...overrides,
  };
}

/** Where the current ResourceManager leader is, as leader retrieval reported it. */
export interface ResourceManagerAddress {
  readonly address: string;
  readonly resourceManagerId: ResourceManagerId;
}

/**
 * The JobMaster's side of its RM connection (flink-protocol.md §2.5.2): `resourceManagerAddress`,
 * `resourceManagerConnection` (registering) and `establishedResourceManagerConnection`.
 */
export interface ResourceManagerConnection {
  readonly id: number;
  readonly target: ResourceManagerAddress;
  registration: RetryingRegistration;
}

export interface EstablishedResourceManagerConnection {
  readonly connectionId: number;
  readonly target: ResourceManagerAddress;
  readonly resourceManagerResourceId: ResourceID;
}

/** One subtask of the stand-in scheduler's single vertex (`ExecutionVertex` + current `Execution`). */
export interface SubtaskState {
  readonly index: number;
  /** The slot request of the current attempt. */
  slotRequestId: string | null;
  /** The slot it got, once fulfilled. */
  allocationId: string | null;
  resourceId: ResourceID | null;
  /** The deployed attempt, once `submitTask` was sent. */
  executionAttemptId: string | null;
  state: 'SCHEDULED' | 'DEPLOYING' | 'RUNNING' | 'CANCELED';
}

/** The stand-in for the DefaultScheduler with its ExecutionGraph (one vertex, one group). */
export interface SchedulerState {
  jobStatus: JobStatus;
  parallelism: number;
  /** Counts scheduling rounds (initial plus each restart); request and attempt ids carry it. */
  round: number;
  subtasks: SubtaskState[];
  /** The bulk of the current round while it is not yet fulfilled (`PhysicalSlotRequestBulkCheckerImpl`). */
  bulk: BulkTimestamp | null;
  /** How many times the job failed over. */
  restarts: number;
}

/** One granted leadership: everything a `JobMaster` object holds. */
export interface JobMasterLeadership {
  readonly jobMasterId: JobMasterId;
  /** Which grant this is; answers and timers carry it (Flink's ids are fresh UUIDs). */
  readonly grant: number;
  resourceManagerAddress: ResourceManagerAddress | null;
  resourceManagerConnection: ResourceManagerConnection | null;
  establishedResourceManagerConnection: EstablishedResourceManagerConnection | null;
  registeredTaskManagers: TaskManagerRegistration[];
  slotPool: SlotPoolService;
  declare: DeclareResourceRequirementsConnection;
  /** Sender towards the TaskExecutors. */
  taskManagerHeartbeat: HeartbeatManager;
  /** Receiver towards the ResourceManager. */
  resourceManagerHeartbeat: HeartbeatManager;
  scheduler: SchedulerState;
}

export interface JobMasterState {
  /** Counter for connection, registration and attempt ids. */
  nextId: number;
  grants: number;
  leader: JobMasterLeadership | null;
  /** The job ended (finished or cancelled) under this process: it will not lead again. */
  terminated: JobStatus | null;
}

export function createJobMasterState(): JobMasterState {
  return { nextId: 1, grants: 0, leader: null, terminated: null };
}

export function createLeadership(
  jobMasterId: JobMasterId,
  grant: number,
  config: JobMasterConfig,
): JobMasterLeadership {
  return {
    jobMasterId,
    grant,
    resourceManagerAddress: null,
    resourceManagerConnection: null,
    establishedResourceManagerConnection: null,
    registeredTaskManagers: [],
    slotPool: createSlotPoolService(),
    declare: createDeclareConnection(),
    taskManagerHeartbeat: createHeartbeatManager('taskManagerHeartbeat'),
    resourceManagerHeartbeat: createHeartbeatManager('resourceManagerHeartbeat'),
    scheduler: {
      jobStatus: 'CREATED',
      parallelism: config.parallelism,
      round: 0,
      subtasks: [],
      bulk: null,
      restarts: 0,
    },
  };
}
