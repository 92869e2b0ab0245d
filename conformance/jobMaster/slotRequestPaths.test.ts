// Paths generated from the slot request machine (xstate's graph tools) drive the real JobMaster
// through the simulator, one per transition. The test plays the TaskExecutor `te-s`, which offers
// the one slot A, fails it, and acks every deployment, and the ResourceManager `rm`, which tells
// the JobMaster that there are not enough resources; a client rescales the job (its round is
// cancelled, and the restart's round takes a free slot first) and HA revokes the JobMaster. The
// path follows one request of the scheduler's (parallelism 1: `r<round>/0`). After every event the
// monitored machine of that request must be where the path says (the monitor checks the Bridge),
// except in payloadReleased, which never outlasts its step: the scheduler fails the task over, or
// the JobMaster stops, in the same step, and the path's next event checks where that leads.
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { AllocationID, ResourceID, TaskManagerSessionId } from '../../protocol/ids.js';
import type { SlotRequestEvent } from '../../machines/jobMaster/events.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import { slotRequestMachine } from '../../machines/jobMaster/slotRequest.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import { JM_ID, RM, TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import { advanceToTimer, announceJobLeader, JM, JOB, monitorOf } from './jobMasterCluster.js';

const TE = 'te-s';
const TE_ID = TE as ResourceID;
const A = 'alloc-A' as AllocationID;
const NEVER = 1_000_000_000;

/** States the implementation never ends a step in. */
const TRANSIENT = new Set(['payloadReleased']);

function eventsFor(snapshot: AnyMachineSnapshot): SlotRequestEvent[] {
  switch (stateName(snapshot)) {
    case 'notRequested':
      return [
        { type: 'requestNewAllocatedSlot' },
        { type: 'allocateAvailableSlot', allocationId: A },
      ];
    case 'pending':
      return [
        { type: 'newSlotsAreAvailable', allocationId: A },
        { type: 'releaseSlot' },
        { type: 'notifyNotEnoughResourcesAvailable' },
        { type: 'close' },
      ];
    case 'fulfilled':
      return [{ type: 'releaseSlot' }, { type: 'out.freeSlot', allocationId: A }];
    case 'payloadReleased':
      return [{ type: 'releaseSlot' }, { type: 'close' }];
    default:
      return [];
  }
}

/** The real JobMaster of job-1 (parallelism 1, no RM connection) and the scripted TaskExecutor. */
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
  /** The request the path follows; null until the scheduler is about to issue it. */
  private tracked: string | null = null;

  state(): string {
    if (this.tracked === null) return 'notRequested';
    const m = monitorOf(this.s).leadership?.requests.get(this.tracked);
    return m === undefined ? 'notRequested' : stateName(m.snapshot);
  }

  /** The request of the scheduler's next round. */
  private trackNextRound(): void {
    const leader = this.s.jm().leader;
    this.tracked = `r${(leader?.scheduler.round ?? 0) + 1}/0`;
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

  /** HA grants the JobMaster: its first round asks for a slot; the pool holds none. */
  lead(): void {
    this.trackNextRound();
    announceJobLeader(this.s, JM_ID);
  }

  revoke(): void {
    announceJobLeader(this.s, null);
  }

  /** The TaskExecutor registers and offers A, which the pool accepts. */
  offer(): void {
    if (!this.s.jmLeader().registeredTaskManagers.some((r) => r.resourceId === TE))
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

  notEnoughResources(): void {
    this.s.instruct(RM, {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'notifyNotEnoughResourcesAvailable',
        fencingToken: JM_ID,
        acquiredResources: [],
      },
    } as never);
  }

  /** A client rescales the running job: its round is cancelled, and the job restarts. */
  rescale(): void {
    this.s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
  }

  /** A free slot A in the pool of a restarting job; the path follows the restart's request. */
  freeSlotWaiting(): void {
    this.lead();
    this.offer();
    this.rescale();
    this.trackNextRound();
  }

  restart(): void {
    advanceToTimer(this.s, JM, 'scheduler/restart');
    this.ackDeployments();
  }
}

function realise(
  d: Driver,
  event: SlotRequestEvent,
  before: string,
  next: SlotRequestEvent | undefined,
): void {
  switch (event.type) {
    case 'requestNewAllocatedSlot':
      return d.lead();
    case 'allocateAvailableSlot':
      d.freeSlotWaiting();
      return d.restart(); // the restart's round takes the free slot
    case 'newSlotsAreAvailable':
      return d.offer();
    case 'releaseSlot':
      // A pending or fulfilled request: the rescale cancels the round. Once its slot left the pool,
      // the scheduler released it in that step already.
      return before === 'payloadReleased' ? undefined : d.rescale();
    case 'notifyNotEnoughResourcesAvailable':
      return d.notEnoughResources();
    case 'close':
      // Once its slot left the pool, the JobMaster stopped in that step already.
      return before === 'payloadReleased' ? undefined : d.revoke();
    case 'out.freeSlot':
      // Its slot leaves under it: the TaskExecutor fails the slot (the scheduler fails over), or
      // the JobMaster stops (the pool then closes).
      return next?.type === 'close' ? d.revoke() : d.failSlot();
  }
}

const paths = transitionPaths(
  slotRequestMachine,
  initialTransition(slotRequestMachine)[0],
  eventsFor,
);

describe('slot request machine: a generated path per transition drives the JobMaster', () => {
  it('the traversal finds a path for each transition', () => {
    expect(paths.length).toBe(10);
  });

  for (const path of paths) {
    it(path.description, () => {
      const d = new Driver();
      path.steps.forEach((step, i) => {
        realise(
          d,
          step.event,
          path.steps[i - 1]?.state ?? 'notRequested',
          path.steps[i + 1]?.event,
        );
        if (!TRANSIENT.has(step.state))
          expect(d.state(), `after ${step.event.type}`).toBe(step.state);
      });
    });
  }
});
