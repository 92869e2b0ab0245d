/**
 * Test support: a strict reader of the stateDiagram-v2 subset scripts/diagrams/mermaid.ts writes.
 * Mermaid's own parser needs a browser (its current versions sanitize through the DOM), so this
 * reader stands in for it: it accepts only the statements the renderer writes, with ids and text
 * that Mermaid's lexer reads as meant (a raw `:`, `;`, `#`, brace or quote would end or change a
 * statement), and decodes Mermaid's entity codes the way Mermaid shows them.
 */
import { MERMAID_KEYWORDS } from './mermaid.js';
import type { ReadDiagram, ReadEdge, ReadState } from './readRenderings.js';

export interface ReadMermaid extends ReadDiagram {
  /** The `%%` comment lines before the diagram. */
  readonly header: readonly string[];
  /** The state each scope starts in, by scope: `''` for the diagram, else a composite's id. */
  readonly initial: ReadonlyMap<string, string>;
  /** States with an arrow to `[*]`. */
  readonly finals: ReadonlySet<string>;
  /** The composite each state is declared in (`''` at the top). */
  readonly parents: ReadonlyMap<string, string>;
}

const NAMED: Readonly<Record<string, string>> = { quot: '"', lt: '<', gt: '>', amp: '&' };
/** What Mermaid reads as syntax in a label; written only as entity codes. */
const SPECIAL = /[#;:{}"<>&`%]/;

const ID = '([A-Za-z][A-Za-z0-9_]*)';
const STATEMENTS = {
  box: new RegExp(`^state "([^"]*)" as ${ID}$`),
  open: new RegExp(`^state ${ID} \\{$`),
  initial: new RegExp(`^\\[\\*\\] --> ${ID}$`),
  final: new RegExp(`^${ID} --> \\[\\*\\]$`),
  edge: new RegExp(`^${ID} --> ${ID} : (.+)$`),
  line: new RegExp(`^${ID} : (.+)$`),
  note: new RegExp(`^note right of ${ID}$`),
};

/** Mermaid's text with its entity codes decoded, or the reason Mermaid would misread it. */
export function decodeMermaidText(text: string, name = false): string | Error {
  const bare = text.replace(/#\w+;/g, '');
  if (SPECIAL.test(bare) || (name && /[[\]]/.test(bare)))
    return new Error(`unencoded special character in ${JSON.stringify(text)}`);
  if (/direction\s+(TB|BT|RL|LR)/i.test(text))
    return new Error(`a layout statement inside ${JSON.stringify(text)}`);
  const unknown = [...text.matchAll(/#(\w+);/g)].filter(
    ([, inner = '']) => !/^\d+$/.test(inner) && NAMED[inner] === undefined,
  );
  if (unknown.length > 0)
    return new Error(`unknown entity ${unknown.map(([code]) => code).join(' ')}`);
  return text.replace(/#(\w+);/g, (code, inner: string) =>
    /^\d+$/.test(inner) ? String.fromCodePoint(Number(inner)) : (NAMED[inner] ?? code),
  );
}

class Reader {
  noteLine(line: string): void {
    const state = this.note === null ? undefined : this.states.get(this.note);
    if (line === 'end note') this.note = null;
    else state?.lines.push(this.text(line));
  }

  readonly states = new Map<string, { title: string; lines: string[] }>();
  readonly edges: ReadEdge[] = [];
  readonly problems: string[] = [];
  readonly initial = new Map<string, string>();
  readonly finals = new Set<string>();
  readonly parents = new Map<string, string>();
  readonly scopes: string[] = [''];
  readonly used = new Set<string>();
  readonly composites = new Set<string>();
  readonly described = new Set<string>();
  /** The state whose note is being read, between `note right of` and `end note`. */
  note: string | null = null;

  get scope(): string {
    return this.scopes[this.scopes.length - 1] ?? '';
  }

  text(raw: string, name = false): string {
    const decoded = decodeMermaidText(raw, name);
    if (decoded instanceof Error) this.problems.push(decoded.message);
    return decoded instanceof Error ? raw : decoded;
  }

  /** An id used; each must be declared with `state "…" as id` (else Mermaid makes a new state). */
  known(id: string): string {
    if (MERMAID_KEYWORDS.has(id.toLowerCase())) this.problems.push(`keyword ${id} as a state id`);
    this.used.add(id);
    return id;
  }

  statement(line: string): void {
    if (this.note !== null) return this.noteLine(line);
    const m = (pattern: RegExp) => pattern.exec(line)?.slice(1) ?? null;
    const box = m(STATEMENTS.box);
    const open = m(STATEMENTS.open);
    const initial = m(STATEMENTS.initial);
    const final = m(STATEMENTS.final);
    const edge = m(STATEMENTS.edge);
    const text = m(STATEMENTS.line);
    const note = m(STATEMENTS.note);
    if (box?.[0] !== undefined && box[1] !== undefined) {
      if (this.states.has(box[1])) this.problems.push(`${box[1]} declared twice`);
      if (MERMAID_KEYWORDS.has(box[1].toLowerCase())) this.problems.push(`keyword id ${box[1]}`);
      this.states.set(box[1], { title: this.text(box[0], true), lines: [] });
      this.parents.set(box[1], this.scope);
    } else if (open?.[0] !== undefined) {
      this.scopes.push(this.known(open[0]));
      this.composites.add(open[0]);
    } else if (note?.[0] !== undefined) this.note = this.known(note[0]);
    else if (line === '}' && this.scopes.length > 1) this.scopes.pop();
    else if (line === '--' && this.scopes.length > 1) return;
    else if (initial?.[0] !== undefined) this.initial.set(this.scope, this.known(initial[0]));
    else if (final?.[0] !== undefined) this.finals.add(this.known(final[0]));
    else if (edge?.[0] !== undefined && edge[1] !== undefined && edge[2] !== undefined) {
      const lines = edge[2].split('<br/>').map((l) => this.text(l));
      this.edges.push({ from: this.known(edge[0]), to: this.known(edge[1]), lines });
    } else if (text?.[0] !== undefined && text[1] !== undefined) {
      const state = this.states.get(this.known(text[0]));
      if (state === undefined) this.problems.push(`a line for ${text[0]} before its box`);
      state?.lines.push(this.text(text[1]));
      this.described.add(text[0]);
    } else this.problems.push(`cannot read: ${line}`);
  }
}

export function readMermaid(source: string): ReadMermaid {
  const reader = new Reader();
  const header: string[] = [];
  const lines = source.split('\n').map((l) => l.trim());
  let i = 0;
  for (; lines[i]?.startsWith('%%') === true; i++) header.push(lines[i]?.slice(2).trim() ?? '');
  if (lines[i] !== 'stateDiagram-v2') reader.problems.push('no stateDiagram-v2 after the header');
  for (const line of lines.slice(i + 1)) if (line !== '') reader.statement(line);
  if (reader.scopes.length > 1) reader.problems.push(`unclosed composite ${reader.scope}`);
  if (reader.note !== null) reader.problems.push(`unclosed note of ${reader.note}`);
  // Mermaid rejects a diagram where a composite state has description lines.
  for (const id of reader.composites)
    if (reader.described.has(id)) reader.problems.push(`composite ${id} has description lines`);
  for (const id of reader.used)
    if (!reader.states.has(id)) reader.problems.push(`${id} is used but never declared`);
  const states = new Map<string, ReadState>(
    [...reader.states].map(([id, s]) => [id, { title: s.title, lines: s.lines, attributes: {} }]),
  );
  return {
    states,
    edges: reader.edges,
    problems: reader.problems,
    header,
    initial: reader.initial,
    finals: reader.finals,
    parents: reader.parents,
  };
}
