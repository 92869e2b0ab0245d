/**
 * Shows a run in the Stately inspector (@statelyai/inspect). The cluster is the root actor, each
 * component (`te-1`, `rm`, `jm-job-1`, `ha`, `provider`) a child of it, and each machine instance
 * the conformance monitors run (`te-1 taskSlot[0]`, `rm slot[te-1#0]`, …) a child of its
 * component, registered with its machine's definition so that the inspector can draw it. Every
 * message a step hands over is an event from the sender's actor to the receiver's; every event a
 * machine takes is an event to that machine's actor, followed by its new snapshot.
 *
 * The run reaches the bridge as trace lines (a recorded trace, or the trace of a run just made), so
 * that both are shown the same way: the bridge is the trace checker's machine sink, and it reads
 * each step line for the messages, faults, timers and client actions before the checker feeds the
 * line to the machines.
 */
import type { createInspector } from '@statelyai/inspect';
import type { AnyStateMachine } from 'xstate';
import type { CoverageSink, MachineInstance } from '../../conformance/machineInstance.js';
import type { StepLine } from '../format.js';
import { stepEvent } from './stepEvents.js';

export type Inspector = Pick<ReturnType<typeof createInspector>, 'actor' | 'event' | 'snapshot'>;
type InspectedSnapshot = Parameters<Inspector['snapshot']>[1];

/** What the inspector reads of an actor: its session id, parent and (for machines) definition. */
interface InspectedActor {
  readonly sessionId: string;
  readonly id: string;
  readonly _parent?: InspectedActor;
  readonly logic?: { readonly config: unknown };
  send(): void;
  getSnapshot(): unknown;
}

export const CLUSTER_ACTOR = 'cluster';

/** How many actors, events and snapshots went to the inspector. */
export interface InspectionCounts {
  components: number;
  machines: number;
  events: number;
  snapshots: number;
}

export class InspectionBridge {
  readonly counts: InspectionCounts = { components: 0, machines: 0, events: 0, snapshots: 0 };
  private readonly root: InspectedActor;
  private readonly components = new Map<string, InspectedActor>();
  /** The actor of each machine instance. */
  private readonly machineActors = new WeakMap<MachineInstance, InspectedActor>();
  /** The newest instance under each label, and how many there have been. */
  private readonly newest = new Map<string, { instance: MachineInstance; generation: number }>();

  constructor(private readonly inspector: Inspector) {
    this.root = actorRef(CLUSTER_ACTOR);
    inspector.actor(this.root, { status: 'active', value: 'running', context: { step: 0 } });
  }

  /** The checker's machine sink: a new instance becomes an actor, an event its event and snapshot. */
  readonly machines: CoverageSink = (machine, _taken, _state, { instance, event }) => {
    if (event === null) {
      this.register(instance, machine);
      return;
    }
    const actor = this.machineActors.get(instance) ?? this.register(instance, machine);
    this.inspector.event(actor, event, { source: this.component(endpointOf(instance.label)) });
    this.inspector.snapshot(actor, snapshotOf(instance), { event });
    this.counts.events += 1;
    this.counts.snapshots += 1;
  };

  /** A step line, before its machines take it: the messages and happenings between components. */
  step(line: StepLine): void {
    const happened = stepEvent(line);
    if (happened !== null) {
      const { target, source, event, status } = happened;
      const actor = this.component(target);
      this.inspector.event(actor, event, source === null ? {} : { source: this.component(source) });
      this.counts.events += 1;
      if (status !== null) {
        this.inspector.snapshot(actor, { status: 'active', value: status }, { event });
        this.counts.snapshots += 1;
      }
    }
    this.inspector.snapshot(this.root, {
      status: 'active',
      value: 'running',
      context: { step: line.index, timeMs: line.time },
    });
    this.counts.snapshots += 1;
  }

  /** The run ended (the end line, or the end of the input). */
  end(reason: string): void {
    this.inspector.snapshot(this.root, { status: 'done', value: reason });
    this.counts.snapshots += 1;
  }

  private component(endpoint: string): InspectedActor {
    let actor = this.components.get(endpoint);
    if (actor === undefined) {
      actor = actorRef(endpoint, this.root);
      this.components.set(endpoint, actor);
      this.inspector.actor(actor, { status: 'active', value: 'running' });
      this.counts.components += 1;
    }
    return actor;
  }

  /**
   * A machine instance as an actor. A monitor replaces an instance when its component restarts or
   * starts a new leadership; the replaced one is shown stopped and the new one gets a session id
   * of its own (`te-1 taskSlot[0] (2)`).
   */
  private register(instance: MachineInstance, machine: AnyStateMachine): InspectedActor {
    const replaced = this.newest.get(instance.label);
    if (replaced !== undefined && replaced.instance !== instance) {
      const old = this.machineActors.get(replaced.instance);
      if (old !== undefined) {
        this.inspector.snapshot(old, { ...snapshotOf(replaced.instance), status: 'stopped' });
        this.counts.snapshots += 1;
      }
    }
    const generation = (replaced?.generation ?? 0) + 1;
    this.newest.set(instance.label, { instance, generation });
    const sessionId = generation === 1 ? instance.label : `${instance.label} (${generation})`;
    const actor = actorRef(sessionId, this.component(endpointOf(instance.label)), machine);
    this.machineActors.set(instance, actor);
    this.inspector.actor(actor, snapshotOf(instance));
    this.counts.machines += 1;
    return actor;
  }
}

/** A machine instance's label starts with its component's endpoint (`te-1 taskSlot[0]`). */
function endpointOf(label: string): string {
  return label.split(' ', 1)[0] ?? label;
}

function snapshotOf(instance: MachineInstance): InspectedSnapshot {
  const snapshot: {
    value: unknown;
    context: unknown;
    status: NonNullable<InspectedSnapshot['status']>;
  } = instance.snapshot;
  return { value: snapshot.value, context: snapshot.context, status: snapshot.status };
}

function actorRef(
  sessionId: string,
  parent?: InspectedActor,
  machine?: AnyStateMachine,
): InspectedActor {
  return {
    sessionId,
    id: sessionId,
    ...(parent === undefined ? {} : { _parent: parent }),
    // The inspector sends `logic.config` as the actor's definition, which it draws.
    ...(machine === undefined ? {} : { logic: { config: machine.config } }),
    send: () => undefined,
    getSnapshot: () => undefined,
  };
}
