/**
 * Test support: reads the two renderings back into states and arrows, so that tests compare them
 * with the machine rather than with the renderers' own idea of it. DOT is read by Graphviz itself
 * (@viz-js/viz, Graphviz compiled to WebAssembly): what it draws, line by line, after its own
 * parsing and escape handling. Mermaid's parser needs a browser, so the Mermaid file is read by a
 * strict parser of the subset of stateDiagram-v2 the renderer writes, which rejects any line, id or
 * character Mermaid's lexer would read otherwise than meant.
 */
import { instance } from '@viz-js/viz';

export interface ReadState {
  readonly title: string;
  /** The lines under the title (Mermaid) or of the label after the title (DOT). */
  readonly lines: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ReadEdge {
  readonly from: string;
  readonly to: string;
  readonly lines: readonly string[];
}

export interface ReadDiagram {
  /** States (DOT nodes and clusters, Mermaid states) by their id in the file. */
  readonly states: ReadonlyMap<string, ReadState>;
  readonly edges: readonly ReadEdge[];
  /** Problems the reader found: Graphviz's errors and warnings, Mermaid lines it cannot read. */
  readonly problems: readonly string[];
}

interface XdotOp {
  readonly op: string;
  readonly text?: string;
}
interface GraphvizObject {
  readonly name: string;
  readonly nodes?: readonly number[];
  readonly _ldraw_?: readonly XdotOp[];
  readonly [attribute: string]: unknown;
}
interface GraphvizJson {
  readonly objects?: readonly GraphvizObject[];
  readonly edges?: readonly { tail: number; head: number; _ldraw_?: readonly XdotOp[] }[];
}

/** The lines Graphviz draws for a label (xdot escapes a backslash in text as two). */
const drawnLines = (ops: readonly XdotOp[] | undefined): string[] =>
  (ops ?? []).flatMap((o) =>
    o.op === 'T' && o.text !== undefined ? [o.text.replace(/\\\\/g, '\\')] : [],
  );

/**
 * Graphviz's WebAssembly build has no font metrics beyond Latin-1 and warns once per run when it
 * sizes a wider character (the `↺` of the lists); it says nothing about the file.
 */
const FONT_METRICS = /no value for width of non-ASCII character/;

export async function readDot(dot: string): Promise<ReadDiagram> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'json' });
  const problems = result.errors
    .filter((e) => !FONT_METRICS.test(e.message))
    .map((e) => `${e.level ?? 'error'}: ${e.message}`);
  if (result.status === 'failure') return { states: new Map(), edges: [], problems };
  const json = JSON.parse(result.output) as GraphvizJson;
  const objects = json.objects ?? [];
  const states = new Map<string, ReadState>();
  for (const o of objects) {
    const [title = '', ...lines] = drawnLines(o._ldraw_);
    // Attributes come as written, before Graphviz reads escapes: a tooltip's `\\` is one backslash.
    const attributes = Object.fromEntries(
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'string' ? [[k, k === 'tooltip' ? v.replace(/\\\\/g, '\\') : v]] : [],
      ),
    );
    states.set(o.name, { title, lines, attributes });
  }
  const name = (gvid: number) => objects[gvid]?.name ?? `#${gvid}`;
  const edges = (json.edges ?? []).map((e) => ({
    from: name(e.tail),
    to: name(e.head),
    lines: drawnLines(e._ldraw_),
  }));
  return { states, edges, problems };
}
