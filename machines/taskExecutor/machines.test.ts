import { describeMachineDocs } from '../machineDocs.js';
import { TASK_EXECUTOR_EVENT_DOCS } from './eventDocs.js';
import { jobManagerConnectionMachine } from './jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine } from './resourceManagerConnection.machine.js';
import { taskSlotMachine } from './taskSlot.machine.js';

describeMachineDocs(
  'TaskExecutor',
  [
    ['rmConnection', resourceManagerConnectionMachine],
    ['jobConnection', jobManagerConnectionMachine],
    ['taskSlot', taskSlotMachine],
  ],
  { eventDocs: TASK_EXECUTOR_EVENT_DOCS },
);
