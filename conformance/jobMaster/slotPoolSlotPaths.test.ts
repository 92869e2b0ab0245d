// Paths generated from the slot pool's slot machine (xstate's graph tools) drive the real JobMaster
// through the simulator, one per transition. The test plays the TaskExecutor `te-s`, which offers
// the one slot A, fails it, and acks every deployment, and a client rescales the job to put the
// scheduler where the event needs it: RESTARTING takes every offer and gives reserved slots back,
// a restart reserves free slots, parallelism 0 wants nothing (offers are rejected). After every
// event the monitored machine of A must be where the path says (the monitor checks the pool), and
// it must have taken the path's last transition. A task deployed into A (`out.submitTask`) follows
// a reservation by itself: the traversal leaves it out, and the stories take that transition.
import type { AnyMachineSnapshot } from 'xstate';
import type { SlotPoolSlotEvent } from '../../machines/jobMaster/events.js';
import { slotPoolSlotMachine } from '../../machines/jobMaster/slotPoolSlot.machine.js';
import type { CoverageSink } from '../machineInstance.js';
import type { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';
import { stateName } from '../machineStepper.js';
import {
  announceJobLeader,
  describeTransitionPaths,
  JM_ID,
  lifecycle,
  monitorOf,
  pathScenario,
  rescale,
  restartJob,
  SCRIPTED_TE,
  ScriptedTaskExecutor,
  SLOT_A,
} from './jobMasterCluster.js';

/** The events a path test can make happen (`out.submitTask` follows a reservation by itself). */
type Realisable = Exclude<SlotPoolSlotEvent, { readonly type: 'out.submitTask' }>;

function eventsFor(snapshot: AnyMachineSnapshot): Realisable[] {
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
  readonly s: TaskExecutorScenario;
  readonly te: ScriptedTaskExecutor;

  constructor(coverage: CoverageSink) {
    this.s = pathScenario({ coverage, scripted: [SCRIPTED_TE] });
    this.te = new ScriptedTaskExecutor(this.s);
    announceJobLeader(this.s, JM_ID);
  }

  state(): string {
    const slot = monitorOf(this.s).leadership?.slots.get(SLOT_A);
    return slot === undefined ? 'notInPool' : stateName(slot.snapshot);
  }

  restart(): void {
    restartJob(this.s, this.te);
  }

  /** RESTARTING (with parallelism 1 for the restart): every offer is taken. */
  restarting(): void {
    rescale(this.s, 1);
  }

  /** RUNNING with parallelism 0: no slot is wanted, so offers are rejected. */
  wantingNothing(): void {
    if (lifecycle(this.s) === 'running' && this.s.jmLeader().scheduler.parallelism === 0) return;
    rescale(this.s, 0);
    this.restart();
  }
}

describeTransitionPaths(
  'slot pool slot machine: a generated path per transition drives the JobMaster',
  {
    machine: slotPoolSlotMachine,
    eventsFor,
    paths: 10,
    driver: (coverage) => new Driver(coverage),
    realise: (d, { event }) => {
      switch (event.type) {
        case 'out.offerSlots.accepted':
          // A slot the pool holds is taken again in any job status; a new one while RESTARTING.
          if (d.state() === 'notInPool' || d.state() === 'released') d.restarting();
          return d.te.offer();
        case 'out.offerSlots.rejected':
          d.wantingNothing();
          return d.te.offer();
        case 'reserveFreeSlot':
          d.restarting(); // then the restart's round takes the free slot
          return d.restart();
        case 'freeReservedSlot':
          return d.restarting(); // the reserved slot's task is cancelled: the slot is given back
        case 'out.freeSlot':
          return d.te.failSlot();
      }
    },
  },
);
