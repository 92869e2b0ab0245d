// Paths generated from the slot manager's slot machine (xstate's graph tools) drive the real
// ResourceManager through the simulator, one per transition the traversal can realise. The test
// plays the TaskExecutor `te-s` (one slot) and the JobMaster; after every event the RM monitor's
// machine for that slot must be where the path says (and the slot manager where the monitor says).
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { SlotManagerSlotEvent } from '../../machines/resourceManager/events.js';
import { slotManagerSlotMachine } from '../../machines/resourceManager/slotManagerSlot.machine.js';
import { contextOf } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import { JOB } from '../taskExecutor/taskExecutorScenario.js';
import { OTHER_JOB, ScriptedTaskExecutorDriver, TE } from './scriptedTaskExecutor.js';
import { transitionPaths } from '../transitionPaths.js';

/** The events the traversal tries per state: those the adapters can make the RM see. */
function eventsFor(snapshot: AnyMachineSnapshot): SlotManagerSlotEvent[] {
  const context = snapshot.context as { jobId: string | null; allocationId: string | null };
  const reports: SlotManagerSlotEvent[] = [
    { type: 'reported', jobId: null },
    { type: 'reported', jobId: JOB },
    { type: 'reported', jobId: OTHER_JOB },
  ];
  switch (stateName(snapshot)) {
    case 'untracked':
      return [
        { type: 'registered', jobId: null },
        { type: 'registered', jobId: OTHER_JOB },
      ];
    case 'free':
      return [
        ...reports,
        { type: 'out.requestSlot', jobId: JOB, allocationId: 'A' },
        { type: 'notifySlotAvailable' },
        { type: 'removed' },
      ];
    case 'pending':
      return [
        ...reports,
        { type: 'requestSlot.acked', allocationId: context.allocationId ?? '' },
        {
          type: 'requestSlot.occupied',
          allocationId: context.allocationId ?? '',
          jobId: OTHER_JOB,
        },
        { type: 'requestSlot.failed', allocationId: context.allocationId ?? '' },
        { type: 'notifySlotAvailable' },
        { type: 'removed' },
      ];
    default:
      return [...reports, { type: 'notifySlotAvailable' }, { type: 'removed' }];
  }
}

function realise(d: ScriptedTaskExecutorDriver, event: SlotManagerSlotEvent): void {
  switch (event.type) {
    case 'registered':
      return d.register(event.jobId);
    case 'out.requestSlot':
      return d.requestSlot();
    case 'requestSlot.acked':
      return d.answer('acked');
    case 'requestSlot.occupied':
      return d.answer('occupied');
    case 'requestSlot.failed':
      d.lower();
      return d.answer('failed');
    case 'reported':
      return d.report(event.jobId);
    case 'notifySlotAvailable':
      d.lower();
      return d.notifySlotAvailable();
    case 'removed':
      return d.remove();
  }
}

const paths = transitionPaths(
  slotManagerSlotMachine,
  initialTransition(slotManagerSlotMachine)[0],
  eventsFor,
);

describe('slot manager slot machine: a generated path per transition drives the ResourceManager', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  for (const path of paths) {
    it(path.description, () => {
      const d = new ScriptedTaskExecutorDriver();
      for (const step of path.steps) {
        realise(d, step.event);
        const slot = d.machine().slotMachine(`${TE}#0`);
        expect(
          slot === undefined ? 'untracked' : stateName(slot.snapshot),
          `after ${step.event.type}`,
        ).toBe(step.state);
        if (slot !== undefined && step.state !== 'untracked' && step.state !== 'free') {
          expect(contextOf(slot)['jobId']).not.toBeNull();
        }
      }
    });
  }
});
