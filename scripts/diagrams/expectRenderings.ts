/**
 * Test support: compares both renderings of a machine, read back by readRenderings.ts and
 * readMermaid.ts, with the machine itself. Its states and transitions are enumerated by
 * conformance/machineStepper.ts (the same lists the coverage report counts) and looked up on the
 * machine's own state nodes, so a transition the renderer drops, draws twice, puts on the wrong
 * arrow or labels wrongly fails here.
 */
import { expect } from 'vitest';
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { allStates, allTransitions } from '../../conformance/machineStepper.js';
import { eventLabel, guardName } from './diagramModel.js';
import type { ReadDiagram, ReadEdge } from './readRenderings.js';
import type { ReadMermaid } from './readMermaid.js';
import { STAYS_MARK } from './text.js';

/** A transition as the machine declares it, with the label the diagrams must give it. */
export interface Expected {
  readonly source: AnyStateNode;
  readonly targets: readonly AnyStateNode[];
  readonly label: string;
}

/** Every transition of the machine, counted against machineStepper's list of them. */
export function expectedTransitions(machine: AnyStateMachine): Expected[] {
  const nodes = [machine.root, ...allStates(machine).map((id) => machine.getStateNodeById(id))];
  const expected = nodes.flatMap((source) =>
    [...source.transitions.values(), source.always ?? []].flatMap((candidates) =>
      candidates.map((t: AnyTransitionDefinition, i) => {
        const elseBranch = candidates.slice(0, i).some((c) => c.guard !== undefined);
        const condition = t.guard !== undefined ? guardName(t.guard) : elseBranch ? 'else' : null;
        const event = eventLabel(t.eventType as string);
        return {
          source,
          targets: t.target ?? [],
          label: condition === null ? event : `${event} [${condition}]`,
        };
      }),
    ),
  );
  const always = nodes.reduce((n, node) => n + (node.always?.length ?? 0), 0);
  expect(expected.length - always, 'transitions found against machineStepper').toBe(
    allTransitions(machine).size,
  );
  return expected;
}

/** Where a rendering puts a state's box and the arrows to and from it. */
export interface Placement {
  /** The id of the box that lists what the state takes without leaving. */
  readonly box: (node: AnyStateNode) => string;
  readonly tail: (node: AnyStateNode) => string;
  readonly head: (node: AnyStateNode) => string;
}

/**
 * Each expected transition takes its own line (an arrow's label line, or a `↺` line of the box),
 * so a line left over is a transition the machine does not have.
 */
export function expectTransitionsDrawn(
  machine: AnyStateMachine,
  read: ReadDiagram,
  place: Placement,
): void {
  const edgeLines = new Map<ReadEdge, string[]>(read.edges.map((e) => [e, [...e.lines]]));
  const boxLines = new Map([...read.states].map(([id, s]) => [id, [...s.lines]]));
  const take = (lines: string[] | undefined, line: string) => {
    const at = lines?.indexOf(line) ?? -1;
    if (at >= 0) lines?.splice(at, 1);
    return at >= 0;
  };
  for (const t of expectedTransitions(machine)) {
    const where = `${t.source.id} on ${t.label}`;
    if (t.targets.length === 0)
      expect(take(boxLines.get(place.box(t.source)), `${STAYS_MARK}${t.label}`), where).toBe(true);
    for (const target of t.targets) {
      const edges = read.edges.filter(
        (e) => e.from === place.tail(t.source) && e.to === place.head(target),
      );
      const taken = edges.some((e) => take(edgeLines.get(e), t.label));
      expect(taken, `${where} → ${target.id}`).toBe(true);
    }
  }
  expect([...edgeLines.values()].flat(), 'arrow lines of no transition').toEqual([]);
  const leftStays = [...boxLines.values()].flat().filter((l) => l.startsWith(STAYS_MARK));
  expect(leftStays, '↺ lines of no transition').toEqual([]);
}

/** A description as both renderings show it, on one line with single spaces. */
const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The nodes of the machine's state tree but the root, by id. */
function stateNodes(machine: AnyStateMachine): AnyStateNode[] {
  return allStates(machine).map((id) => machine.getStateNodeById(id));
}

/** Whether the machine has transitions of its own, which the diagrams give an `any state` box. */
const hasAnyState = (machine: AnyStateMachine) =>
  machine.root.transitions.size > 0 || (machine.root.always?.length ?? 0) > 0;

export function expectDotFaithful(machine: AnyStateMachine, read: ReadDiagram): void {
  expect(read.problems, 'Graphviz errors and warnings').toEqual([]);
  const compound = (n: AnyStateNode) => Object.keys(n.states).length > 0;
  const entry = (n: AnyStateNode) => `${n.id}#initial`;
  const box = (n: AnyStateNode) => (compound(n) ? `cluster_${n.id}` : n.id);
  const kind = (n: AnyStateNode) =>
    n.type === 'parallel' ? ' (parallel)' : n.type === 'history' ? ' (history)' : '';
  const nodes = stateNodes(machine);
  expect(new Set(read.states.keys()), 'nodes and clusters').toEqual(
    new Set([
      ...nodes.map(box),
      ...[machine.root, ...nodes].filter(compound).map(entry),
      ...(hasAnyState(machine) ? [`${machine.root.id}#any`] : []),
    ]),
  );
  for (const node of nodes) {
    const state = read.states.get(box(node));
    expect(state?.title, node.id).toBe(`${node.key}${kind(node)}`);
    expect(state?.attributes['tooltip'] ?? '', `${node.id} tooltip`).toBe(
      oneLine(node.description),
    );
    expect(state?.attributes['peripheries'] === '2', `${node.id} final`).toBe(
      node.type === 'final',
    );
  }
  const initial = machine.root.initial.target[0];
  expect(read.edges, 'the initial arrow').toContainEqual({
    from: entry(machine.root),
    to: initial === undefined ? '' : initial.id,
    lines: [],
  });
  expectTransitionsDrawn(machine, read, {
    box: (n) => (n === machine.root ? `${n.id}#any` : compound(n) ? `cluster_${n.id}` : n.id),
    tail: (n) => (n === machine.root ? `${n.id}#any` : compound(n) ? entry(n) : n.id),
    head: (n) => (compound(n) ? entry(n) : n.id),
  });
}

export function expectMermaidFaithful(
  machine: AnyStateMachine,
  read: ReadMermaid,
  ids: ReadonlyMap<string, string>,
): void {
  expect(read.problems, 'what Mermaid would not read as meant').toEqual([]);
  expect(read.header.join(' ')).toMatch(/Generated by `npm run diagrams`.*Do not edit by hand/);
  const id = (n: AnyStateNode) => ids.get(n.id) ?? `(no id for ${n.id})`;
  const nodes = stateNodes(machine);
  expect(new Set(read.states.keys()), 'states').toEqual(
    new Set([...nodes, ...(hasAnyState(machine) ? [machine.root] : [])].map(id)),
  );
  for (const node of nodes) {
    const state = read.states.get(id(node));
    expect(state?.title, node.id).toBe(node.key);
    const description = state?.lines.filter((l) => !l.startsWith(STAYS_MARK)).join(' ');
    expect(description, `${node.id} description`).toBe(oneLine(node.description));
    const parent = node.parent === undefined || node.parent === machine.root ? '' : id(node.parent);
    expect(read.parents.get(id(node)), `${node.id} inside its parent`).toBe(parent);
    expect(read.finals.has(id(node)), `${node.id} final`).toBe(node.type === 'final');
    const first = node.initial.target[0];
    if (node.type === 'compound' && first !== undefined)
      expect(read.initial.get(id(node)), `${node.id} initial`).toBe(id(first));
  }
  const initial = machine.root.initial.target[0];
  expect(read.initial.get(''), 'the initial arrow').toBe(initial && id(initial));
  expectTransitionsDrawn(machine, read, { box: id, tail: id, head: id });
}
