import { describeMachineDocs } from '../machineDocs.js';
import { jobMasterLifecycleMachine } from './jobMasterLifecycle.machine.js';
import { requirementDeclarationMachine } from './requirementDeclaration.machine.js';
import { resourceManagerConnectionMachine } from './resourceManagerConnection.machine.js';
import { slotPoolSlotMachine } from './slotPoolSlot.machine.js';
import { slotRequestMachine } from './slotRequest.machine.js';

describeMachineDocs(
  'JobMaster',
  [
    ['jobMasterLifecycle', jobMasterLifecycleMachine],
    ['resourceManagerConnection', resourceManagerConnectionMachine],
    ['slotPoolSlot', slotPoolSlotMachine],
    ['requirementDeclaration', requirementDeclarationMachine],
    ['slotRequest', slotRequestMachine],
  ],
  { flat: true },
);
