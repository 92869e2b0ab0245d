import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { jobMasterLifecycleMachine } from './jobMasterLifecycle.machine.js';
import { requirementDeclarationMachine } from './requirementDeclaration.machine.js';
import { resourceManagerConnectionMachine } from './resourceManagerConnection.machine.js';
import { slotPoolSlotMachine } from './slotPoolSlot.machine.js';
import { slotRequestMachine } from './slotRequest.machine.js';

const machines: [string, AnyStateMachine][] = [
  ['jobMasterLifecycle', jobMasterLifecycleMachine],
  ['resourceManagerConnection', resourceManagerConnectionMachine],
  ['slotPoolSlot', slotPoolSlotMachine],
  ['requirementDeclaration', requirementDeclarationMachine],
  ['slotRequest', slotRequestMachine],
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

describe.each(machines)('the JobMaster %s machine', (_name, machine) => {
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

  it('is flat, as the coverage report counts states by name', () => {
    for (const node of Object.values(machine.root.states))
      expect(Object.keys(node.states), node.id).toEqual([]);
  });
});
