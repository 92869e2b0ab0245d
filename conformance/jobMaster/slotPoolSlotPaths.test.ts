// Paths generated from the slot pool's slot machine (xstate's graph tools) drive the real JobMaster
// through the simulator, one per transition. The test plays the TaskExecutor `te-s`, which offers
// the one slot A, fails it, and acks every deployment, and a client rescales the job to put the
// scheduler where the event needs it: RESTARTING takes every offer and gives reserved slots back,
// a restart reserves free slots, parallelism 0 wants nothing (offers are rejected). After every
// event the monitored machine of A must be where the path says (the monitor checks the pool).
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { AllocationID, ResourceID, TaskManagerSessionId } from '../../protocol/ids.js';
import type { SlotPoolSlotEvent } from '../../machines/jobMaster/events.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import { slotPoolSlotMachine } from '../../machines/jobMaster/slotPoolSlot.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import { JM_ID, TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import {
  advanceToTimer,
  announceJobLeader,
  JM,
  JOB,
  lifecycle,
  monitorOf,
} from './jobMasterCluster.js';

const TE = 'te-s';
const TE_ID = TE as ResourceID;
const A = 'alloc-A' as AllocationID;
const NEVER = 1_000_000_000;

function eventsFor(snapshot: AnyMachineSnapshot): SlotPoolSlotEvent[] {
  switch (stateName(snapshot)) {
    case 'free':
      return [
        { type: 'out.offerSlots.accepted' },
        { type: 'reserveFreeSlot' },
        { type: 'out.freeSlot' },
      ];
    case 'reserved':
      return [
        { type: 'out.offerSlots.accepted' },
        { type: 'freeReservedSlot' },
        { type: 'out.freeSlot' },
      ];
    default:
      return [{ type: 'out.offerSlots.accepted' }, { type: 'out.offerSlots.rejected' }];
  }
}

/** The real JobMaster of job-1 (parallelism 1, leading, no RM) and the scripted TaskExecutor. */
class Driver {
  readonly s = new TaskExecutorScenario({
    taskExecutors: 0,
    jobMasters: [TE],
    jobs: [
      {
        jobId: JOB,
        config: {
          parallelism: 1,
          // Nothing times out by itself: the test decides every step.
          heartbeat: { intervalMs: 10_000, timeoutMs: NEVER, rpcFailureThreshold: 2 },
          idleSlotTimeoutMs: NEVER,
          slotRequestTimeoutMs: NEVER,
        },
      },
    ],
  });
  private readonly answered = new Set<number>();

  constructor() {
    announceJobLeader(this.s, JM_ID);
  }

  state(): string {
    const slot = monitorOf(this.s).leadership?.slots.get(A);
    return slot === undefined ? 'notInPool' : stateName(slot.snapshot);
  }

  private ask(msg: ClusterMessage): void {
    this.s.instruct(TE, { kind: 'ask', to: JM, msg, timeoutMs: 10_000 });
    this.ackDeployments();
  }

  /** Every task deployed to the TaskExecutor runs. */
  private ackDeployments(): void {
    for (const r of this.s.inbox(TE, 'submitTask')) {
      if (r.ask === null || this.answered.has(r.ask.askId)) continue;
      this.answered.add(r.ask.askId);
      this.s.reply(TE, r.ask, { type: 'submitTask.acked' });
    }
  }

  private register(): void {
    if (this.s.jmLeader().registeredTaskManagers.some((r) => r.resourceId === TE)) return;
    this.ask({
      type: 'registerTaskManager',
      fencingToken: JM_ID,
      jobId: JOB,
      taskManagerRegistrationInformation: {
        taskManagerAddress: TE,
        resourceId: TE_ID,
        sessionId: 'session-1' as TaskManagerSessionId,
      },
    });
  }

  offer(): void {
    this.register();
    this.ask({
      type: 'offerSlots',
      fencingToken: JM_ID,
      resourceId: TE_ID,
      offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
    });
  }

  failSlot(): void {
    this.s.instruct(TE, {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'failSlot',
        fencingToken: JM_ID,
        resourceId: TE,
        allocationId: A,
        cause: 'path',
      },
    } as never);
    this.ackDeployments();
  }

  rescale(parallelism: number): void {
    this.s.jobClient({ kind: 'changeParallelism', parallelism });
  }

  restart(): void {
    advanceToTimer(this.s, JM, 'scheduler/restart');
    this.ackDeployments();
  }

  /** RESTARTING (with parallelism 1 for the restart): every offer is taken. */
  restarting(): void {
    this.rescale(1);
  }

  /** RUNNING with parallelism 0: no slot is wanted, so offers are rejected. */
  wantingNothing(): void {
    if (lifecycle(this.s) === 'running' && this.s.jmLeader().scheduler.parallelism === 0) return;
    this.rescale(0);
    this.restart();
  }
}

function realise(d: Driver, event: SlotPoolSlotEvent): void {
  switch (event.type) {
    case 'out.offerSlots.accepted':
      // A slot the pool holds is taken again in any job status; a new one while RESTARTING.
      if (d.state() === 'notInPool' || d.state() === 'released') d.restarting();
      return d.offer();
    case 'out.offerSlots.rejected':
      d.wantingNothing();
      return d.offer();
    case 'reserveFreeSlot':
      d.restarting(); // then the restart's round takes the free slot
      return d.restart();
    case 'freeReservedSlot':
      return d.restarting(); // the reserved slot's task is cancelled: the slot is given back
    case 'out.freeSlot':
      return d.failSlot();
    case 'out.submitTask':
      return; // follows a reservation by itself
  }
}

const paths = transitionPaths(
  slotPoolSlotMachine,
  initialTransition(slotPoolSlotMachine)[0],
  eventsFor,
);

describe('slot pool slot machine: a generated path per transition drives the JobMaster', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBe(10);
  });

  for (const path of paths) {
    it(path.description, () => {
      const d = new Driver();
      for (const step of path.steps) {
        realise(d, step.event);
        expect(d.state(), `after ${step.event.type}`).toBe(step.state);
      }
    });
  }
});
