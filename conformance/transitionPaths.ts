/**
 * One test path per transition of a machine, from xstate's graph tools (@xstate/graph, the
 * traversal @xstate/test is built on): the shortest path to each reachable state, then each
 * event that state takes. Events are the concrete ones `eventsFor` offers in a state (those a
 * test can make happen to the implementation), so guards are traversed with real payloads.
 */
import { getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { stateName } from './machineStepper.js';

export interface TransitionPath<E extends EventObject> {
  /** `state --event--> state` of the last step, for the test's name. */
  readonly description: string;
  /** The events, in order, and the state the machine is in after each. */
  readonly steps: readonly { readonly event: E; readonly state: string }[];
}

/** Distinguishes states by value and context: the context decides which guards hold. */
function serialize(snapshot: AnyMachineSnapshot): string {
  return `${stateName(snapshot)} ${JSON.stringify(snapshot.context)}`;
}

export function transitionPaths<E extends EventObject>(
  machine: AnyStateMachine,
  fromState: AnyMachineSnapshot,
  eventsFor: (snapshot: AnyMachineSnapshot) => readonly E[],
): TransitionPath<E>[] {
  const options = {
    fromState,
    events: eventsFor as (snapshot: AnyMachineSnapshot) => readonly EventObject[],
    serializeState: serialize,
    serializeEvent: (event: EventObject) => JSON.stringify(event),
  };
  const shortest = new Map<string, readonly { event: E; state: string }[]>();
  for (const path of getShortestPaths(machine, options)) {
    const steps = path.steps
      .filter((s) => !s.event.type.startsWith('xstate.'))
      .map((s) => ({ event: s.event as E, state: stateName(s.state as AnyMachineSnapshot) }));
    shortest.set(serialize(path.state as AnyMachineSnapshot), steps);
  }
  const paths: TransitionPath<E>[] = [];
  for (const [key, { state, transitions }] of Object.entries(getAdjacencyMap(machine, options))) {
    const prefix = shortest.get(key);
    if (prefix === undefined) continue;
    for (const edge of Object.values(transitions) as {
      event: EventObject;
      state: AnyMachineSnapshot;
    }[]) {
      const { event, state: next } = edge;
      const from = stateName(state as AnyMachineSnapshot);
      const to = stateName(next as AnyMachineSnapshot);
      paths.push({
        description: `${prefix.map((s) => s.event.type).join(' → ') || '(start)'} ⇒ ${from} --${JSON.stringify(event)}--> ${to}`,
        steps: [...prefix, { event: event as E, state: to }],
      });
    }
  }
  return paths;
}
