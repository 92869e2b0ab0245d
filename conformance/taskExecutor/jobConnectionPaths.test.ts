// Paths generated from the TaskExecutor's job-connection machine with xstate's graph tools drive
// the real TaskExecutor through the simulator, one per transition; after every event the monitored
// machine must be where the path says, and the implementation where the monitor says.
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { AllocationID, ResourceID } from '../../protocol/ids.js';
import type { JobManagerConnectionEvent } from '../../machines/taskExecutor/events.js';
import { jobManagerConnectionMachine } from '../../machines/taskExecutor/jobManagerConnection.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import { JM, JM_ID, JM_RESOURCE_ID, JOB, TaskExecutorScenario } from './taskExecutorScenario.js';

const A = 'alloc-1' as AllocationID;
const ASK = 1; // the model's stand-in for the id of the ask in flight
const JM_B = 'jm-job-1-b';
const JM_B_ID = 'jm-leader-2';

function eventsFor(snapshot: AnyMachineSnapshot): JobManagerConnectionEvent[] {
  const context = snapshot.context as {
    leaderId: string | null;
    registrationOpen: boolean;
    registrationAskId: number | null;
    waitingToRetry: boolean;
  };
  const leaders: JobManagerConnectionEvent[] = [
    { type: 'notifyLeaderAddress', leaderSessionId: JM_ID },
    { type: 'notifyLeaderAddress', leaderSessionId: JM_B_ID },
    { type: 'notifyLeaderAddress', leaderSessionId: null },
  ];
  const registration: JobManagerConnectionEvent[] =
    !context.registrationOpen || context.leaderId === null
      ? []
      : context.waitingToRetry
        ? [{ type: 'registration.retry' }]
        : context.registrationAskId === null
          ? [{ type: 'out.registerTaskManager', askId: ASK, fencingToken: context.leaderId }]
          : [
              {
                type: 'registerTaskManager.succeeded',
                askId: ASK,
                jobMasterResourceId: context.leaderId === JM_ID ? JM_RESOURCE_ID : JM_B,
              },
              { type: 'registerTaskManager.rejected', askId: ASK },
              { type: 'registerTaskManager.declined', askId: ASK },
              { type: 'registerTaskManager.failed', askId: ASK },
              { type: 'registerTaskManager.timedOut', askId: ASK },
            ];
  switch (stateName(snapshot)) {
    case 'noJob':
      return [
        { type: 'out.startLeaderRetrieval' },
        { type: 'notifyLeaderAddress', leaderSessionId: null },
      ];
    case 'job':
      return [
        ...leaders,
        ...registration,
        { type: 'disconnectJobManager' },
        { type: 'out.stopLeaderRetrieval' },
      ];
    case 'connected':
      return [
        ...leaders,
        ...registration,
        { type: 'disconnectJobManager' },
        {
          type: 'heartbeat.timedOut',
          target: (snapshot.context as { jobMasterResourceId: string }).jobMasterResourceId,
        },
        { type: 'heartbeat.delivered' },
        { type: 'heartbeat.unreachable' },
        { type: 'out.stopLeaderRetrieval' },
      ];
    default:
      return [];
  }
}

const config = {
  slotTimeoutMs: 1_000_000_000, // the job's slot never times out in these paths
  heartbeat: { intervalMs: 10_000, timeoutMs: 50_000, rpcFailureThreshold: 2 },
};

/** The JobMaster endpoint a registration of the current attempt went to. */
function registrationTarget(s: TaskExecutorScenario): string {
  const rpc = s.te().jobs.find((j) => j.jobId === JOB)?.rpcConnection;
  if (rpc === null || rpc === undefined) throw new Error('no JM registration connection');
  return rpc.target.address;
}

function pendingRegistration(s: TaskExecutorScenario) {
  const jm = registrationTarget(s);
  const registration = s.last(jm, 'registerTaskManager');
  if (s.isAnswered(registration.ask)) throw new Error('no JM registration attempt is pending');
  return { jm, registration };
}

function connectedLeader(s: TaskExecutorScenario): string {
  const connection = s.te().jobs.find((j) => j.jobId === JOB)?.connection;
  if (connection === null || connection === undefined) throw new Error('the job is not connected');
  return connection.target.address;
}

function heartbeat(s: TaskExecutorScenario, answer: 'delivered' | 'unreachable'): void {
  const jm = connectedLeader(s);
  const resourceId = (jm === JM ? JM_RESOURCE_ID : JM_B) as ResourceID;
  s.instruct(jm, {
    kind: 'ask',
    to: 'te-1',
    msg: {
      type: 'heartbeatFromJobManager',
      resourceId,
      allocatedSlotReport: { jobId: JOB, allocatedSlotInfos: [] },
    },
    timeoutMs: 10_000,
  });
  s.reply(
    jm,
    s.last(jm, 'heartbeatFromTaskManager').ask,
    answer === 'delivered'
      ? { type: 'heartbeatFromTaskManager.acked' }
      : {
          type: 'heartbeatFromTaskManager.failed',
          exception: 'RecipientUnreachableException',
          reason: 'path',
        },
  );
}

function realise(s: TaskExecutorScenario, event: JobManagerConnectionEvent): void {
  switch (event.type) {
    case 'out.startLeaderRetrieval':
      s.requestSlot(0, A);
      return;
    case 'out.registerTaskManager':
    case 'out.offerSlots':
      return; // the TaskExecutor sends these by itself
    case 'out.stopLeaderRetrieval':
      s.freeSlotFromJobMaster(A);
      return;
    case 'notifyLeaderAddress':
      if (event.leaderSessionId === null) s.announceJobMaster(JOB, null, null);
      else
        s.announceJobMaster(
          JOB,
          event.leaderSessionId === JM_ID ? JM : JM_B,
          event.leaderSessionId,
        );
      return;
    case 'registerTaskManager.succeeded': {
      const { jm, registration } = pendingRegistration(s);
      s.reply(jm, registration.ask, {
        type: 'registerTaskManager.succeeded',
        jobMasterResourceId: (jm === JM ? JM_RESOURCE_ID : JM_B) as ResourceID,
      });
      return;
    }
    case 'registerTaskManager.rejected':
    case 'registerTaskManager.declined': {
      const { jm, registration } = pendingRegistration(s);
      s.reply(jm, registration.ask, { type: event.type, reason: 'path' });
      return;
    }
    case 'registerTaskManager.failed': {
      const { jm, registration } = pendingRegistration(s);
      s.reply(jm, registration.ask, {
        type: 'registerTaskManager.failed',
        exception: 'FencingTokenException',
        reason: 'path',
      });
      return;
    }
    case 'registerTaskManager.timedOut':
      s.advance(
        s.te().jobs.find((j) => j.jobId === JOB)?.rpcConnection?.registration.timeoutMs ?? 0,
      );
      return;
    case 'registration.retry':
      s.advance(30_000);
      return;
    case 'disconnectJobManager':
      s.instruct(JM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'path' },
      });
      return;
    case 'heartbeat.timedOut':
      s.advance(config.heartbeat.timeoutMs);
      return;
    case 'heartbeat.delivered':
    case 'heartbeat.unreachable':
      heartbeat(s, event.type === 'heartbeat.delivered' ? 'delivered' : 'unreachable');
      return;
  }
}

const paths = transitionPaths(
  jobManagerConnectionMachine,
  initialTransition(jobManagerConnectionMachine, { rpcFailureThreshold: 2 })[0],
  eventsFor,
);

describe('job-connection machine: a generated path per transition drives the TaskExecutor', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(40);
  });

  for (const path of paths) {
    it(path.description, () => {
      const s = new TaskExecutorScenario({ config, jobMasters: [JM, JM_B] });
      s.announceResourceManager();
      s.registerAtResourceManager();
      s.announceJobMaster();
      for (const step of path.steps) {
        realise(s, step.event);
        const job = s.monitor.machinesOf('te-1').job(JOB);
        // `released` lasts only within the step that releases the job: the same step ends in noJob.
        const expected = step.state === 'released' ? 'noJob' : step.state;
        expect(stateName(job.snapshot), `after ${step.event.type}`).toBe(expected);
      }
    });
  }
});
