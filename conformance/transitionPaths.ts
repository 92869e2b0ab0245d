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
  type Edge = { event: EventObject; state: AnyMachineSnapshot };
  const statePaths = getShortestPaths(machine, options) as unknown as {
    state: AnyMachineSnapshot;
    steps: Edge[];
  }[];
  const adjacency = getAdjacencyMap(machine, options) as unknown as Record<
    string,
    { state: AnyMachineSnapshot; transitions: Record<string, Edge> }
  >;
  const shortest = new Map<string, readonly { event: E; state: string }[]>();
  for (const path of statePaths) {
    const steps = path.steps
      .filter((s) => !s.event.type.startsWith('xstate.'))
      .map((s) => ({ event: s.event as E, state: stateName(s.state) }));
    shortest.set(serialize(path.state), steps);
  }
  const paths: TransitionPath<E>[] = [];
  for (const [key, { state, transitions }] of Object.entries(adjacency)) {
    const prefix = shortest.get(key);
    if (prefix === undefined) continue;
    for (const { event, state: next } of Object.values(transitions)) {
      const from = stateName(state);
      const to = stateName(next);
      paths.push({
        description: `${prefix.map((s) => s.event.type).join(' → ') || '(start)'} ⇒ ${from} --${JSON.stringify(event)}--> ${to}`,
        steps: [...prefix, { event: event as E, state: to }],
      });
    }
  }
  return paths;
}
