// Paths generated from the TaskSlot machine with xstate's graph tools drive the real TaskExecutor
// through the simulator: one path per transition the traversal reaches. After every event the
// monitored slot machine must be where the path says, and the implementation's slot where the
// monitor says (the monitor checks that on every step).
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { AllocationID, ExecutionAttemptID, JobMasterId } from '../../protocol/ids.js';
import { taskSlotMachine } from '../../machines/taskExecutor/taskSlot.machine.js';
import type { TaskSlotEvent } from '../../machines/taskExecutor/events.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import {
  JM,
  JM_ID,
  JM_RESOURCE_ID,
  JOB,
  RM,
  RM_ID,
  TaskExecutorScenario,
} from './taskExecutorScenario.js';

const A = 'alloc-1' as AllocationID;
const ATTEMPT = 'attempt-1';
const request = (ok: boolean): TaskSlotEvent => ({
  type: 'requestSlot',
  allocationId: A,
  jobId: JOB,
  resourceManagerId: ok ? RM_ID : 'rm-leader-0',
  rmLeaderId: RM_ID,
});

/** The events the traversal tries, per model state: only those the adapters below can realise. */
function eventsFor(snapshot: AnyMachineSnapshot): TaskSlotEvent[] {
  const tasks = (snapshot.context as { tasks: string[] }).tasks;
  const always: TaskSlotEvent[] = [request(true), request(false)];
  const occupied: TaskSlotEvent[] = [
    { type: 'freeSlot', allocationId: A },
    { type: 'freeInactiveSlots', jobId: JOB },
    {
      type: 'submitTask',
      allocationId: A,
      jobId: JOB,
      attempt: ATTEMPT,
      fromConnectedLeader: true,
    },
    {
      type: 'submitTask',
      allocationId: A,
      jobId: JOB,
      attempt: ATTEMPT,
      fromConnectedLeader: false,
    },
    { type: 'heartbeatFromJobManager', reported: true },
    { type: 'heartbeatFromJobManager', reported: false },
    { type: 'jobDisconnected' },
    { type: 'jobReleased' },
    ...(tasks.length > 0 ? [{ type: 'taskTerminated', attempt: ATTEMPT } as const] : []),
  ];
  switch (stateName(snapshot)) {
    case 'free':
      return always;
    case 'allocated':
      return [
        ...always,
        ...occupied,
        { type: 'slotTimeout', allocationId: A },
        { type: 'offerSlots.accepted', accepted: true },
        { type: 'offerSlots.accepted', accepted: false },
        { type: 'offerSlots.failed' },
      ];
    default:
      return [...always, ...occupied];
  }
}

const config = {
  slotTimeoutMs: 10_000,
  rpcTimeoutMs: 1_000_000, // offers never time out in these paths
  taskTerminationMs: 1_000_000_000, // failed tasks end only when a path says so
  heartbeat: { intervalMs: 10_000, timeoutMs: 1_000_000_000, rpcFailureThreshold: 2 },
};

/** A TE registered at the RM, the job's JM leader announced, slot 0 watched. */
function setUp(): TaskExecutorScenario {
  const s = new TaskExecutorScenario({ config });
  s.announceResourceManager();
  s.registerAtResourceManager();
  s.announceJobMaster();
  return s;
}

function job(s: TaskExecutorScenario) {
  return s.te().jobs.find((j) => j.jobId === JOB);
}

/** Makes the job connected, answering the pending JM registration. */
function connectJob(s: TaskExecutorScenario): void {
  const entry = job(s);
  if (entry === undefined || entry.connection !== null) return;
  const registration = s.last(JM, 'registerTaskManager');
  if (s.isAnswered(registration.ask)) throw new Error('no JM registration is pending');
  s.registerAtJobMaster();
}

/** The offer the JM has not answered yet, making one if needed (slot 0 must be ALLOCATED). */
function pendingOffer(s: TaskExecutorScenario) {
  connectJob(s);
  let offer = s.inbox(JM, 'offerSlots').at(-1);
  if (offer === undefined || s.isAnswered(offer.ask)) {
    s.requestSlot(0, A); // an idempotent request makes a connected TE offer its ALLOCATED slots
    offer = s.last(JM, 'offerSlots');
  }
  return offer;
}

function heartbeat(s: TaskExecutorScenario, reported: boolean): void {
  connectJob(s);
  s.instruct(JM, {
    kind: 'ask',
    to: 'te-1',
    msg: {
      type: 'heartbeatFromJobManager',
      resourceId: JM_RESOURCE_ID,
      allocatedSlotReport: {
        jobId: JOB,
        allocatedSlotInfos: reported ? [{ slotIndex: 0, allocationId: A }] : [],
      },
    },
    timeoutMs: 10_000,
  });
}

/** How each machine event is made to happen to the real TaskExecutor. */
function realise(s: TaskExecutorScenario, event: TaskSlotEvent): void {
  switch (event.type) {
    case 'requestSlot':
      s.requestSlot(0, A, { rmId: event.resourceManagerId as typeof RM_ID });
      if (event.resourceManagerId === RM_ID && job(s)?.connection === null) connectJob(s);
      return;
    case 'freeSlot':
      s.freeSlotFromJobMaster(A);
      return;
    case 'freeInactiveSlots':
      s.instruct(RM, { kind: 'tell', to: 'te-1', msg: { type: 'freeInactiveSlots', jobId: JOB } });
      return;
    case 'slotTimeout':
      s.advance(config.slotTimeoutMs);
      return;
    case 'offerSlots.accepted': {
      const offer = pendingOffer(s);
      const offers = offer.msg.type === 'offerSlots' ? offer.msg.offers : [];
      s.reply(JM, offer.ask, { type: 'offerSlots.accepted', offers: event.accepted ? offers : [] });
      return;
    }
    case 'offerSlots.failed':
      s.reply(JM, pendingOffer(s).ask, {
        type: 'offerSlots.failed',
        exception: 'UnknownTaskManager',
        reason: 'path',
      });
      return;
    case 'submitTask':
      connectJob(s);
      s.instruct(JM, {
        kind: 'ask',
        to: 'te-1',
        msg: {
          type: 'submitTask',
          tdd: {
            jobId: JOB,
            allocationId: A,
            executionAttemptId: event.attempt as ExecutionAttemptID,
          },
          jobMasterId: event.fromConnectedLeader ? JM_ID : ('jm-leader-0' as JobMasterId),
        },
        timeoutMs: 10_000,
      });
      return;
    case 'heartbeatFromJobManager':
      heartbeat(s, event.reported);
      return;
    case 'jobDisconnected':
      connectJob(s);
      s.instruct(JM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'path' },
      });
      return;
    case 'jobReleased': {
      if (job(s)?.connection !== null) {
        s.instruct(JM, {
          kind: 'tell',
          to: 'te-1',
          msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'path' },
        });
      }
      s.reply(JM, s.last(JM, 'registerTaskManager').ask, {
        type: 'registerTaskManager.rejected',
        reason: 'path',
      });
      return;
    }
    case 'taskTerminated':
      s.instruct('te-1', { kind: 'taskFinished', attempt: event.attempt });
      return;
  }
}

const paths = transitionPaths(
  taskSlotMachine,
  initialTransition(taskSlotMachine, { index: 0 })[0],
  eventsFor,
);

describe('TaskSlot machine: a generated path per transition drives the TaskExecutor', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(50);
  });

  for (const path of paths) {
    it(path.description, () => {
      const s = setUp();
      const slot = () => s.monitor.machinesOf('te-1').slots[0]!;
      for (const step of path.steps) {
        realise(s, step.event);
        expect(stateName(slot().snapshot), `after ${step.event.type}`).toBe(step.state);
      }
    });
  }
});
