// Machine coverage of the ResourceManager's machines over the RM scenarios, races and the generated
// slot paths: every state and transition must be covered; the table is printed.
import { afterAll, expect, it } from 'vitest';
import { jobMasterRegistrationMachine } from '../../machines/resourceManager/jobMasterRegistration.machine.js';
import { leadershipMachine } from '../../machines/resourceManager/leadership.machine.js';
import { slotManagerSlotMachine } from '../../machines/resourceManager/slotManagerSlot.machine.js';
import { taskExecutorRegistrationMachine } from '../../machines/resourceManager/taskExecutorRegistration.machine.js';
import { coverageReport, MachineCoverageTracker, uncovered } from '../coverage.js';
import { reportScenarioCoverageTo } from '../taskExecutor/taskExecutorScenario.js';
import './resourceManager.test.js';
import './slotManagerSlotPaths.test.js';
import './resourceManagerRaces.test.js';
import './activeResourceManager.test.js';

const tracker = new MachineCoverageTracker([
  leadershipMachine,
  taskExecutorRegistrationMachine,
  jobMasterRegistrationMachine,
  slotManagerSlotMachine,
]);
reportScenarioCoverageTo(tracker.sink);

afterAll(() => {
  const report = tracker.report();
  console.log(
    coverageReport(
      'ResourceManager machine coverage (scenarios, races and generated paths)',
      report,
    ),
  );
  expect(uncovered(report), 'states never reached and transitions never taken').toEqual([]);
});

it('collects coverage from the scenarios imported above', () => {
  expect(tracker.report()).toHaveLength(4);
});
