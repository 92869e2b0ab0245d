// The monitor must be able to fail: divergences planted in the implementation's state, in its
// inputs and in its outputs are each reported with the component, the machine, its state and the event.
import { describe, expect, it } from 'vitest';
import type { AllocationID } from '../../protocol/ids.js';
import { JM, RM, RM_ID, TaskExecutorScenario } from './taskExecutorScenario.js';
import { ConformanceError } from './teMachines.js';

const A = 'alloc-1' as AllocationID;

function withActiveSlot(): TaskExecutorScenario {
  const s = new TaskExecutorScenario();
  s.announceResourceManager();
  s.registerAtResourceManager();
  s.announceJobMaster();
  s.requestSlot(0, A);
  s.registerAtJobMaster();
  s.reply(JM, s.last(JM, 'offerSlots').ask, {
    type: 'offerSlots.accepted',
    offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
  });
  return s;
}

describe('conformance monitor', () => {
  it('reports an implementation whose slot state differs from the machine after a step', () => {
    const s = withActiveSlot();
    const slot = s.te().taskSlotTable.slots[0]!;
    slot.state = 'RELEASING'; // planted: the implementation "forgets" to keep the slot ACTIVE
    expect(() =>
      s.instruct(RM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'freeInactiveSlots', jobId: 'job-other' as never },
      }),
    ).toThrow(
      new ConformanceError(
        'step 23: te-1 taskSlot[0]: the model is in active:alloc-1, the implementation in releasing:alloc-1',
        {
          kind: 'stateDiffers',
          component: 'te-1 taskSlot[0]',
          model: 'active:alloc-1',
          observed: 'releasing:alloc-1',
        },
      ),
    );
  });

  it('reports an input the machine does not take in its state', () => {
    const s = withActiveSlot();
    // A slot timeout cannot fire for an ACTIVE slot: its timer was cancelled when it was activated.
    expect(() =>
      s.monitor.observe({
        index: 999,
        time: s.now,
        step: { kind: 'fireTimer', endpoint: 'te-1', name: `slotTimeout/${A}` },
        outcome: {
          kind: 'timerFired',
          timer: {
            endpoint: 'te-1',
            name: `slotTimeout/${A}`,
            fireAt: s.now,
            askId: null,
            data: { ticket: 1 },
          },
        },
        effects: [],
      }),
    ).toThrow(
      /^step 999: te-1 taskSlot\[0\] in state active does not allow \{"type":"slotTimeout","allocationId":"alloc-1"\}; it allows: .*freeSlot/,
    );
  });

  it('reports an output the machine does not allow in its state', () => {
    const s = withActiveSlot();
    // A connected TaskExecutor does not send registration attempts to the RM.
    expect(() =>
      s.monitor.observe({
        index: 998,
        time: s.now,
        step: { kind: 'deliver', seq: 1 },
        outcome: {
          kind: 'dropped',
          envelope: {
            kind: 'tell',
            seq: 1,
            from: RM,
            to: 'te-1',
            toIncarnation: 1,
            deliverBy: 0,
            msg: { type: 'disconnectResourceManager', cause: 'x' },
          },
        },
        effects: [
          {
            kind: 'sent',
            envelope: {
              kind: 'ask',
              askId: 5000,
              seq: 5000,
              from: 'te-1',
              to: RM,
              toIncarnation: 1,
              deliverBy: 0,
              msg: {
                type: 'registerTaskExecutor',
                fencingToken: RM_ID,
                registration: {
                  taskExecutorAddress: 'te-1',
                  resourceId: 'te-1' as never,
                  defaultSlotResourceProfile: 'default',
                  numberOfSlots: 2,
                },
              },
            },
          },
        ],
      }),
    ).toThrow(
      /te-1 rmConnection in state connected does not allow \{"type":"out.registerTaskExecutor"/,
    );
  });
});
