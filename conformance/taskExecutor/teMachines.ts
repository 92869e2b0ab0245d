/**
 * The machines of one TaskExecutor process as the monitor holds them: its RM connection, one
 * machine per job it has known, and one per static slot index. Stepping goes through here so that
 * every event is checked (allowed, or a conformance failure) and every transition counted.
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { jobManagerConnectionMachine } from '../../machines/taskExecutor/jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine } from '../../machines/taskExecutor/resourceManagerConnection.machine.js';
import { taskSlotMachine } from '../../machines/taskExecutor/taskSlot.machine.js';
import { allowedEvents, start, stateName, step } from '../machineStepper.js';

/** An event for a machine: a type and its data (the machines' own event types, checked by them). */
export type MachineEvent = EventObject & Readonly<Record<string, unknown>>;

/** A conformance failure: the component, the machine and its state, and the event it did not allow. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

export interface MachineInstance {
  /** e.g. `te-1 rmConnection`, `te-1 jobConnection[job-1]`, `te-1 taskSlot[0]` */
  readonly label: string;
  readonly machine: AnyStateMachine;
  snapshot: AnyMachineSnapshot;
}

/** Records which transitions of which machine were taken, across all instances. */
export type CoverageSink = (
  machine: AnyStateMachine,
  transitionKeys: readonly string[],
  state: string,
) => void;

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
    const snapshot = start(machine, input);
    this.coverage(machine, [], stateName(snapshot));
    return { label: `${this.endpoint} ${name}`, machine, snapshot };
  }

  /** The job's machine, created in NO_JOB the first time the job is mentioned. */
  job(jobId: string): MachineInstance {
    let job = this.jobs.get(jobId);
    if (job === undefined) {
      job = this.instance(`jobConnection[${jobId}]`, jobManagerConnectionMachine, {
        rpcFailureThreshold: this.rpcFailureThreshold,
      });
      this.jobs.set(jobId, job);
    }
    return job;
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
    const before = stateName(instance.snapshot);
    const stepped = step(instance.machine, instance.snapshot, event);
    if (stepped.taken.length === 0) {
      throw new ConformanceError(
        `step ${stepIndex}: ${instance.label} in state ${before} does not allow ${describe(event)}; ` +
          `it allows: ${allowedEvents(instance.snapshot).join(', ')}`,
      );
    }
    instance.snapshot = stepped.snapshot;
    this.coverage(instance.machine, stepped.taken, stateName(stepped.snapshot));
  }
}

/** The context of a machine instance, as plain data. */
export function context(instance: MachineInstance): Record<string, unknown> {
  return instance.snapshot.context as Record<string, unknown>;
}

function describe(event: EventObject): string {
  return JSON.stringify(event);
}
