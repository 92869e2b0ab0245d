// Paths generated from the slot request machine (xstate's graph tools) drive the real JobMaster
// through the simulator, one per transition. The test plays the TaskExecutor `te-s`, which offers
// the one slot A, fails it, and acks every deployment, and the ResourceManager `rm`, which tells
// the JobMaster that there are not enough resources; a client rescales the job (its round is
// cancelled, and the restart's round takes a free slot first) and HA revokes the JobMaster. The
// path follows one request of the scheduler's (parallelism 1: `r<round>/0`). After every event the
// monitored machine of that request must be where the path says (the monitor checks the Bridge),
// and it must have taken the path's last transition. payloadReleased never outlasts its step: the
// scheduler fails the task over, or the JobMaster stops, in the same step, so the request ends that
// step released.
import type { AnyMachineSnapshot } from 'xstate';
import type { SlotRequestEvent } from '../../machines/jobMaster/events.js';
import { slotRequestMachine } from '../../machines/jobMaster/slotRequest.machine.js';
import type { CoverageSink } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import type { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import {
  announceJobLeader,
  describeTransitionPaths,
  IN_STEP_BEFORE,
  JM,
  JM_ID,
  monitorOf,
  pathScenario,
  rescale,
  restartJob,
  RM,
  SCRIPTED_TE,
  ScriptedTaskExecutor,
  SLOT_A,
} from './jobMasterCluster.js';

function eventsFor(snapshot: AnyMachineSnapshot): SlotRequestEvent[] {
  switch (stateName(snapshot)) {
    case 'notRequested':
      return [
        { type: 'requestNewAllocatedSlot' },
        { type: 'allocateAvailableSlot', allocationId: SLOT_A },
      ];
    case 'pending':
      return [
        { type: 'newSlotsAreAvailable', allocationId: SLOT_A },
        { type: 'releaseSlot' },
        { type: 'notifyNotEnoughResourcesAvailable' },
        { type: 'close' },
      ];
    case 'fulfilled':
      return [{ type: 'releaseSlot' }, { type: 'out.freeSlot', allocationId: SLOT_A }];
    case 'payloadReleased':
      return [{ type: 'releaseSlot' }, { type: 'close' }];
    default:
      return [];
  }
}

/** The real JobMaster of job-1 (parallelism 1, no RM connection) and the scripted TaskExecutor. */
class Driver {
  readonly s: TaskExecutorScenario;
  readonly te: ScriptedTaskExecutor;
  /** The request the path follows; null until the scheduler is about to issue it. */
  private tracked: string | null = null;

  constructor(coverage: CoverageSink) {
    this.s = pathScenario({ coverage, scripted: [SCRIPTED_TE] });
    this.te = new ScriptedTaskExecutor(this.s);
  }

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

  /** HA grants the JobMaster: its first round asks for a slot; the pool holds none. */
  lead(): void {
    this.trackNextRound();
    announceJobLeader(this.s, JM_ID);
  }

  revoke(): void {
    announceJobLeader(this.s, null);
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
    });
  }

  /** A client rescales the running job: its round is cancelled, and the job restarts. */
  cancelRound(): void {
    rescale(this.s, 1);
  }

  /** A free slot A in the pool of a restarting job; the path follows the restart's request. */
  freeSlotWaiting(): void {
    this.lead();
    this.te.offer();
    this.cancelRound();
    this.trackNextRound();
  }
}

describeTransitionPaths(
  'slot request machine: a generated path per transition drives the JobMaster',
  {
    machine: slotRequestMachine,
    eventsFor,
    paths: 10,
    driver: (coverage) => new Driver(coverage),
    settlesIn: { payloadReleased: 'released' },
    realise: (d, { event, before, next }) => {
      switch (event.type) {
        case 'requestNewAllocatedSlot':
          return d.lead();
        case 'allocateAvailableSlot':
          d.freeSlotWaiting();
          return restartJob(d.s, d.te); // the restart's round takes the free slot
        case 'newSlotsAreAvailable':
          return d.te.offer();
        case 'releaseSlot':
          // A pending or fulfilled request: the rescale cancels the round. Once its slot left the
          // pool, the scheduler released it in that step already.
          return before === 'payloadReleased' ? IN_STEP_BEFORE : d.cancelRound();
        case 'notifyNotEnoughResourcesAvailable':
          return d.notEnoughResources();
        case 'close':
          // Once its slot left the pool, the JobMaster stopped in that step already.
          return before === 'payloadReleased' ? IN_STEP_BEFORE : d.revoke();
        case 'out.freeSlot':
          // Its slot leaves under it: the TaskExecutor fails the slot (the scheduler fails over),
          // or the JobMaster stops (the pool then closes).
          return next?.type === 'close' ? d.revoke() : d.te.failSlot();
      }
    },
  },
);
