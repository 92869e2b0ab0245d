// Paths generated from the TaskExecutor's RM-connection machine with xstate's graph tools drive the
// real TaskExecutor through the simulator, one per transition; after every event the monitored machine must be where the
// path says, and the implementation where the monitor says.
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { ResourceManagerConnectionEvent } from '../../machines/taskExecutor/events.js';
import { resourceManagerConnectionMachine } from '../../machines/taskExecutor/resourceManagerConnection.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import { RM, RM_ID, RM_RESOURCE_ID, TaskExecutorScenario } from './taskExecutorScenario.js';

const ASK = 1; // the model's stand-in for the id of the registration attempt in flight

function eventsFor(snapshot: AnyMachineSnapshot): ResourceManagerConnectionEvent[] {
  const context = snapshot.context as { registrationAskId: number | null; waitingToRetry: boolean };
  const common: ResourceManagerConnectionEvent[] = [
    { type: 'notifyLeaderAddress', leaderSessionId: RM_ID },
    { type: 'notifyLeaderAddress', leaderSessionId: null },
    { type: 'disconnectResourceManager' },
  ];
  switch (stateName(snapshot)) {
    case 'noResourceManager':
      return [...common, { type: 'registrationTimeout' }];
    case 'registering': {
      const loop: ResourceManagerConnectionEvent[] = context.waitingToRetry
        ? [{ type: 'registration.retry' }]
        : context.registrationAskId === null
          ? [{ type: 'out.registerTaskExecutor', askId: ASK, fencingToken: RM_ID }]
          : [
              {
                type: 'registerTaskExecutor.succeeded',
                askId: ASK,
                resourceManagerResourceId: RM_RESOURCE_ID,
              },
              { type: 'registerTaskExecutor.rejected', askId: ASK },
              { type: 'registerTaskExecutor.declined', askId: ASK },
              { type: 'registerTaskExecutor.failed', askId: ASK },
              { type: 'registerTaskExecutor.timedOut', askId: ASK },
            ];
      return [...common, ...loop, { type: 'registrationTimeout' }];
    }
    case 'connected':
      return [
        ...common,
        { type: 'heartbeat.timedOut', target: RM_RESOURCE_ID },
        { type: 'heartbeat.delivered' },
        { type: 'heartbeat.unreachable' },
      ];
    default:
      return [];
  }
}

const config = { registrationTimeoutMs: 300_000 };

function pendingRegistration(s: TaskExecutorScenario) {
  const registration = s.last(RM, 'registerTaskExecutor');
  if (s.isAnswered(registration.ask)) throw new Error('no registration attempt is pending');
  return registration;
}

function heartbeat(s: TaskExecutorScenario, answer: 'delivered' | 'unreachable'): void {
  s.heartbeatFromResourceManager();
  s.reply(
    RM,
    s.last(RM, 'heartbeatFromTaskManager').ask,
    answer === 'delivered'
      ? { type: 'heartbeatFromTaskManager.acked' }
      : {
          type: 'heartbeatFromTaskManager.failed',
          exception: 'RecipientUnreachableException',
          reason: 'path',
        },
  );
}

function realise(s: TaskExecutorScenario, event: ResourceManagerConnectionEvent): void {
  const te = () => s.te();
  switch (event.type) {
    case 'notifyLeaderAddress':
      s.announceResourceManager(event.leaderSessionId === null ? null : RM, event.leaderSessionId);
      return;
    case 'out.registerTaskExecutor':
      return; // the TaskExecutor sent it by itself
    case 'registerTaskExecutor.succeeded':
      s.registerAtResourceManager();
      return;
    case 'registerTaskExecutor.rejected':
      s.reply(RM, pendingRegistration(s).ask, {
        type: 'registerTaskExecutor.rejected',
        reason: 'path',
      });
      return;
    case 'registerTaskExecutor.declined':
      s.reply(RM, pendingRegistration(s).ask, {
        type: 'registerTaskExecutor.declined',
        reason: 'path',
      });
      return;
    case 'registerTaskExecutor.failed':
      s.reply(RM, pendingRegistration(s).ask, {
        type: 'registerTaskExecutor.failed',
        exception: 'FencingTokenException',
        reason: 'path',
      });
      return;
    case 'registerTaskExecutor.timedOut':
      s.advance(te().resourceManagerConnection?.registration.timeoutMs ?? 0);
      return;
    case 'registrationTimeout':
      s.advance(config.registrationTimeoutMs);
      return;
    case 'registration.retry':
      s.advance(30_000); // the longer of the error and refused-registration delays
      return;
    case 'disconnectResourceManager':
      s.instruct(RM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'disconnectResourceManager', cause: 'path' },
      });
      return;
    case 'heartbeat.timedOut':
      s.advance(te().resourceManagerHeartbeat.targets.length > 0 ? 50_000 : 0);
      return;
    case 'heartbeat.delivered':
    case 'heartbeat.unreachable':
      heartbeat(s, event.type === 'heartbeat.delivered' ? 'delivered' : 'unreachable');
      return;
    default:
      throw new Error(`no adapter for ${event.type}`);
  }
}

const paths = transitionPaths(
  resourceManagerConnectionMachine,
  initialTransition(resourceManagerConnectionMachine, { rpcFailureThreshold: 2 })[0],
  eventsFor,
);

describe('RM-connection machine: a generated path per transition drives the TaskExecutor', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  for (const path of paths) {
    it(path.description, () => {
      const s = new TaskExecutorScenario({ config });
      const rm = () => s.monitor.machinesOf('te-1').rm;
      for (const step of path.steps) {
        realise(s, step.event);
        // After a fatal error the process is down; its machines start over when it restarts.
        if (step.state === 'terminated')
          expect(s.simulation.state.endpoints['te-1']?.up).toBe(false);
        else expect(stateName(rm().snapshot), `after ${step.event.type}`).toBe(step.state);
      }
    });
  }
});
