/**
 * Renders a machine diagram as a Mermaid state diagram (stateDiagram-v2), the format GitHub draws
 * inline in Markdown. Each state is a box titled with its name, its description below, then one
 * `↺ event [guard]` line per transition that stays in it; transitions with a target are arrows,
 * those between the same two states merged into one label. Mermaid's lexer ends a label at `:`,
 * `;` or a newline and reads `#…;` as an entity, so every character it treats specially is written
 * as an entity code (`#58;` for `:`), which Mermaid turns back into the character when it draws.
 */
import {
  hasMachineWideTransitions,
  type DiagramState,
  type MachineDiagram,
} from './diagramModel.js';
import {
  ANY_STATE_NOTE,
  ANY_STATE_TITLE,
  DESCRIPTION_WIDTH,
  STAYS_MARK,
  generatedHeader,
  wrap,
} from './text.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  ':': '#58;',
  '{': '#123;',
  '}': '#125;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '`': '#96;',
  '%': '#37;',
  '[': '#91;',
  ']': '#93;',
};

/**
 * Text as Mermaid shows it verbatim in a label, a description line or a quoted state name.
 * Brackets are kept in labels (`event [guard]` reads better in the source) and encoded in names,
 * where `[[fork]]` would make a state a fork. `direction LR` anywhere on a line is taken as a
 * layout statement, so its space becomes an entity too.
 */
export function mermaidText(text: string, keepBrackets = true): string {
  const special = keepBrackets ? /[#;:{}"<>&`%]/g : /[#;:{}"<>&`%[\]]/g;
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(special, (c) => ENTITIES[c] ?? c)
    .replace(/(direction)\s+(TB|BT|RL|LR)/gi, '$1#32;$2');
}

/** Words Mermaid's state diagram lexer takes as keywords where a state id may stand. */
export const MERMAID_KEYWORDS = new Set(
  [
    'state',
    'note',
    'end',
    'as',
    'class',
    'classDef',
    'style',
    'default',
    'click',
    'href',
    'scale',
    'direction',
    'hide',
    'stateDiagram',
    'accTitle',
    'accDescr',
  ].map((w) => w.toLowerCase()),
);

/** Mermaid ids for the diagram's states (by XState id), and for the any-state pseudo-state. */
export function mermaidIds(diagram: MachineDiagram): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const assign = (key: string, name: string) => {
    let base = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base) || MERMAID_KEYWORDS.has(base.toLowerCase())) base = `s_${base}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(key, id);
  };
  const visit = (state: DiagramState) => {
    assign(state.id, state.name);
    state.children.forEach(visit);
  };
  diagram.root.children.forEach(visit);
  assign(diagram.root.id, 'anyState');
  return ids;
}

function idOf(ids: ReadonlyMap<string, string>, stateId: string): string {
  const id = ids.get(stateId);
  if (id === undefined) throw new Error(`no Mermaid id for state ${stateId}`);
  return id;
}

/** What a state's box lists under its title: its description, then what it takes and stays. */
function bodyLines(description: string, state: DiagramState): string[] {
  return [
    ...wrap(description, DESCRIPTION_WIDTH),
    ...state.stays.map((t) => `${STAYS_MARK}${t.label}`),
  ].map((line) => mermaidText(line));
}

function boxLines(id: string, title: string, description: string, state: DiagramState): string[] {
  return [
    `state "${mermaidText(title, false)}" as ${id}`,
    ...bodyLines(description, state).map((line) => `${id} : ${line}`),
  ];
}

/**
 * A state, and inside a compound or parallel one its children, where they start and end. Mermaid
 * lets a composite state have a title only, so its description and list go in a note beside it.
 */
function stateLines(state: DiagramState, ids: ReadonlyMap<string, string>): string[] {
  const id = idOf(ids, state.id);
  if (state.children.length === 0) return boxLines(id, state.name, state.description, state);
  // A note ends at the first line that starts with `end note`.
  const note = bodyLines(state.description, state).map((l) =>
    l.replace(/^end note/i, 'end#32;note'),
  );
  return [
    `state "${mermaidText(state.name, false)}" as ${id}`,
    `state ${id} {`,
    ...scopeLines(state, ids).map((l) => `  ${l}`),
    '}',
    ...(note.length === 0 ? [] : [`note right of ${id}`, ...note.map((l) => `  ${l}`), 'end note']),
  ];
}

/** The inside of a scope (the machine, or a compound state): initial arrow, states, final arrows. */
function scopeLines(scope: DiagramState, ids: ReadonlyMap<string, string>): string[] {
  const initial = scope.initial === null ? [] : [`[*] --> ${idOf(ids, scope.initial)}`];
  // Regions of a parallel state run side by side, which Mermaid draws between `--` separators.
  const children = scope.children.map((child) => stateLines(child, ids));
  const states =
    scope.type === 'parallel'
      ? children.flatMap((lines, i) => (i === 0 ? lines : ['--', ...lines]))
      : children.flat();
  const finals = scope.children
    .filter((child) => child.type === 'final')
    .map((child) => `${idOf(ids, child.id)} --> [*]`);
  return [...initial, ...states, ...finals];
}

export function renderMermaid(diagram: MachineDiagram, source: string): string {
  const ids = mermaidIds(diagram);
  const { root } = diagram;
  const edges = diagram.edges.map((edge) => {
    const label = edge.transitions.map((t) => mermaidText(t.label)).join('<br/>');
    return `${idOf(ids, edge.source)} --> ${idOf(ids, edge.target)} : ${label}`;
  });
  const lines = [
    ...scopeLines(root, ids),
    ...(hasMachineWideTransitions(diagram)
      ? boxLines(idOf(ids, root.id), ANY_STATE_TITLE, ANY_STATE_NOTE, root)
      : []),
    ...edges,
  ];
  return [
    ...generatedHeader(source).map((l) => `%% ${l}`),
    'stateDiagram-v2',
    ...lines.map((l) => `  ${l}`),
    '',
  ].join('\n');
}
