import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { TASK_EXECUTOR_EVENT_DOCS } from './eventDocs.js';
import { jobManagerConnectionMachine } from './jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine } from './resourceManagerConnection.machine.js';
import { taskSlotMachine } from './taskSlot.machine.js';

const machines: [string, AnyStateMachine][] = [
  ['rmConnection', resourceManagerConnectionMachine],
  ['jobConnection', jobManagerConnectionMachine],
  ['taskSlot', taskSlotMachine],
];

function nodes(machine: AnyStateMachine): AnyStateNode[] {
  const all: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    all.push(node);
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return all;
}

describe.each(machines)('the %s machine', (_name, machine) => {
  it('documents every state in one line', () => {
    for (const node of nodes(machine)) {
      expect(node.description, node.id).toMatch(/^[^\n]{10,}$/);
    }
  });

  it('documents every transition', () => {
    for (const node of nodes(machine)) {
      for (const [event, candidates] of node.transitions) {
        for (const t of candidates)
          expect(t.description, `${node.id} on ${event}`).toMatch(/\S{3,}/);
      }
    }
  });

  it('takes only events that have a doc', () => {
    for (const node of nodes(machine)) {
      for (const event of node.transitions.keys())
        expect(TASK_EXECUTOR_EVENT_DOCS, event).toHaveProperty([event]);
    }
  });
});
