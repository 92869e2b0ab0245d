/**
 * Every machine of the model in one list, by component, in the order of machines/README.md. Tools
 * that must see the whole model (the diagrams of `npm run diagrams`) read it here rather than each
 * keeping its own list; a test (scripts/machineDiagrams.test.ts) fails when a `*.machine.ts` file
 * exports a machine this list lacks.
 */
import type { AnyStateMachine } from 'xstate';
import { jobMasterLifecycleMachine } from './jobMaster/jobMasterLifecycle.machine.js';
import { requirementDeclarationMachine } from './jobMaster/requirementDeclaration.machine.js';
import { resourceManagerConnectionMachine as jmRmConnection } from './jobMaster/resourceManagerConnection.machine.js';
import { slotPoolSlotMachine } from './jobMaster/slotPoolSlot.machine.js';
import { slotRequestMachine } from './jobMaster/slotRequest.machine.js';
import { jobMasterRegistrationMachine } from './resourceManager/jobMasterRegistration.machine.js';
import { leadershipMachine } from './resourceManager/leadership.machine.js';
import { slotManagerSlotMachine } from './resourceManager/slotManagerSlot.machine.js';
import { taskExecutorRegistrationMachine } from './resourceManager/taskExecutorRegistration.machine.js';
import { jobManagerConnectionMachine } from './taskExecutor/jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine as teRmConnection } from './taskExecutor/resourceManagerConnection.machine.js';
import { taskSlotMachine } from './taskExecutor/taskSlot.machine.js';

export interface ComponentMachines {
  /** The component, as Flink names it. */
  readonly component: string;
  /** Its folder under machines/. */
  readonly folder: string;
  /** Its machines by module name: `<folder>/<name>.machine.ts` exports the machine. */
  readonly machines: readonly (readonly [name: string, machine: AnyStateMachine])[];
}

export const ALL_MACHINES: readonly ComponentMachines[] = [
  {
    component: 'TaskExecutor',
    folder: 'taskExecutor',
    machines: [
      ['resourceManagerConnection', teRmConnection],
      ['jobManagerConnection', jobManagerConnectionMachine],
      ['taskSlot', taskSlotMachine],
    ],
  },
  {
    component: 'ResourceManager',
    folder: 'resourceManager',
    machines: [
      ['leadership', leadershipMachine],
      ['taskExecutorRegistration', taskExecutorRegistrationMachine],
      ['jobMasterRegistration', jobMasterRegistrationMachine],
      ['slotManagerSlot', slotManagerSlotMachine],
    ],
  },
  {
    component: 'JobMaster',
    folder: 'jobMaster',
    machines: [
      ['jobMasterLifecycle', jobMasterLifecycleMachine],
      ['resourceManagerConnection', jmRmConnection],
      ['requirementDeclaration', requirementDeclarationMachine],
      ['slotPoolSlot', slotPoolSlotMachine],
      ['slotRequest', slotRequestMachine],
    ],
  },
];
