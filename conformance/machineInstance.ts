/**
 * A machine running beside one component instance, and the one way monitors step it: every event
 * is checked (a transition must be enabled for it, or it is a conformance failure naming the
 * component, the machine, its state and the event) and every transition taken is counted.
 */
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { allowedEvents, start, stateName, step } from './machineStepper.js';

/** Where the model and the implementation (or a recorded trace) parted, as data for reports. */
export type Divergence =
  | {
      readonly kind: 'notAllowed';
      /** The machine instance, e.g. `te-1 slot[0]`. */
      readonly component: string;
      readonly state: string;
      readonly event: MachineEvent;
      /** The event types the model takes in that state. */
      readonly allowed: readonly string[];
    }
  | {
      readonly kind: 'stateDiffers';
      readonly component: string;
      readonly model: string;
      readonly observed: string;
    };

/** A conformance failure: the model and the implementation disagree. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';

  constructor(
    message: string,
    readonly divergence: Divergence | null = null,
  ) {
    super(message);
  }
}

/** An event for a machine: a type and its data (the machines' own event types, checked by them). */
export type MachineEvent = EventObject & Readonly<Record<string, unknown>>;

/**
 * Told of every machine instance that starts (`event` null, no transitions) and of every event it
 * takes: the coverage suites count the transitions, the inspector (`flink-slot-model inspect`)
 * shows the instances as actors.
 */
export type CoverageSink = (
  machine: AnyStateMachine,
  transitionKeys: readonly string[],
  state: string,
  seen: MachineStepSeen,
) => void;

/** The instance a sink is told about, and the event it just took (null: it just started). */
export interface MachineStepSeen {
  readonly instance: MachineInstance;
  readonly event: MachineEvent | null;
}

export interface MachineInstance {
  /** e.g. `te-1 rmConnection`, `rm slot[te-1#0]` */
  readonly label: string;
  readonly machine: AnyStateMachine;
  snapshot: AnyMachineSnapshot;
}

export function createInstance(
  label: string,
  machine: AnyStateMachine,
  input: unknown,
  coverage: CoverageSink,
): MachineInstance {
  const instance = { label, machine, snapshot: start(machine, input) };
  coverage(machine, [], stateName(instance.snapshot), { instance, event: null });
  return instance;
}

/** The instance kept under `key`, created (and reported to coverage) the first time it is asked for. */
export function instanceIn(
  instances: Map<string, MachineInstance>,
  key: string,
  label: string,
  machine: AnyStateMachine,
  coverage: CoverageSink,
  input?: unknown,
): MachineInstance {
  let instance = instances.get(key);
  if (instance === undefined) {
    instance = createInstance(label, machine, input, coverage);
    instances.set(key, instance);
  }
  return instance;
}

export function feedInstance(
  instance: MachineInstance,
  event: MachineEvent,
  stepIndex: number,
  coverage: CoverageSink,
): void {
  const before = stateName(instance.snapshot);
  const stepped = step(instance.machine, instance.snapshot, event);
  if (stepped.taken.length === 0) {
    const allowed = allowedEvents(instance.snapshot);
    throw new ConformanceError(
      `step ${stepIndex}: ${instance.label} in state ${before} does not allow ${JSON.stringify(event)}; ` +
        `it allows: ${allowed.join(', ')}`,
      { kind: 'notAllowed', component: instance.label, state: before, event, allowed },
    );
  }
  instance.snapshot = stepped.snapshot;
  coverage(instance.machine, stepped.taken, stateName(stepped.snapshot), { instance, event });
}

/** The context of a machine instance, as plain data. */
export function contextOf(instance: MachineInstance): Record<string, unknown> {
  return instance.snapshot.context as Record<string, unknown>;
}

export function expectState(
  index: number,
  label: string,
  model: string,
  implementation: string,
): void {
  if (model !== implementation) {
    throw new ConformanceError(
      `step ${index}: ${label}: the model is in ${model}, the implementation in ${implementation}`,
      { kind: 'stateDiffers', component: label, model, observed: implementation },
    );
  }
}
