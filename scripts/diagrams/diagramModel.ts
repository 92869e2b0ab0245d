/**
 * What a machine diagram shows, read from an XState machine and independent of the drawing format:
 * its states (nested as in the machine), its transitions with a label `event [guard]`, grouped into
 * one edge per pair of states, and the transitions without a target, kept with the state that takes
 * them (they stay in it). The Mermaid and DOT renderers draw this; keeping the reading in one place
 * is what makes the two renderings show the same machine.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One declared transition, as the diagrams label it. */
export interface DiagramTransition {
  /** `event [guard]`, or `event` when unguarded. */
  readonly label: string;
  readonly description: string;
  readonly guarded: boolean;
}

export interface DiagramState {
  /** The XState id (`machineId.key`, nested by dots): unique within the machine. */
  readonly id: string;
  /** The key in the machine's config; the root's is the machine id. */
  readonly name: string;
  readonly description: string;
  readonly type: AnyStateNode['type'];
  /** The id of the child a compound state starts in. */
  readonly initial: string | null;
  readonly children: readonly DiagramState[];
  /** Transitions without a target: the state takes the event and stays in it. */
  readonly stays: readonly DiagramTransition[];
}

/** Every transition from one state to another (or to itself, when it names itself as target). */
export interface DiagramEdge {
  readonly source: string;
  readonly target: string;
  readonly transitions: readonly DiagramTransition[];
}

export interface MachineDiagram {
  readonly id: string;
  readonly description: string;
  /**
   * The machine itself: its children are the top-level states, its own transitions apply in every
   * state that has no enabled transition of its own for the event.
   */
  readonly root: DiagramState;
  readonly edges: readonly DiagramEdge[];
  /** Every declared transition once (an edge per target would count one to several states twice). */
  readonly transitions: readonly DiagramTransition[];
}

type Guard = NonNullable<AnyTransitionDefinition['guard']>;

/** XState's higher-order guards (`not`, `and`, `or`) and `stateIn` are functions carrying these. */
interface GuardFunction {
  readonly name: string;
  readonly guards?: readonly Guard[];
  readonly stateValue?: unknown;
}

/** Names a guard for a label: named guards by name, `not`/`and`/`or` as `!a`, `a && b`, `a || b`. */
export function guardName(guard: Guard): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return functionGuardName(guard);
  return guard.type;
}

function functionGuardName(guard: GuardFunction): string {
  const operands = (guard.guards ?? []).map((g) => {
    const name = guardName(g);
    return name.includes(' ') ? `(${name})` : name;
  });
  if (guard.guards !== undefined && guard.name === 'not') return `!${operands.join('')}`;
  if (guard.guards !== undefined && guard.name === 'and') return operands.join(' && ');
  if (guard.guards !== undefined && guard.name === 'or') return operands.join(' || ');
  if (guard.stateValue !== undefined) {
    const value = guard.stateValue;
    return `in(${typeof value === 'string' ? value : JSON.stringify(value)})`;
  }
  // An inline function has no name of its own: as a property value it is named after the key.
  return guard.name === '' || guard.name === 'guard' ? 'inline guard' : guard.name;
}

/** XState's internal event types for `always` and `after` read as the config wrote them. */
export function eventLabel(eventType: string): string {
  if (eventType === '') return 'always';
  const delayed = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return delayed?.[1] !== undefined ? `after ${delayed[1]}` : eventType;
}

/**
 * An unguarded candidate after guarded ones of the same event is taken only when their guards
 * fail: it reads `event [else]`, as in UML, rather than as if it were always taken.
 */
function diagramTransition(t: AnyTransitionDefinition, afterGuarded: boolean): DiagramTransition {
  const event = eventLabel(t.eventType as string);
  const guard = t.guard === undefined ? null : guardName(t.guard);
  const condition = guard ?? (afterGuarded ? 'else' : null);
  return {
    label: condition === null ? event : `${event} [${condition}]`,
    description: t.description ?? '',
    guarded: guard !== null,
  };
}

interface Declared {
  readonly definition: AnyTransitionDefinition;
  readonly shown: DiagramTransition;
}

/** The transitions a node declares, in config order: its events, then its eventless ones. */
function declaredTransitions(node: AnyStateNode): Declared[] {
  const byEvent = [
    ...node.transitions.values(),
    ...(node.always === undefined ? [] : [node.always]),
  ];
  return byEvent.flatMap((candidates) =>
    candidates.map((definition, i) => ({
      definition,
      shown: diagramTransition(
        definition,
        candidates.slice(0, i).some((c) => c.guard !== undefined),
      ),
    })),
  );
}

function diagramState(node: AnyStateNode, name: string): DiagramState {
  const children = Object.values(node.states).map((child) => diagramState(child, child.key));
  const initial = node.type === 'compound' ? (node.initial.target[0]?.id ?? null) : null;
  return {
    id: node.id,
    name,
    description: node.description ?? '',
    type: node.type,
    initial,
    children,
    stays: declaredTransitions(node)
      .filter(({ definition }) => (definition.target ?? []).length === 0)
      .map(({ shown }) => shown),
  };
}

function allTransitions(root: AnyStateNode): DiagramTransition[] {
  const visit = (node: AnyStateNode): DiagramTransition[] => [
    ...declaredTransitions(node).map(({ shown }) => shown),
    ...Object.values(node.states).flatMap(visit),
  ];
  return visit(root);
}

function collectEdges(root: AnyStateNode): DiagramEdge[] {
  const edges = new Map<
    string,
    { source: string; target: string; transitions: DiagramTransition[] }
  >();
  const visit = (node: AnyStateNode) => {
    for (const { definition, shown } of declaredTransitions(node))
      for (const target of definition.target ?? []) {
        const key = JSON.stringify([node.id, target.id]);
        const edge = edges.get(key) ?? { source: node.id, target: target.id, transitions: [] };
        edge.transitions.push(shown);
        edges.set(key, edge);
      }
    Object.values(node.states).forEach(visit);
  };
  visit(root);
  return [...edges.values()];
}

export function diagramOf(machine: AnyStateMachine): MachineDiagram {
  return {
    id: machine.id,
    description: machine.root.description ?? '',
    root: diagramState(machine.root, machine.id),
    edges: collectEdges(machine.root),
    transitions: allTransitions(machine.root),
  };
}

/** Whether the machine declares transitions at its root (drawn from an `any state` box). */
export function hasMachineWideTransitions(diagram: MachineDiagram): boolean {
  const { root } = diagram;
  return root.stays.length > 0 || diagram.edges.some((e) => e.source === root.id);
}

/** Every state of the diagram but the root, parents before their children. */
export function allDiagramStates(diagram: MachineDiagram): DiagramState[] {
  const all: DiagramState[] = [];
  const visit = (state: DiagramState) => {
    all.push(state);
    state.children.forEach(visit);
  };
  diagram.root.children.forEach(visit);
  return all;
}

export interface DiagramSummary {
  readonly initial: string | null;
  readonly finals: readonly string[];
  readonly states: number;
  readonly transitions: number;
  readonly guarded: number;
  readonly edges: number;
  readonly stays: number;
}

export function summarize(diagram: MachineDiagram): DiagramSummary {
  const states = allDiagramStates(diagram);
  const byId = new Map(states.map((s) => [s.id, s.name]));
  return {
    initial: diagram.root.initial === null ? null : (byId.get(diagram.root.initial) ?? null),
    finals: states.filter((s) => s.type === 'final').map((s) => s.name),
    states: states.length,
    transitions: diagram.transitions.length,
    guarded: diagram.transitions.filter((t) => t.guarded).length,
    edges: diagram.edges.length,
    stays: [diagram.root, ...states].flatMap((s) => s.stays).length,
  };
}
