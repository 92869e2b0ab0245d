// Machine coverage of the TaskExecutor's machines: every scenario and every generated path of this
// folder runs again here with the monitors reporting which states and transitions they saw taken.
// Together they must cover every state and transition; the table is printed.
import { afterAll, expect, it } from 'vitest';
import { jobManagerConnectionMachine } from '../../machines/taskExecutor/jobManagerConnection.machine.js';
import { resourceManagerConnectionMachine } from '../../machines/taskExecutor/resourceManagerConnection.machine.js';
import { taskSlotMachine } from '../../machines/taskExecutor/taskSlot.machine.js';
import { coverageReport, MachineCoverageTracker, uncovered } from '../coverage.js';
import { reportScenarioCoverageTo } from './taskExecutorScenario.js';
import './taskExecutorRm.test.js';
import './taskExecutorJm.test.js';
import './taskExecutorRaces.test.js';
import './taskSlotPaths.test.js';
import './rmConnectionPaths.test.js';
import './jobConnectionPaths.test.js';

const tracker = new MachineCoverageTracker([
  resourceManagerConnectionMachine,
  jobManagerConnectionMachine,
  taskSlotMachine,
]);
reportScenarioCoverageTo(tracker.sink);

afterAll(() => {
  const report = tracker.report();
  console.log(
    coverageReport('TaskExecutor machine coverage (scenarios and generated paths)', report),
  );
  expect(uncovered(report), 'states never reached and transitions never taken').toEqual([]);
});

it('collects coverage from the scenarios and paths imported above', () => {
  expect(tracker.report()).toHaveLength(3);
});
