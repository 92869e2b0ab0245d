/**
 * Every file `npm run diagrams` writes, as text by path: a Mermaid and a DOT file per machine of
 * machines/allMachines.ts under docs/machines/<folder>/, and docs/machines.md, which shows every
 * Mermaid diagram inline. Both the script and the staleness test call this, so what CI compares
 * is exactly what the script writes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_MACHINES } from '../../machines/allMachines.js';
import { diagramOf, summarize, type MachineDiagram } from './diagramModel.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import { ANY_STATE_TITLE, STAYS_MARK, generatedHeader } from './text.js';

/** The folder the per-machine files go in, relative to the repository root. */
export const DIAGRAMS_DIR = 'docs/machines';
export const DIAGRAMS_PAGE = 'docs/machines.md';
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The files under a folder of the repository, as paths relative to its root with `/`. */
export function filesUnder(folder: string): string[] {
  if (!existsSync(join(REPO_ROOT, folder))) return [];
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

export interface MachineDiagramFiles {
  readonly component: string;
  readonly name: string;
  readonly source: string;
  readonly diagram: MachineDiagram;
  /** Paths relative to the repository root. */
  readonly mermaidPath: string;
  readonly dotPath: string;
  readonly mermaid: string;
  readonly dot: string;
}

export function machineDiagramFiles(): MachineDiagramFiles[] {
  return ALL_MACHINES.flatMap(({ component, folder, machines }) =>
    machines.map(([name, machine]) => {
      const diagram = diagramOf(machine);
      if (!/^[A-Za-z0-9_-]+$/.test(diagram.id))
        throw new Error(`machine id ${diagram.id} cannot name a file`);
      const source = `machines/${folder}/${name}.machine.ts`;
      const base = `${DIAGRAMS_DIR}/${folder}/${diagram.id}`;
      return {
        component,
        name,
        source,
        diagram,
        mermaidPath: `${base}.mmd`,
        dotPath: `${base}.dot`,
        mermaid: renderMermaid(diagram, source),
        dot: renderDot(diagram, source, `${component}: ${name} (${diagram.id})`),
      };
    }),
  );
}

const code = (text: string) => `\`${text}\``;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Links from docs/machines.md, which sits in docs/. */
const fromPage = (path: string) => path.replace(/^docs\//, '');

const CONVENTIONS = [
  'How to read them:',
  '',
  `- A box is a state: its name, its description, then one line ${code(`${STAYS_MARK}event [guard]`)} for each transition that has no target. The state takes that event and stays in it (nothing is exited or entered). Such transitions are listed in the box rather than drawn as self-loops: most states have many of them (outdated answers, duplicates, events that change only the context), and loops would bury the arrows that change state.`,
  `- An arrow carries every transition from one state to another, one label line each: ${code('event [guard]')}, or ${code('event')} when it has no guard. A transition that names its own state as target (and so leaves and re-enters it) is a loop.`,
  `- The candidates of one event are tried in the machine's order and the first whose guard holds is taken; an unguarded candidate after guarded ones reads ${code('event [else]')}.`,
  `- Guards are named as in the machine's ${code('setup')}; ${code('not(g)')} reads ${code('!g')}, ${code('and')} and ${code('or')} read ${code('&&')} and ${code('||')}, an inline function reads ${code('inline guard')}.`,
  `- ${code('[*]')} marks where the machine starts and the final states it can end in (in the DOT files: a dot, and a double border).`,
  `- ${code(ANY_STATE_TITLE)} (dashed in the DOT files) stands for the transitions the machine declares at its root: they apply in every state that is not final and has no enabled transition of its own for the event.`,
  '- Nested states, where a machine has them, are drawn inside their parent; Mermaid gives a composite state only a title, so its description and list are in a note beside it.',
  `- The DOT files give the descriptions as tooltips (Graphviz shows them in SVG output: ${code('dot -Tsvg docs/machines/taskExecutor/rmConnection.dot')}), on states, on arrows (each line with its description) and on the graph.`,
];

/** One row per machine: what its diagram holds. */
function summaryTable(all: readonly MachineDiagramFiles[]): string[] {
  const rows = all.map((f) => {
    const s = summarize(f.diagram);
    const cells = [f.component, `${f.name} (${code(f.diagram.id)})`, s.states, s.transitions];
    return `| ${[...cells, s.guarded, s.transitions - s.stays, s.edges, s.stays].join(' | ')} |`;
  });
  return [
    '| Component | Machine | States | Transitions | Guarded | With a target | Arrows | Staying (↺) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

function machineSection(files: MachineDiagramFiles): string[] {
  const s = summarize(files.diagram);
  const finals =
    s.finals.length === 0 ? 'no final state' : `final: ${s.finals.map(code).join(', ')}`;
  const moving = s.transitions - s.stays;
  const shows = [
    `Starts in ${s.initial === null ? 'no single state' : code(s.initial)}; ${finals}.`,
    `${plural(s.states, 'state')}, ${plural(s.transitions, 'transition')} (${s.guarded} guarded):`,
    `${moving} with a target, drawn as ${plural(s.edges, 'arrow')}; ${s.stays} that stay in their state (${code(STAYS_MARK.trim())} lines).`,
  ].join(' ');
  return [
    `### ${files.name} (${code(files.diagram.id)})`,
    '',
    `${code(files.diagram.id)} in [${files.source}](../${files.source}): ${files.diagram.description}`,
    '',
    `${shows} Graphviz: [${files.diagram.id}.dot](${fromPage(files.dotPath)}); Mermaid source: [${files.diagram.id}.mmd](${fromPage(files.mermaidPath)}).`,
    '',
    '```mermaid',
    files.mermaid.trimEnd(),
    '```',
    '',
  ];
}

export function renderDiagramsPage(all: readonly MachineDiagramFiles[]): string {
  const components = [...new Set(all.map((f) => f.component))];
  return [
    `<!-- ${generatedHeader('machines/allMachines.ts').join(' ')} -->`,
    '',
    '# Machine diagrams',
    '',
    `Every machine of the model (machines/), drawn from the machines themselves. Each is also in ${DIAGRAMS_DIR}/ as a Mermaid file and as a Graphviz DOT file.`,
    '',
    ...CONVENTIONS,
    '',
    ...summaryTable(all),
    '',
    ...components.flatMap((component) => [
      `## ${component}`,
      '',
      ...all.filter((f) => f.component === component).flatMap(machineSection),
    ]),
  ].join('\n');
}

/** Every generated file's text by its path relative to the repository root. */
export function diagramFiles(): Map<string, string> {
  const all = machineDiagramFiles();
  const files = new Map<string, string>();
  for (const f of all) {
    files.set(f.mermaidPath, f.mermaid);
    files.set(f.dotPath, f.dot);
  }
  files.set(DIAGRAMS_PAGE, renderDiagramsPage(all));
  return files;
}
