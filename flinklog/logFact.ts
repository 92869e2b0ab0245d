/**
 * What a recognised Flink log line says about the slot lifecycle: one closed union of facts, each
 * named after the Flink method whose log line states it, in Flink's vocabulary. A fact is what
 * the line claims happened at the component that logged it; the converter (convert.ts) names the
 * TaskManager a TaskManager log belongs to.
 *
 * Ids are Flink's own strings: AllocationID and JobID (32 hex digits), ResourceID (a container
 * id, a pod name, or `host:port-suffix` of a standalone TaskManager).
 */
import { z } from 'zod';

const Id = z.string().min(1).max(4096);
const Hex32 = z.string().regex(/^[0-9a-f]{32}$/, 'Flink id: 32 hexadecimal digits');
const SlotIndex = z.number().int().min(0).nullable();

export const TASK_SLOT_STATES = ['ALLOCATED', 'ACTIVE', 'RELEASING'] as const;
export const JOB_TERMINAL_STATES = ['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED'] as const;
/** The JobStatus values that end a job (globally terminal: SUSPENDED is not). */
export const JOB_ENDS: ReadonlySet<string> = new Set(['FINISHED', 'CANCELED', 'FAILED']);

export const LogFact = z.discriminatedUnion('kind', [
  /** The process's startup banner (EnvironmentInformation#logEnvironmentInfo). */
  z.strictObject({
    kind: z.literal('processStarted'),
    process: z.enum(['jobmanager', 'taskmanager']),
    version: z.string().nullable(),
  }),
  /** A TaskManager names its own ResourceID (TaskManagerRunner / TaskExecutor start). */
  z.strictObject({ kind: z.literal('taskManagerResourceId'), taskManager: Id }),
  /** GlobalConfiguration: the configured `taskmanager.numberOfTaskSlots` of a TaskManager. */
  z.strictObject({ kind: z.literal('taskManagerSlots'), slots: z.number().int().min(1) }),
  /** ResourceManager#grantLeadership / revokeLeadership. */
  z.strictObject({ kind: z.literal('resourceManagerLeadershipGranted') }),
  z.strictObject({ kind: z.literal('resourceManagerLeadershipRevoked') }),
  /** The JobMaster of a job gained or lost leadership (JobMasterServiceLeadershipRunner). */
  z.strictObject({ kind: z.literal('jobMasterLeadershipGranted'), jobId: Hex32 }),
  z.strictObject({ kind: z.literal('jobMasterLeadershipRevoked'), jobId: Hex32 }),
  /** ResourceManager#registerTaskExecutorInternal. */
  z.strictObject({ kind: z.literal('taskExecutorRegistered'), taskManager: Id }),
  /** ResourceManager: a TaskExecutor's heartbeat timed out, or it was disconnected. */
  z.strictObject({
    kind: z.literal('taskExecutorLost'),
    taskManager: Id,
    reason: z.enum(['heartbeatTimeout', 'disconnected']),
  }),
  /** ResourceManager#registerJobMaster (registerJobManager before 1.14). */
  z.strictObject({ kind: z.literal('jobMasterRegistered'), jobId: Hex32 }),
  /** ResourceManager: a JobMaster's heartbeat timed out or it disconnected. */
  z.strictObject({ kind: z.literal('jobMasterLost'), jobId: Hex32 }),
  /** ResourceManager#declareRequiredResources → SlotManager#processResourceRequirements. */
  z.strictObject({
    kind: z.literal('resourceRequirementsReceived'),
    jobId: Hex32,
    requirements: z.string().max(2000),
  }),
  /** DeclarativeSlotManager / DefaultSlotStatusSyncer#allocateSlot: requestSlot sent to a TaskExecutor. */
  z.strictObject({
    kind: z.literal('slotAllocationStarted'),
    /** Null where the line names the slot but not the allocation (the DeclarativeSlotManager's). */
    allocationId: Hex32.nullable(),
    jobId: Hex32,
    taskManager: Id.nullable(),
    slotIndex: SlotIndex,
  }),
  /** TaskExecutor#requestSlot: a slot request arrived (before the TaskSlotTable decides). */
  z.strictObject({
    kind: z.literal('slotRequestReceived'),
    allocationId: Hex32,
    jobId: Hex32,
  }),
  /** TaskExecutor#allocateSlot: TaskSlotTable#allocateSlot succeeded. */
  z.strictObject({ kind: z.literal('slotAllocated'), allocationId: Hex32 }),
  /** TaskExecutor#allocateSlot: refused (the slot index is occupied by another allocation). */
  z.strictObject({
    kind: z.literal('slotAllocationRefused'),
    allocationId: Hex32.nullable(),
    slotIndex: SlotIndex,
  }),
  /** TaskExecutor#submitTask: a task arrived for the slot of an allocation. */
  z.strictObject({
    kind: z.literal('taskReceived'),
    task: z.string().max(1000),
    allocationId: Hex32,
  }),
  /** TaskExecutor#offerSlotsToJobManager. */
  z.strictObject({ kind: z.literal('slotsOffered'), jobId: Hex32 }),
  /** TaskSlotTableImpl#markSlotActive. */
  z.strictObject({ kind: z.literal('slotActivated'), allocationId: Hex32 }),
  /** TaskSlotTableImpl#freeSlotInternal: the TaskSlot as it was when freeing began. */
  z.strictObject({
    kind: z.literal('slotFreed'),
    allocationId: Hex32,
    jobId: Hex32.nullable(),
    slotIndex: SlotIndex,
    state: z.enum(TASK_SLOT_STATES).nullable(),
  }),
  /** TaskExecutor: the connection to a job's JobMaster was established or closed. */
  z.strictObject({ kind: z.literal('jobManagerConnected'), jobId: Hex32 }),
  z.strictObject({ kind: z.literal('jobManagerDisconnected'), jobId: Hex32 }),
  /** TaskExecutor: registered at the ResourceManager, or lost it (heartbeat timeout, disconnect). */
  /** TaskExecutor: a JobMaster's heartbeat timed out (the line names the JobMaster, not the job). */
  z.strictObject({ kind: z.literal('jobManagerLost') }),
  z.strictObject({ kind: z.literal('registeredAtResourceManager') }),
  z.strictObject({ kind: z.literal('resourceManagerLost') }),
  /** Execution#deploy: a task goes to a TaskManager in an allocated slot. */
  z.strictObject({
    kind: z.literal('taskDeployed'),
    task: z.string().max(1000),
    taskManager: Id,
    allocationId: Hex32,
  }),
  /** JobMaster: a TaskManager's heartbeat timed out or it was disconnected. */
  z.strictObject({ kind: z.literal('taskManagerLostAtJobMaster'), taskManager: Id }),
  /** JobMaster#disconnectTaskManager: it lets the TaskManager go (also when the JobMaster stops). */
  z.strictObject({ kind: z.literal('taskManagerDisconnectedAtJobMaster'), taskManager: Id }),
  /**
   * DefaultExecutionGraph#transitionState: the job's ExecutionGraph changed state. A terminal
   * state here may be an ExecutionGraph the AdaptiveScheduler cancels to restart or rescale the
   * job in a new one: the job goes on, as its next state change shows.
   */
  z.strictObject({
    kind: z.literal('jobStatusChanged'),
    jobId: Hex32,
    state: z.string().regex(/^[A-Z_]{1,40}$/, 'a JobStatus, e.g. RUNNING'),
  }),
  /** Dispatcher#jobReachedTerminalState: the job reached a terminal (or suspended) state. */
  z.strictObject({
    kind: z.literal('jobReachedTerminalState'),
    jobId: Hex32,
    state: z.enum(JOB_TERMINAL_STATES),
  }),
  /** ActiveResourceManager: a worker was requested, started, or released / terminated. */
  z.strictObject({ kind: z.literal('workerRequested'), spec: z.string().max(2000) }),
  z.strictObject({ kind: z.literal('workerStarted'), taskManager: Id }),
  z.strictObject({ kind: z.literal('workerStopped'), taskManager: Id }),
]);
export type LogFact = z.infer<typeof LogFact>;
export type LogFactKind = LogFact['kind'];
export type FactOf<K extends LogFactKind> = Extract<LogFact, { kind: K }>;
