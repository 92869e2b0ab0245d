/**
 * A small scenario language over the simulator for TaskExecutor tests: the test plays the
 * ResourceManager (`rm`) and the JobMasters (`jm-<job>`), the TaskExecutors are real. Messages are
 * delivered in send order (`settle`), time moves only by `advance`, and every step goes through
 * the simulator, so a scenario is an ordinary run that could be recorded as a trace. The
 * conformance monitor watches every step: a scenario fails as soon as a TaskExecutor takes an
 * event its machines do not allow or ends a step in another state than they do.
 */
import type {
  AllocationID,
  ExecutionAttemptID,
  InstanceID,
  JobID,
  JobMasterId,
  ResourceID,
  ResourceManagerId,
  SlotID,
} from '../../protocol/ids.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import { jobMasterEndpoint } from '../../impl/cluster/clusterProcesses.js';
import { ClusterMonitors } from '../clusterMonitors.js';
import type { JobClientAction } from '../../impl/jobmaster/jobMaster.js';
import {
  jobMasterConfig,
  type JobMasterConfig,
  type JobMasterLeadership,
  type JobMasterState,
} from '../../impl/jobmaster/jobMasterState.js';
import { simConfig } from '../../impl/sim/config.js';
import type { StepRecord } from '../../impl/sim/record.js';
import { Simulation } from '../../impl/sim/simulation.js';
import {
  resourceManagerConfig,
  type ResourceManagerConfig,
  type ResourceManagerLeadership,
} from '../../impl/resourcemanager/resourceManagerState.js';
import type { ResourceManagerMonitor } from '../resourceManager/resourceManagerMonitor.js';
import type { JobMasterMonitor } from '../jobMaster/jobMasterMonitor.js';
import type { TaskExecutorMonitor } from './taskExecutorMonitor.js';
import type { CoverageSink } from './teMachines.js';
import type { Step } from '../../impl/sim/step.js';
import type { Json } from '../../impl/sim/canonical.js';
import type { AskRef } from '../../impl/sim/effects.js';
import type { EndpointId } from '../../impl/sim/world.js';
import {
  taskExecutorConfig,
  type TaskExecutorConfig,
  type TaskExecutorState,
} from '../../impl/taskexecutor/taskExecutorState.js';
import {
  scriptedCluster,
  SLEEP_TIMER,
  type Instruction,
  type Received,
  type ScriptedClusterState,
} from './scriptedCluster.js';

export const RM = 'rm';
export const RM_ID = 'rm-leader-1' as ResourceManagerId;
export const RM_RESOURCE_ID = 'rm' as ResourceID;
export const JOB = 'job-1' as JobID;
export const JM = 'jm-job-1';
export const JM_ID = 'jm-leader-1' as JobMasterId;
export const JM_RESOURCE_ID = 'jm-job-1' as ResourceID;

export interface ScenarioOptions {
  readonly taskExecutors?: number;
  readonly jobMasters?: readonly EndpointId[];
  readonly config?: Partial<TaskExecutorConfig>;
  /** Where the monitor reports the machine transitions it saw taken. */
  readonly coverage?: CoverageSink;
  /** Run the real ResourceManager at `rm` (with these settings) instead of scripting it. */
  readonly resourceManager?: Partial<ResourceManagerConfig>;
  /**
   * An active deployment: a resource provider at `provider` whose pool holds this many workers
   * (`worker-1`, `worker-2`, …, TaskExecutors that start only when the provider starts them).
   * Needs a real ResourceManager in `workerMode: 'active'`.
   */
  /**
   * Jobs whose JobMasters are real (at `jm-<jobId>`, not scripted), each with its settings; HA
   * grants a real JobMaster leadership when the test announces it as the job's leader.
   */
  readonly jobs?: readonly { readonly jobId: string; readonly config?: Partial<JobMasterConfig> }[];
  readonly resourceProvider?: {
    readonly workers: number;
    readonly workerStartupMs?: number;
    readonly neverStart?: readonly string[];
  };
}

/** Where scenarios report machine coverage unless told otherwise (set by the coverage suite). */
let scenarioCoverage: CoverageSink = () => undefined;

export function reportScenarioCoverageTo(sink: CoverageSink): void {
  scenarioCoverage = sink;
}

/** Who a scripted JobMaster's call to the RM comes from, and under which ids (defaults: job-1's). */
export interface ScriptedJobMasterCall {
  readonly jm?: EndpointId;
  readonly jobMasterId?: JobMasterId;
  readonly jobId?: JobID;
  readonly rmId?: ResourceManagerId;
}

export class TaskExecutorScenario {
  readonly simulation: Simulation<ScriptedClusterState, ClusterMessage, Instruction & Json>;
  readonly records: StepRecord<ClusterMessage, Instruction & Json>[] = [];
  private readonly answered = new Set<number>();
  /** The conformance monitors: every step is replayed into every real component's machines. */
  readonly monitors: ClusterMonitors;

  /** The TaskExecutors' monitor. */
  get monitor(): TaskExecutorMonitor {
    return this.monitors.taskExecutors;
  }

  /** With a real ResourceManager, its monitor. */
  get rmMonitor(): ResourceManagerMonitor | null {
    return this.monitors.resourceManager;
  }

  /** With real JobMasters, a monitor per JobMaster (by endpoint). */
  get jmMonitors(): ReadonlyMap<string, JobMasterMonitor> {
    return this.monitors.jobMasters;
  }

  constructor(options: ScenarioOptions = {}) {
    const count = options.taskExecutors ?? 1;
    const pool = Array.from(
      { length: options.resourceProvider?.workers ?? 0 },
      (_, i) => `worker-${i + 1}` as ResourceID,
    );
    const configs = [
      ...Array.from({ length: count }, (_, i) => `te-${i + 1}` as ResourceID),
      ...pool,
    ].map((resourceId) => taskExecutorConfig(resourceId, options.config));
    const realRm =
      options.resourceManager === undefined ? null : resourceManagerConfig(options.resourceManager);
    const provider =
      options.resourceProvider === undefined
        ? null
        : {
            pool,
            workerStartupMs: options.resourceProvider.workerStartupMs ?? 10_000,
            neverStart: (options.resourceProvider.neverStart ?? []) as ResourceID[],
          };
    if (provider !== null && realRm?.workerMode !== 'active')
      throw new Error('scenario: a resource provider needs a real ResourceManager in active mode');
    const jobMasters = (options.jobs ?? []).map((j) => jobMasterConfig(j.jobId as JobID, j.config));
    const scripted = [
      ...(realRm === null ? [RM] : []),
      ...(options.jobMasters ?? (jobMasters.length > 0 ? [] : [JM])),
    ];
    const system = scriptedCluster(configs, scripted, realRm, provider, jobMasters);
    const started = Simulation.start(
      system,
      simConfig({
        maxSteps: 1_000_000,
        faults: { crash: 1_000, partition: 1_000, reorder: 1_000, drop: 1_000, duplicate: 1_000 },
      }),
      1,
    );
    this.simulation = started.simulation;
    this.monitors = new ClusterMonitors(
      { taskExecutors: configs, resourceManager: realRm, resourceProvider: provider, jobMasters },
      () => this.simulation.state.system,
      options.coverage ?? scenarioCoverage,
    );
    this.monitors.observeStart(started.record.effects);
    this.settle();
  }

  private get system(): ScriptedClusterState {
    return this.simulation.state.system;
  }

  get now(): number {
    return this.simulation.state.now;
  }

  /** The TaskExecutor's state (`te-1` unless named); fails if it is not running. */
  te(endpoint: EndpointId = 'te-1'): TaskExecutorState {
    const state = this.system.taskExecutors[endpoint];
    if (state === undefined || state === null) throw new Error(`${endpoint} is not running`);
    return state;
  }

  /** A real JobMaster's state (the job's, `job-1` unless named); fails if it is not running. */
  jm(jobId: string = JOB): JobMasterState {
    const state = this.system.jobMasters[jobMasterEndpoint(jobId)];
    if (state === undefined || state === null)
      throw new Error(`the JobMaster of ${jobId} is not running`);
    return state;
  }

  /** A real JobMaster's current leadership; fails if it does not lead. */
  jmLeader(jobId: string = JOB): JobMasterLeadership {
    const leader = this.jm(jobId).leader;
    if (leader === null) throw new Error(`the JobMaster of ${jobId} does not lead`);
    return leader;
  }

  /** A client acts on a job at its real JobMaster. */
  jobClient(action: JobClientAction, jobId: string = JOB): void {
    this.instruct(jobMasterEndpoint(jobId), { kind: 'job', action });
  }

  /** Takes one step; the step must be enabled. */
  take(step: Step<Instruction & Json>): StepRecord<ClusterMessage, Instruction & Json> {
    const record = this.simulation.apply(step);
    this.records.push(record);
    this.monitors.observe(record);
    return record;
  }

  /** Delivers every message in flight, in order, and runs queued instructions; no time passes. */
  settle(): void {
    for (;;) {
      const step = this.simulation
        .enabledSteps()
        .find((s) => s.kind === 'deliver' || s.kind === 'client');
      if (step === undefined) return;
      this.take(step);
    }
  }

  /**
   * Lets `ms` pass: fires, in deadline order, every timer due by then (settling after each), and
   * leaves the clock at exactly `now + ms`. Timers due at that instant fire too.
   */
  advance(ms: number): void {
    this.instruct('ha', { kind: 'sleep', ms });
    for (;;) {
      const timers = this.simulation.enabledSteps().filter((s) => s.kind === 'fireTimer');
      const next =
        timers.find((t) => t.kind === 'fireTimer' && t.name !== SLEEP_TIMER) ?? timers[0];
      if (next === undefined) throw new Error('advance: the sleep timer vanished');
      this.take(next);
      this.settle();
      if (next.kind === 'fireTimer' && next.name === SLEEP_TIMER) return;
    }
  }

  /** Runs an instruction of a scripted endpoint without delivering what it sends. */
  instructOnly(endpoint: EndpointId, instruction: Instruction): void {
    this.system.outbox.push({ endpoint, instruction });
    const step = this.simulation.enabledSteps().find((s) => s.kind === 'client');
    if (step === undefined) throw new Error('instructOnly: the instruction is not enabled');
    this.take(step);
  }

  /** Delivers the oldest message of this type in flight to `to` (ahead of other links' messages). */
  deliver(to: EndpointId, type: string): void {
    const envelope = this.simulation.state.messages.find(
      (e) => e.to === to && 'msg' in e && e.msg.type === type,
    );
    if (envelope === undefined) throw new Error(`no ${type} to ${to} in flight`);
    this.take({ kind: 'deliver', seq: envelope.seq });
  }

  /** Queues an instruction for a scripted endpoint and runs it (then settles). */
  instruct(endpoint: EndpointId, instruction: Instruction): void {
    this.system.outbox.push({ endpoint, instruction });
    this.settle();
  }

  /** The messages a scripted endpoint received, optionally of one type. */
  inbox(endpoint: EndpointId, type?: string): Received[] {
    const all = this.system.inbox[endpoint] ?? [];
    return type === undefined ? all : all.filter((r) => r.msg.type === type);
  }

  /** The last message of that type the endpoint received; fails if there is none. */
  last(endpoint: EndpointId, type: string): Received {
    const found = this.inbox(endpoint, type).at(-1);
    if (found === undefined)
      throw new Error(
        `${endpoint} received no ${type}; it got: ${this.inbox(endpoint)
          .map((r) => r.msg.type)
          .join(', ')}`,
      );
    return found;
  }

  /** The answers (or failures) to the scripted endpoint's own asks. */
  answers(endpoint: EndpointId): readonly string[] {
    return this.system.answers[endpoint] ?? [];
  }

  reply(from: EndpointId, ask: AskRef | null, msg: ClusterMessage): void {
    if (ask === null) throw new Error('reply to a tell');
    this.answered.add(ask.askId);
    this.instruct(from, { kind: 'reply', ask, msg });
  }

  /** Whether the test already answered this ask. */
  isAnswered(ask: AskRef | null): boolean {
    return ask !== null && this.answered.has(ask.askId);
  }

  /** HA announces the RM leader (null address: no leader). */
  announceResourceManager(
    leaderAddress: string | null = RM,
    leaderSessionId: string | null = RM_ID,
  ): void {
    this.instruct('ha', { kind: 'leader', jobId: null, leaderAddress, leaderSessionId });
  }

  /** HA announces a job's JobMaster leader. */
  announceJobMaster(
    jobId: JobID = JOB,
    leaderAddress: string | null = JM,
    leaderSessionId: string | null = JM_ID,
  ): void {
    this.instruct('ha', { kind: 'leader', jobId, leaderAddress, leaderSessionId });
  }

  /** The RM accepts the latest registration of `te` and acks its slot report. */
  registerAtResourceManager(
    te: EndpointId = 'te-1',
    instanceId = `instance-${te}` as InstanceID,
  ): void {
    const registration = this.last(RM, 'registerTaskExecutor');
    if (registration.from !== te)
      throw new Error(`the last registration came from ${registration.from}`);
    this.reply(RM, registration.ask, {
      type: 'registerTaskExecutor.succeeded',
      instanceId,
      resourceManagerResourceId: RM_RESOURCE_ID,
    });
    const report = this.last(RM, 'sendSlotReport');
    this.reply(RM, report.ask, { type: 'sendSlotReport.acked' });
  }

  /** The RM (leader `rmId`) asks `te` for a slot. */
  requestSlot(
    slotNumber: number,
    allocationId: AllocationID,
    options: { te?: EndpointId; jobId?: JobID; rmId?: ResourceManagerId; jobMaster?: string } = {},
  ): void {
    const te = options.te ?? 'te-1';
    this.instruct(RM, {
      kind: 'ask',
      to: te,
      msg: {
        type: 'requestSlot',
        slotId: { resourceId: te as ResourceID, slotNumber } as SlotID,
        jobId: options.jobId ?? JOB,
        allocationId,
        resourceProfile: 'UNKNOWN',
        targetAddress: options.jobMaster ?? JM,
        resourceManagerId: options.rmId ?? RM_ID,
      },
      timeoutMs: 10_000,
    });
  }

  /** The JobMaster accepts the latest registration of the job's TaskExecutor. */
  registerAtJobMaster(jm: EndpointId = JM, jmResourceId: ResourceID = JM_RESOURCE_ID): void {
    const registration = this.last(jm, 'registerTaskManager');
    this.reply(jm, registration.ask, {
      type: 'registerTaskManager.succeeded',
      jobMasterResourceId: jmResourceId,
    });
  }

  /**
   * The RM asks `te-1` for a heartbeat; with `answer`, it then answers the TE's heartbeat answer
   * (`heartbeatFromTaskManager`) as delivered or as unreachable.
   */
  heartbeatFromResourceManager(answer?: 'acked' | 'unreachable'): void {
    this.instruct(RM, {
      kind: 'ask',
      to: 'te-1',
      msg: { type: 'heartbeatFromResourceManager', resourceId: RM_RESOURCE_ID },
      timeoutMs: 10_000,
    });
    if (answer !== undefined) this.answerHeartbeat(RM, answer);
  }

  /** A JobMaster asks `te-1` for a heartbeat, reporting these slots; `answer` as above. */
  heartbeatFromJobManager(
    allocatedSlotInfos: { slotIndex: number; allocationId: AllocationID }[],
    options: {
      jm?: EndpointId;
      jobMasterResourceId?: ResourceID;
      answer?: 'acked' | 'unreachable';
    } = {},
  ): void {
    const jm = options.jm ?? JM;
    this.instruct(jm, {
      kind: 'ask',
      to: 'te-1',
      msg: {
        type: 'heartbeatFromJobManager',
        resourceId: options.jobMasterResourceId ?? JM_RESOURCE_ID,
        allocatedSlotReport: { jobId: JOB, allocatedSlotInfos },
      },
      timeoutMs: 10_000,
    });
    if (options.answer !== undefined) this.answerHeartbeat(jm, options.answer);
  }

  private answerHeartbeat(from: EndpointId, answer: 'acked' | 'unreachable'): void {
    this.reply(
      from,
      this.last(from, 'heartbeatFromTaskManager').ask,
      answer === 'acked'
        ? { type: 'heartbeatFromTaskManager.acked' }
        : {
            type: 'heartbeatFromTaskManager.failed',
            exception: 'RecipientUnreachableException',
            reason: 'unreachable',
          },
    );
  }

  /** The job's JobMaster frees a slot of `te-1`. */
  freeSlotFromJobMaster(
    allocationId: AllocationID,
    jm: EndpointId = JM,
    te: EndpointId = 'te-1',
  ): void {
    this.instruct(jm, {
      kind: 'ask',
      to: te,
      msg: { type: 'freeSlot', allocationId, cause: 'test' },
      timeoutMs: 10_000,
    });
  }

  /** The job's JobMaster deploys a task into a slot of `te-1`. */
  submitTask(allocationId: AllocationID, attempt: string, jobMasterId: JobMasterId = JM_ID): void {
    this.instruct(JM, {
      kind: 'ask',
      to: 'te-1',
      msg: {
        type: 'submitTask',
        tdd: { jobId: JOB, allocationId, executionAttemptId: attempt as ExecutionAttemptID },
        jobMasterId,
      },
      timeoutMs: 10_000,
    });
  }

  /** The real ResourceManager's current leadership; fails if there is none. */
  rmLeader(): ResourceManagerLeadership {
    const leader = this.system.resourceManager?.leader ?? null;
    if (leader === null) throw new Error('the ResourceManager does not lead');
    return leader;
  }

  /** A scripted JobMaster registers its job at the RM leader `rmId`. */
  registerJobMasterAtResourceManager(options: ScriptedJobMasterCall = {}): void {
    const jm = options.jm ?? JM;
    this.instruct(jm, {
      kind: 'ask',
      to: RM,
      msg: {
        type: 'registerJobMaster',
        fencingToken: options.rmId ?? RM_ID,
        jobMasterId: options.jobMasterId ?? JM_ID,
        resourceId: jm as ResourceID,
        jobMasterAddress: jm,
        jobId: options.jobId ?? JOB,
      },
      timeoutMs: 10_000,
    });
  }

  /** A scripted JobMaster declares `slots` UNKNOWN slots for its job. */
  declareRequiredResources(slots: number, options: ScriptedJobMasterCall = {}): void {
    const jm = options.jm ?? JM;
    this.instruct(jm, {
      kind: 'ask',
      to: RM,
      msg: {
        type: 'declareRequiredResources',
        fencingToken: options.rmId ?? RM_ID,
        jobMasterId: options.jobMasterId ?? JM_ID,
        resourceRequirements: {
          jobId: options.jobId ?? JOB,
          targetAddress: jm,
          resourceRequirements:
            slots === 0 ? [] : [{ resourceProfile: 'UNKNOWN', numberOfRequiredSlots: slots }],
        },
      },
      timeoutMs: 10_000,
    });
  }

  /** The slot states of a TaskExecutor, as `index:allocation:state`. */
  slots(te: EndpointId = 'te-1'): string[] {
    return this.te(te).taskSlotTable.slots.map((s) => `${s.index}:${s.allocationId}:${s.state}`);
  }
}
