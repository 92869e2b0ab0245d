/**
 * Steps a machine with xstate's pure functions and says which of its transitions an event took,
 * so that monitors can report "not allowed" precisely and count transition coverage.
 */
import type {
  AnyMachineSnapshot,
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
  EventObject,
} from 'xstate';
import { initialTransition, transition } from 'xstate';

/** A transition of a machine, named by its source state, event and position among that event's candidates. */
export function transitionKey(sourceId: string, eventType: string, position: number): string {
  return `${sourceId} --${eventType}[${position}]-->`;
}

/** Every transition a machine declares, as keys, with a human-readable description. */
export function allTransitions(machine: AnyStateMachine): Map<string, string> {
  const keys = new Map<string, string>();
  const visit = (node: AnyStateNode) => {
    for (const [eventType, candidates] of node.transitions) {
      candidates.forEach((t, i) => {
        const targets = t.target?.map((n) => n.id).join(',') ?? '(stays)';
        keys.set(transitionKey(node.id, eventType, i), `${node.id} --${eventType}--> ${targets}`);
      });
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return keys;
}

/** Every state node id of a machine, except the root. */
export function allStates(machine: AnyStateMachine): string[] {
  const ids: string[] = [];
  const visit = (node: AnyStateNode) => {
    for (const child of Object.values(node.states)) {
      ids.push(child.id);
      visit(child);
    }
  };
  visit(machine.root);
  return ids;
}

export interface Stepped {
  readonly snapshot: AnyMachineSnapshot;
  /** The keys of the transitions taken; empty when the event is not allowed. */
  readonly taken: readonly string[];
}

export function start(machine: AnyStateMachine, input: unknown): AnyMachineSnapshot {
  return initialTransition(machine, input)[0];
}

/** Applies `event`; when no transition is enabled, the snapshot is returned unchanged and `taken` is empty. */
export function step(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: EventObject,
): Stepped {
  const enabled = machine.getTransitionData(snapshot, event) as readonly AnyTransitionDefinition[];
  if (enabled.length === 0) return { snapshot, taken: [] };
  const taken = enabled.map((t) => {
    const source = t.source as AnyStateNode;
    const eventType = t.eventType as string;
    const candidates = source.transitions.get(eventType) ?? [];
    return transitionKey(source.id, eventType, candidates.indexOf(t));
  });
  return { snapshot: transition(machine, snapshot, event)[0], taken };
}

/** The event types the machine takes in this snapshot (for "what the model allowed here"). */
export function allowedEvents(snapshot: AnyMachineSnapshot): string[] {
  const types = new Set<string>();
  for (const node of snapshot._nodes) for (const type of node.transitions.keys()) types.add(type);
  return [...types].sort();
}

/** The state value as a dotted string (`registering`, `free`). */
export function stateName(snapshot: AnyMachineSnapshot): string {
  const value: unknown = snapshot.value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
