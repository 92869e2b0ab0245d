import { describeMachineDocs } from '../machineDocs.js';
import { jobMasterRegistrationMachine } from './jobMasterRegistration.machine.js';
import { leadershipMachine } from './leadership.machine.js';
import { slotManagerSlotMachine } from './slotManagerSlot.machine.js';
import { taskExecutorRegistrationMachine } from './taskExecutorRegistration.machine.js';

describeMachineDocs('ResourceManager', [
  ['leadership', leadershipMachine],
  ['taskExecutorRegistration', taskExecutorRegistrationMachine],
  ['jobMasterRegistration', jobMasterRegistrationMachine],
  ['slotManagerSlot', slotManagerSlotMachine],
]);
