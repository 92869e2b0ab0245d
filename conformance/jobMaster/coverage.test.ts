// Machine coverage of the JobMaster's machines: every story and every generated path of this folder
// runs again here with the monitors reporting which states and transitions they saw taken.
// Together they must cover every state and transition; the table is printed.
import { afterAll, expect } from 'vitest';
import { jobMasterLifecycleMachine } from '../../machines/jobMaster/jobMasterLifecycle.machine.js';
import { requirementDeclarationMachine } from '../../machines/jobMaster/requirementDeclaration.machine.js';
import { resourceManagerConnectionMachine } from '../../machines/jobMaster/resourceManagerConnection.machine.js';
import { slotPoolSlotMachine } from '../../machines/jobMaster/slotPoolSlot.machine.js';
import { slotRequestMachine } from '../../machines/jobMaster/slotRequest.machine.js';
import { coverageReport, MachineCoverageTracker, uncovered } from '../coverage.js';
import { reportJobMasterCoverageTo } from './jobMasterCluster.js';
import './jobMasterLifecycle.test.js';
import './jobMasterResourceManager.test.js';
import './jobMasterSlotPool.test.js';
import './lifecyclePaths.test.js';
import './requirementDeclarationPaths.test.js';
import './rmConnectionPaths.test.js';
import './slotPoolSlotPaths.test.js';
import './slotRequestPaths.test.js';

const tracker = new MachineCoverageTracker([
  jobMasterLifecycleMachine,
  resourceManagerConnectionMachine,
  slotPoolSlotMachine,
  slotRequestMachine,
  requirementDeclarationMachine,
]);
reportJobMasterCoverageTo(tracker.sink);

afterAll(() => {
  const report = tracker.report();
  console.log(
    coverageReport(
      'JobMaster machine coverage (whole-cluster stories and generated paths)',
      report,
    ),
  );
  expect(uncovered(report), 'states never reached and transitions never taken').toEqual([]);
});
