/**
 * The machines of one TaskExecutor process as the monitor holds them: its RM connection, one
 * machine per job it has known, and one per static slot index. Stepping goes through here so that
 * every event is checked (allowed, or a conformance failure) and every transition counted.
 */
import type { AnyStateMachine } from 'xstate';
import { jobManagerConnectionMachine } from '../../machines/taskExecutor/jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine } from '../../machines/taskExecutor/resourceManagerConnection.machine.js';
import { taskSlotMachine } from '../../machines/taskExecutor/taskSlot.machine.js';
import {
  contextOf,
  createInstance,
  feedInstance,
  instanceIn,
  type CoverageSink,
  type MachineEvent,
  type MachineInstance,
} from '../machineInstance.js';

export {
  ConformanceError,
  type CoverageSink,
  type MachineEvent,
  type MachineInstance,
} from '../machineInstance.js';

export class TaskExecutorMachines {
  readonly rm: MachineInstance;
  readonly jobs = new Map<string, MachineInstance>();
  readonly slots: MachineInstance[];

  constructor(
    readonly endpoint: string,
    private readonly numberOfSlots: number,
    private readonly rpcFailureThreshold: number,
    private readonly coverage: CoverageSink,
  ) {
    this.rm = this.instance('rmConnection', resourceManagerConnectionMachine, {
      rpcFailureThreshold,
    });
    this.slots = Array.from({ length: numberOfSlots }, (_, index) =>
      this.instance(`taskSlot[${index}]`, taskSlotMachine, { index }),
    );
  }

  private instance(name: string, machine: AnyStateMachine, input: unknown): MachineInstance {
    return createInstance(`${this.endpoint} ${name}`, machine, input, this.coverage);
  }

  /** The job's machine, created in NO_JOB the first time the job is mentioned. */
  job(jobId: string): MachineInstance {
    return instanceIn(
      this.jobs,
      jobId,
      `${this.endpoint} jobConnection[${jobId}]`,
      jobManagerConnectionMachine,
      this.coverage,
      { rpcFailureThreshold: this.rpcFailureThreshold },
    );
  }

  /** The slot machine holding this allocation, if any. */
  slotWithAllocation(allocationId: string): MachineInstance | undefined {
    return this.slots.find((s) => context(s).allocationId === allocationId);
  }

  slotsOfJob(jobId: string): MachineInstance[] {
    return this.slots.filter((s) => context(s).jobId === jobId);
  }

  inStaticRange(index: number): boolean {
    return index >= 0 && index < this.numberOfSlots;
  }

  /**
   * Feeds the event to the machine. An event the machine does not take in its state is a
   * conformance failure naming the component, the machine, its state and the event.
   */
  feed(instance: MachineInstance, event: MachineEvent, stepIndex: number): void {
    feedInstance(instance, event, stepIndex, this.coverage);
  }
}

/** The context of a machine instance, as plain data. */
export const context = contextOf;
