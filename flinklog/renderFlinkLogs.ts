/**
 * A simulated run written as the logs a real cluster of that release would write: one JobManager
 * log (ResourceManager and JobMasters) and one log per TaskExecutor, in log4j2's default layout,
 * with the lines of the template catalogue (templates/) filled in. The simulator's ids become
 * Flink's: AllocationIDs and JobIDs 32 hex digits (a fixed function of the simulator's id), a
 * TaskExecutor's endpoint its ResourceID. Feeding these logs to `check --flink-log` closes the loop:
 * the reference implementation's logs must conform, and a mutant's must not.
 *
 * It writes only lines Flink writes at INFO, and only where the run shows what they state (a slot
 * state change diffed from the TaskExecutor's slot table, a message delivered or sent).
 */
import { createHash } from 'node:crypto';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterProcesses } from '../impl/cluster/clusterProcesses.js';
import type { ClusterAction } from '../impl/cluster/flinkCluster.js';
import type { StepRecord } from '../impl/sim/record.js';
import { taskExecutorSlots, type TaskExecutorSlotView } from '../properties/clusterViews.js';
import { renderBanner } from './banner.js';
import { emits, logEntry, templateLine } from './logLines.js';
import type { FlinkVersion } from './versions.js';

export const JOB_MANAGER_LOG = 'jobmanager';

/** A simulator id as a Flink id: 32 hex digits, the same for the same id. */
export function flinkHexId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 32);
}

const PROFILE =
  'ResourceProfile{cpuCores=1, taskHeapMemory=384.000mb (402653174 bytes), taskOffHeapMemory=0 bytes, managedMemory=512.000mb (536870920 bytes), networkMemory=128.000mb (134217730 bytes)}';

export class FlinkLogRenderer {
  private slots = new Map<string, TaskExecutorSlotView>();
  readonly files = new Map<string, string[]>();

  constructor(
    private readonly version: FlinkVersion,
    private readonly slotsPerTaskExecutor: number,
  ) {}

  private emits(id: string): boolean {
    return emits(id, this.version);
  }

  private append(file: string, line: string): void {
    const lines = this.files.get(file) ?? [];
    lines.push(line);
    this.files.set(file, lines);
  }

  private line(file: string, ms: number, id: string, values: readonly (string | number)[]): void {
    this.append(file, templateLine(ms, id, values, this.version));
  }

  /** A process started: its banner, and a TaskManager's ResourceID and number of slots. */
  processStarted(endpoint: string, ms: number): void {
    if (endpoint === 'rm') {
      this.append(
        JOB_MANAGER_LOG,
        logEntry(
          ms,
          'ClusterEntrypoint',
          renderBanner('StandaloneSessionClusterEntrypoint', `${this.version}.0`),
        ),
      );
      return;
    }
    if (!/^(te|worker)-/.test(endpoint)) return;
    this.append(
      endpoint,
      logEntry(ms, 'TaskManagerRunner', renderBanner('TaskManager', `${this.version}.0`)),
    );
    if (this.emits('numberOfTaskSlots'))
      this.line(endpoint, ms, 'numberOfTaskSlots', [this.slotsPerTaskExecutor]);
    else
      this.line(endpoint, ms, 'numberOfTaskSlotsProperty', ['Loading', this.slotsPerTaskExecutor]);
    this.line(endpoint, ms, 'taskManagerResourceId', [endpoint]);
  }

  /** The cluster's first processes: the JobManager's banner, each TaskManager's first lines. */
  clusterStarted(processes: ClusterProcesses): void {
    this.processStarted('rm', 0);
    for (const [endpoint, te] of Object.entries(processes.taskExecutors))
      if (te !== null) this.processStarted(endpoint, 0);
    this.observeSlots(0, processes);
  }

  step(record: StepRecord<ClusterMessage, ClusterAction>, processes: ClusterProcesses): void {
    const ms = record.time;
    const { outcome, step } = record;
    if (outcome.kind === 'restarted') this.processStarted(outcome.endpoint, ms);
    if (outcome.kind === 'delivered' && 'msg' in outcome.envelope) {
      const { msg, to } = outcome.envelope;
      switch (msg.type) {
        case 'requestSlot':
          this.line(to, ms, 'receiveSlotRequest', [
            flinkHexId(msg.allocationId),
            flinkHexId(msg.jobId),
            flinkHexId(msg.resourceManagerId),
          ]);
          break;
        case 'registerTaskExecutor':
          this.line(JOB_MANAGER_LOG, ms, 'registeringTaskManager', [
            outcome.envelope.from,
            `pekko.tcp://flink@${outcome.envelope.from}:6122/user/rpc/taskmanager_0`,
          ]);
          break;
        case 'registerTaskExecutor.succeeded':
          this.line(to, ms, 'registeredAtResourceManager', [
            'pekko.tcp://flink@jobmanager:6123/user/rpc/resourcemanager_*',
            flinkHexId(msg.instanceId),
          ]);
          break;
        case 'submitTask':
          this.line(to, ms, 'receivedTask', [
            `Task ${msg.tdd.executionAttemptId}`,
            flinkHexId(msg.tdd.executionAttemptId),
            flinkHexId(msg.tdd.allocationId),
          ]);
          break;
        default:
          break;
      }
    }
    for (const effect of record.effects)
      if (
        effect.kind === 'sent' &&
        'msg' in effect.envelope &&
        effect.envelope.msg.type === 'submitTask'
      ) {
        const { tdd } = effect.envelope.msg;
        const to = effect.envelope.to;
        const values: (string | number)[] = [
          `Task ${tdd.executionAttemptId}`,
          0,
          flinkHexId(tdd.executionAttemptId),
        ];
        if (this.emits('deployingTaskWithVertexId'))
          this.line(JOB_MANAGER_LOG, ms, 'deployingTaskWithVertexId', [
            ...values,
            flinkHexId(`vertex-${tdd.jobId}`),
            `${to} @ ${to} (dataPort=1)`,
            flinkHexId(tdd.allocationId),
          ]);
        else
          this.line(JOB_MANAGER_LOG, ms, 'deployingTask', [
            ...values,
            `${to} @ ${to} (dataPort=1)`,
            flinkHexId(tdd.allocationId),
          ]);
      }
    if (outcome.kind === 'clientActed' && step.kind === 'client' && step.action.kind === 'job') {
      const { jobId, action } = step.action;
      if (action.kind === 'finishJob' || action.kind === 'cancelJob')
        this.line(JOB_MANAGER_LOG, ms, 'jobSwitchedState', [
          jobId,
          flinkHexId(jobId),
          'RUNNING',
          action.kind === 'finishJob' ? 'FINISHED' : 'CANCELED',
        ]);
    }
    this.observeSlots(ms, processes);
  }

  /** The TaskSlotTable's lines, diffed from the slot tables as the timeline does. */
  observeSlots(ms: number, processes: ClusterProcesses): void {
    const now = new Map(
      taskExecutorSlots(processes).map((s) => [`${s.taskExecutor}#${s.index}`, s]),
    );
    for (const [key, slot] of now) {
      const before = this.slots.get(key);
      if (before?.allocationId === slot.allocationId && before.state === slot.state) continue;
      // A slot that changes hands within one step was never freed (Flink's freeing is a step of
      // its own and logs): only the new allocation is written, as the code would log it.
      if (before === undefined || before.allocationId !== slot.allocationId) {
        if (this.emits('allocatedSlotWithResources'))
          this.line(slot.taskExecutor, ms, 'allocatedSlotWithResources', [
            flinkHexId(slot.allocationId),
            PROFILE,
          ]);
        else this.line(slot.taskExecutor, ms, 'allocatedSlot', [flinkHexId(slot.allocationId)]);
      }
      if (slot.state === 'ACTIVE' && before?.state !== 'ACTIVE')
        this.line(slot.taskExecutor, ms, 'activateSlot', [flinkHexId(slot.allocationId)]);
      if (slot.state === 'RELEASING' && before?.allocationId === slot.allocationId)
        this.freed(ms, before);
    }
    for (const [key, before] of this.slots) {
      if (now.has(key)) continue;
      // A crashed TaskExecutor logs nothing more; a live one freed the slot.
      if (processes.taskExecutors[before.taskExecutor] !== null) this.freed(ms, before);
    }
    this.slots = now;
  }

  private freed(ms: number, slot: TaskExecutorSlotView): void {
    this.line(slot.taskExecutor, ms, 'freeSlot', [
      slot.index,
      slot.state,
      PROFILE,
      flinkHexId(slot.allocationId),
      flinkHexId(slot.jobId),
    ]);
  }
}
