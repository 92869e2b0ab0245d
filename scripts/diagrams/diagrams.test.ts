// The machine diagrams are valid and faithful: for every machine of machines/allMachines.ts, the
// DOT file parses in Graphviz without a warning and the Mermaid file reads as the subset of
// stateDiagram-v2 Mermaid's lexer takes as meant, and both show every state and every transition
// of the machine, where the machine has them (docs/machines.md says how). A made-up machine with
// what the model's machines do not use yet (nesting, parallel regions, eventless and delayed
// transitions, inline and higher-order guards, characters each format treats specially) checks
// the same of the cases the real machines cannot.
import { describe, expect, it } from 'vitest';
import { and, createMachine, not, or, setup, stateIn, type AnyStateMachine } from 'xstate';
import { ALL_MACHINES } from '../../machines/allMachines.js';
import { diagramOf, guardName } from './diagramModel.js';
import { dotString, renderDot } from './dot.js';
import { expectDotFaithful, expectMermaidFaithful } from './expectRenderings.js';
import { mermaidIds, mermaidText, renderMermaid } from './mermaid.js';
import { decodeMermaidText, readMermaid } from './readMermaid.js';
import { readDot } from './readRenderings.js';

async function expectFaithful(machine: AnyStateMachine): Promise<void> {
  const diagram = diagramOf(machine);
  expectDotFaithful(machine, await readDot(renderDot(diagram, 'a test', 'title')));
  expectMermaidFaithful(
    machine,
    readMermaid(renderMermaid(diagram, 'a test')),
    mermaidIds(diagram),
  );
}

const registered = ALL_MACHINES.flatMap(({ folder, machines }) =>
  machines.map(([name, machine]) => [`${folder}/${name}`, machine] as const),
);

describe.each(registered)('the diagrams of %s', (_name, machine) => {
  it('show every state and transition, in files both formats read as meant', async () => {
    await expectFaithful(machine);
  });
});

// XState reads a backslash in a target as an escape, so only text other than state keys has one.
const quirkyKey = 'say: "hi"; #1 {x} <b>&`%% direction LR [[fork]]';
const quirky = `${quirkyKey} back\\slash`;

const edgeCases = setup({
  guards: { ready: () => true, steady: () => true },
}).createMachine({
  id: 'edgeCases',
  description: `A machine of edge cases. ${quirky}`,
  initial: 'plain',
  on: { reset: { target: '.plain', description: 'From anywhere.' }, ping: { description: quirky } },
  states: {
    plain: {
      description: 'Atomic.',
      on: {
        [`go: ${quirky}`]: { target: `odd ${quirkyKey}`, guard: 'ready', description: quirky },
        nest: { target: 'outer', guard: not(and(['ready', or(['steady', 'ready'])])) },
        deep: { target: 'outer.inner.leaf', description: 'Into a nested state.' },
        split: { target: 'both', guard: ({ context }) => context === undefined },
        end: 'done',
      },
      after: { 1000: { target: 'done', description: 'Timed out.' } },
    },
    [`odd ${quirkyKey}`]: {
      description: quirky,
      always: [{ guard: stateIn('plain'), target: 'plain' }, { target: 'done' }],
    },
    outer: {
      description: 'Compound.',
      initial: 'inner',
      on: { leave: 'plain', wait: { description: 'Stays in the compound state.' } },
      states: {
        inner: {
          description: 'Compound inside compound.',
          initial: 'leaf',
          states: {
            leaf: { description: 'Leaf.', on: { up: '#edgeCases.outer' } },
            innerDone: { type: 'final', description: 'Final inside.' },
          },
        },
        direction: { description: 'A Mermaid keyword as a key.', on: { back: 'inner' } },
      },
    },
    both: {
      type: 'parallel',
      description: 'Parallel.',
      states: {
        left: { initial: 'a', states: { a: { on: { flip: 'b' } }, b: {} } },
        right: { initial: 'a', states: { a: {}, b: { type: 'final' } } },
      },
      on: { stop: 'done' },
    },
    done: { type: 'final', description: 'Final.' },
  },
});

describe('a machine of edge cases', () => {
  it('shows every state and transition, in files both formats read as meant', async () => {
    await expectFaithful(edgeCases);
  });

  it('names guards as the machine wrote them', () => {
    const labels = diagramOf(edgeCases).transitions.map((t) => t.label);
    expect(labels).toContain('nest [!(ready && (steady || ready))]');
    expect(labels).toContain('split [inline guard]');
    expect(labels).toContain('always [in(plain)]');
    expect(labels).toContain('always [else]');
    expect(labels).toContain('after 1000');
    expect(guardName({ type: 'withParams', params: { n: 1 } })).toBe('withParams');
  });

  it('is the same text each time it is rendered', () => {
    const render = (m: AnyStateMachine) =>
      renderMermaid(diagramOf(m), 's') + renderDot(diagramOf(m), 's', 't');
    expect(render(edgeCases)).toBe(render(edgeCases));
  });
});

describe('escaping', () => {
  it('writes text Mermaid reads back verbatim', () => {
    expect(decodeMermaidText(mermaidText(quirky, false), true)).toBe(quirky);
    expect(mermaidText('a: b; c')).toBe('a#58; b#59; c');
    expect(decodeMermaidText('a: b')).toBeInstanceOf(Error);
  });

  it('writes DOT strings Graphviz shows verbatim', async () => {
    const read = await readDot(`digraph { a [label=${dotString(quirky)}] }`);
    expect(read.problems).toEqual([]);
    expect(read.states.get('a')?.title).toBe(quirky);
  });

  it('gives unique Mermaid ids that are not keywords', () => {
    const keys = createMachine({
      initial: 'state',
      states: { state: {}, s_state: {}, 'a b': {}, a_b: {}, '1x': {} },
    });
    expect([...mermaidIds(diagramOf(keys)).values()]).toEqual([
      's_state',
      's_state_2',
      'a_b',
      'a_b_2',
      's_1x',
      'anyState',
    ]);
  });
});

describe('the Mermaid reader', () => {
  it('rejects what Mermaid would read otherwise than meant, or not at all', () => {
    const problems = (body: string) => readMermaid(`%% h\nstateDiagram-v2\n${body}`).problems;
    expect(problems('state "a" as a\nstate "b" as b\na --> b : e')).toEqual([]);
    expect(problems('state "a" as a\na --> b : e')).toEqual(['b is used but never declared']);
    expect(problems('state "a" as a\na : x: y')).toHaveLength(1);
    expect(problems('state "a" as a\nstate a {\n}\na : text')).toEqual([
      'composite a has description lines',
    ]);
    expect(problems('state "note" as note')).not.toEqual([]);
    expect(problems('a -> b')).toEqual(['cannot read: a -> b']);
  });
});
