// Paths generated from the JobMaster lifecycle machine (xstate's graph tools) drive the real
// JobMaster through the simulator, one per transition. HA grants and revokes it, a client
// finishes, cancels or rescales the job, and the job fails over by itself: with no ResourceManager
// its slot requests stay unfulfillable, so every round's bulk times out. After every event the
// monitored machine must be where the path says (and the implementation where the monitor says),
// and it must have taken the path's last transition.
import type { AnyMachineSnapshot } from 'xstate';
import type { JobMasterLifecycleEvent } from '../../machines/jobMaster/events.js';
import { jobMasterLifecycleMachine } from '../../machines/jobMaster/jobMasterLifecycle.machine.js';
import { stateName } from '../machineStepper.js';
import {
  advanceToTimer,
  announceJobLeader,
  describeTransitionPaths,
  JM,
  JM_ID,
  lifecycle,
  pathScenario,
  rescale,
  restartJob,
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

describeTransitionPaths(
  'JobMaster lifecycle machine: a generated path per transition drives the JobMaster',
  {
    machine: jobMasterLifecycleMachine,
    eventsFor,
    paths: 27,
    driver: (coverage) => {
      const s = pathScenario({ coverage, job: { parallelism: 2, slotRequestTimeoutMs: 5_000 } });
      return { s, state: () => lifecycle(s) };
    },
    realise: ({ s }, { event }) => {
      switch (event.type) {
        case 'grantLeadership':
          return announceJobLeader(s, event.leaderSessionId);
        case 'revokeLeadership':
          return announceJobLeader(s, null);
        case 'finishJob':
        case 'cancelJob':
          return s.jobClient({ kind: event.type });
        case 'changeParallelism':
          return rescale(s, event.parallelism);
        case 'out.restartTasksWithDelay':
          return advanceToTimer(s, JM, 'scheduler/bulkCheck'); // unfulfillable: the bulk times out
        case 'restartDelay.elapsed':
          return restartJob(s);
      }
    },
  },
);
