/**
 * Renders a machine diagram as Graphviz DOT, for `dot -Tsvg` and other Graphviz tools. It shows
 * what the Mermaid rendering shows (states, `↺ event [guard]` lines for the transitions that stay,
 * one merged arrow per pair of states), with the descriptions as tooltips, which Graphviz puts in
 * SVG output, rather than in the boxes. A compound state is a cluster entered through a dot that
 * points to its initial child; a final state has a double border.
 */
import {
  hasMachineWideTransitions,
  type DiagramEdge,
  type DiagramState,
  type MachineDiagram,
} from './diagramModel.js';
import { ANY_STATE_NOTE, ANY_STATE_TITLE, STAYS_MARK, generatedHeader } from './text.js';

/** Text inside a DOT quoted string: backslashes and quotes escaped, so Graphviz shows it verbatim. */
const escaped = (text: string) => text.replace(/\s+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`);

export const dotString = (text: string) => `"${escaped(text)}"`;

/** A label of centered and left-justified lines (Graphviz's `\n` and `\l` line ends). */
function dotLabel(centered: readonly string[], left: readonly string[]): string {
  const lines = [
    ...centered.map((l) => `${escaped(l)}\\n`),
    ...left.map((l) => `${escaped(l)}\\l`),
  ];
  return `"${lines.join('')}"`;
}

const multiline = (lines: readonly string[]) => `"${lines.map(escaped).join('\\n')}"`;

/** Pseudo-nodes' ids: XState ids join keys with dots, and `#` marks an id reference in XState. */
const initialNode = (scopeId: string) => `${scopeId}#initial`;
const cluster = (stateId: string) => `cluster_${stateId}`;

/** A description as a tooltip, where there is one (Graphviz drops an empty one). */
const tooltip = (description: string) =>
  description === '' ? [] : [`tooltip=${dotString(description)}`];

function stateLabel(state: DiagramState, title: string): string {
  return dotLabel(
    [title],
    state.stays.map((t) => `${STAYS_MARK}${t.label}`),
  );
}

function stateNode(state: DiagramState, indent: string): string[] {
  const attributes = [
    `label=${stateLabel(state, state.type === 'history' ? `${state.name} (history)` : state.name)}`,
    ...tooltip(state.description),
    ...(state.type === 'final' ? ['peripheries=2'] : []),
  ];
  return [`${indent}${dotString(state.id)} [${attributes.join(', ')}];`];
}

/**
 * The dot a scope is entered through and its arrows: to the initial child, or to every region of a
 * parallel state; a child that is compound itself is entered through its own dot.
 */
function entryLines(scope: DiagramState, indent: string): string[] {
  const targets =
    scope.type === 'parallel'
      ? scope.children
      : scope.children.filter((child) => child.id === scope.initial);
  if (targets.length === 0) return [];
  const dot = dotString(initialNode(scope.id));
  return [
    `${indent}${dot} [shape=point, label="", width=0.12];`,
    ...targets.map((t) =>
      t.children.length === 0
        ? `${indent}${dot} -> ${dotString(t.id)};`
        : `${indent}${dot} -> ${dotString(initialNode(t.id))} [lhead=${dotString(cluster(t.id))}];`,
    ),
  ];
}

function stateLines(state: DiagramState, indent: string): string[] {
  if (state.children.length === 0) return stateNode(state, indent);
  const inner = `${indent}  `;
  return [
    `${indent}subgraph ${dotString(cluster(state.id))} {`,
    `${inner}label=${stateLabel(state, state.type === 'parallel' ? `${state.name} (parallel)` : state.name)};`,
    // Set even when empty: a cluster inherits the attributes of the graph around it.
    `${inner}tooltip=${dotString(state.description)};`,
    `${inner}style=${state.type === 'parallel' ? '"rounded,dashed"' : 'rounded'};`,
    ...entryLines(state, inner),
    ...state.children.flatMap((child) => stateLines(child, inner)),
    `${indent}}`,
  ];
}

/** Every state by id, and whether one lies inside another (for clipping arrows at clusters). */
function stateIndex(diagram: MachineDiagram) {
  const byId = new Map<string, DiagramState>();
  const visit = (state: DiagramState) => {
    byId.set(state.id, state);
    state.children.forEach(visit);
  };
  visit(diagram.root);
  const inside = (inner: string, outer: string): boolean =>
    byId.get(outer)?.children.some((c) => c.id === inner || inside(inner, c.id)) ?? false;
  const compound = (id: string) => (byId.get(id)?.children.length ?? 0) > 0;
  return { inside, compound };
}

/** An arrow; one to or from a compound state attaches to its entry dot, clipped at its border. */
function edgeLine(
  diagram: MachineDiagram,
  edge: DiagramEdge,
  index: ReturnType<typeof stateIndex>,
): string {
  const { inside, compound } = index;
  const fromRoot = edge.source === diagram.root.id;
  const tail = fromRoot
    ? anyStateNode(diagram)
    : compound(edge.source)
      ? initialNode(edge.source)
      : edge.source;
  const head = compound(edge.target) ? initialNode(edge.target) : edge.target;
  const labels = edge.transitions.map((t) => t.label);
  const described = edge.transitions.map((t) =>
    t.description === '' ? t.label : `${t.label}: ${t.description}`,
  );
  const attributes = [
    `label=${dotLabel([], labels)}`,
    `tooltip=${multiline(described)}`,
    // Graphviz cannot clip an arrow that runs between a cluster and its own inside.
    ...(!fromRoot && compound(edge.source) && !inside(edge.target, edge.source)
      ? [`ltail=${dotString(cluster(edge.source))}`]
      : []),
    ...(compound(edge.target) && !inside(edge.source, edge.target)
      ? [`lhead=${dotString(cluster(edge.target))}`]
      : []),
  ];
  return `  ${dotString(tail)} -> ${dotString(head)} [${attributes.join(', ')}];`;
}

/** The pseudo-node of the machine's own transitions. */
const anyStateNode = (diagram: MachineDiagram) => `${diagram.root.id}#any`;

export function renderDot(diagram: MachineDiagram, source: string, title: string): string {
  const { root } = diagram;
  const compound = root.children.some((c) => c.children.length > 0);
  const index = stateIndex(diagram);
  return [
    ...generatedHeader(source).map((l) => `// ${l}`),
    `digraph ${dotString(diagram.id)} {`,
    `  label=${dotString(title)};`,
    '  labelloc=t;',
    '  fontname="Helvetica";',
    ...tooltip(diagram.description).map((t) => `  ${t};`),
    ...(compound ? ['  compound=true;'] : []),
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...entryLines(root, '  '),
    ...root.children.flatMap((child) => stateLines(child, '  ')),
    ...(hasMachineWideTransitions(diagram)
      ? [
          `  ${dotString(anyStateNode(diagram))} [label=${stateLabel(root, ANY_STATE_TITLE)}, style="rounded,dashed", tooltip=${dotString(ANY_STATE_NOTE)}];`,
        ]
      : []),
    ...diagram.edges.map((edge) => edgeLine(diagram, edge, index)),
    '}',
    '',
  ].join('\n');
}
