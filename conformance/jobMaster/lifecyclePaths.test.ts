// Paths generated from the JobMaster lifecycle machine (xstate's graph tools) drive the real
// JobMaster through the simulator, one per transition. HA grants and revokes it, a client
// finishes, cancels or rescales the job, and the job fails over by itself: with no ResourceManager
// its slot requests stay unfulfillable, so every round's bulk times out. After every event the
// monitored machine must be where the path says (and the implementation where the monitor says).
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { JobMasterLifecycleEvent } from '../../machines/jobMaster/events.js';
import { jobMasterLifecycleMachine } from '../../machines/jobMaster/jobMasterLifecycle.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import {
  advanceToTimer,
  announceJobLeader,
  JM,
  JM_ID,
  JOB,
  lifecycle,
} from './jobMasterCluster.js';

const client: JobMasterLifecycleEvent[] = [
  { type: 'finishJob' },
  { type: 'cancelJob' },
  { type: 'changeParallelism', parallelism: 2 },
];
const ha: JobMasterLifecycleEvent[] = [
  { type: 'grantLeadership', leaderSessionId: JM_ID },
  { type: 'revokeLeadership' },
];

/** The events the traversal tries per state: those the adapters below can make happen. */
function eventsFor(snapshot: AnyMachineSnapshot): JobMasterLifecycleEvent[] {
  switch (stateName(snapshot)) {
    case 'running':
      return [...ha, ...client, { type: 'out.restartTasksWithDelay' }];
    case 'restarting':
      return [...ha, ...client, { type: 'restartDelay.elapsed' }];
    default:
      return [...ha, ...client];
  }
}

function realise(s: TaskExecutorScenario, event: JobMasterLifecycleEvent): void {
  switch (event.type) {
    case 'grantLeadership':
      return announceJobLeader(s, event.leaderSessionId);
    case 'revokeLeadership':
      return announceJobLeader(s, null);
    case 'finishJob':
    case 'cancelJob':
      return s.jobClient({ kind: event.type });
    case 'changeParallelism':
      return s.jobClient({ kind: 'changeParallelism', parallelism: event.parallelism });
    case 'out.restartTasksWithDelay':
      return advanceToTimer(s, JM, 'scheduler/bulkCheck'); // unfulfillable: the bulk times out
    case 'restartDelay.elapsed':
      return advanceToTimer(s, JM, 'scheduler/restart');
  }
}

const paths = transitionPaths(
  jobMasterLifecycleMachine,
  initialTransition(jobMasterLifecycleMachine)[0],
  eventsFor,
);

describe('JobMaster lifecycle machine: a generated path per transition drives the JobMaster', () => {
  it('the traversal finds a path for each transition', () => {
    expect(paths.length).toBeGreaterThanOrEqual(18);
  });

  for (const path of paths) {
    it(path.description, () => {
      const s = new TaskExecutorScenario({
        taskExecutors: 0,
        jobs: [{ jobId: JOB, config: { slotRequestTimeoutMs: 5_000 } }],
      });
      for (const step of path.steps) {
        realise(s, step.event);
        expect(lifecycle(s), `after ${step.event.type}`).toBe(step.state);
      }
    });
  }
});
