/**
 * Test support shared by the machine folders: every machine documents each of its states in one
 * line and each transition, takes only events that have a doc (where the folder keeps event
 * docs), and, where the coverage report needs it, is flat.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** Every state node of the machine, the root first. */
export function stateNodes(machine: AnyStateMachine): AnyStateNode[] {
  const all: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    all.push(node);
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return all;
}

export interface MachineDocRules {
  /** Docs of the events the folder's machines take, by event type. */
  readonly eventDocs?: Readonly<Record<string, string>>;
  /** The machines must have no nested states. */
  readonly flat?: boolean;
}

export function describeMachineDocs(
  folder: string,
  machines: readonly [string, AnyStateMachine][],
  rules: MachineDocRules = {},
): void {
  describe.each(machines)(`the ${folder} %s machine`, (_name, machine) => {
    it('documents every state in one line', () => {
      for (const node of stateNodes(machine))
        expect(node.description, node.id).toMatch(/^[^\n]{10,}$/);
    });

    it('documents every transition', () => {
      for (const node of stateNodes(machine))
        for (const [event, candidates] of node.transitions)
          for (const t of candidates)
            expect(t.description, `${node.id} on ${event}`).toMatch(/\S{3,}/);
    });

    const { eventDocs, flat } = rules;
    if (eventDocs !== undefined)
      it('takes only events that have a doc', () => {
        for (const node of stateNodes(machine))
          for (const event of node.transitions.keys())
            expect(eventDocs, event).toHaveProperty([event]);
      });

    if (flat === true)
      it('is flat, as the coverage report counts states by name', () => {
        for (const node of Object.values(machine.root.states))
          expect(Object.keys(node.states), node.id).toEqual([]);
      });
  });
}
