// Paths generated from the JobMaster's RM-connection machine with xstate's graph tools drive the
// real JobMaster through the simulator, one per transition. The test plays the ResourceManager
// (`rm` is scripted): it answers registrations, disconnects the JobMaster and asks it for
// heartbeats; HA announces the RM leader and grants or revokes the JobMaster. After every event
// the monitored machine must be where the path says, and the implementation where the monitor says.
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { AskRef } from '../../impl/sim/effects.js';
import type { ResourceManagerId } from '../../protocol/ids.js';
import type { ResourceManagerConnectionEvent } from '../../machines/jobMaster/events.js';
import { resourceManagerConnectionMachine } from '../../machines/jobMaster/resourceManagerConnection.machine.js';
import { stateName } from '../machineStepper.js';
import { transitionPaths } from '../transitionPaths.js';
import {
  RM_ID,
  RM_RESOURCE_ID,
  TaskExecutorScenario,
} from '../taskExecutor/taskExecutorScenario.js';
import {
  advanceToTimer,
  announceJobLeader,
  JM,
  JM_ID,
  JOB,
  jmState,
  RM,
  rmConnection,
} from './jobMasterCluster.js';

const ASK = 1; // the model's stand-in for the id of the registration attempt in flight
const SUPERSEDED = 0; // and for an attempt of an earlier notification
const OTHER_RM = 'rm-leader-0';

interface Context {
  readonly registrationAskId: number | null;
  readonly waitingToRetry: boolean;
  readonly owedDisconnect: string | null;
  readonly connectedId: string | null;
}

/** Heartbeat answers that arrive when no RM is monitored. */
const lateHeartbeats = [
  { type: 'heartbeat.delivered' },
  { type: 'heartbeat.unreachable' },
] as const;

/** The events the traversal tries per state: those the adapters below can make happen. */
function eventsFor(snapshot: AnyMachineSnapshot): ResourceManagerConnectionEvent[] {
  const context = snapshot.context as Context;
  // Outputs that follow in the same step as the event before them come first and alone.
  if (context.owedDisconnect !== null)
    return [{ type: 'out.disconnectJobManager', fencingToken: context.owedDisconnect }];
  const state = stateName(snapshot);
  if (state === 'registering' && context.registrationAskId === null && !context.waitingToRetry)
    return [{ type: 'out.registerJobMaster', askId: ASK, fencingToken: RM_ID }];
  if (state === 'closed') return [{ type: 'out.stopLeaderRetrieval' }];
  const common: ResourceManagerConnectionEvent[] = [
    { type: 'notifyLeaderAddress', leaderSessionId: RM_ID },
    { type: 'notifyLeaderAddress', leaderSessionId: null },
    { type: 'disconnectResourceManager', resourceManagerId: RM_ID },
    { type: 'disconnectResourceManager', resourceManagerId: OTHER_RM },
  ];
  switch (state) {
    case 'noResourceManager':
      return [...common, ...lateHeartbeats, { type: 'out.stopLeaderRetrieval' }];
    case 'registering':
      return [
        ...common,
        ...(context.waitingToRetry
          ? [{ type: 'registration.retry' } as const]
          : [
              {
                type: 'registerJobMaster.succeeded',
                askId: ASK,
                resourceManagerId: RM_ID,
                resourceManagerResourceId: RM_RESOURCE_ID,
              } as const,
              { type: 'registerJobMaster.declined', askId: ASK } as const,
              { type: 'registerJobMaster.failed', askId: ASK } as const,
              { type: 'registerJobMaster.timedOut', askId: ASK } as const,
              // Answers to the attempt of an earlier notification.
              {
                type: 'registerJobMaster.succeeded',
                askId: SUPERSEDED,
                resourceManagerId: RM_ID,
                resourceManagerResourceId: RM_RESOURCE_ID,
              } as const,
              { type: 'registerJobMaster.declined', askId: SUPERSEDED } as const,
              { type: 'registerJobMaster.failed', askId: SUPERSEDED } as const,
              { type: 'registerJobMaster.timedOut', askId: SUPERSEDED } as const,
              ...lateHeartbeats,
            ]),
        { type: 'out.stopLeaderRetrieval' },
      ];
    default:
      return [
        ...common,
        { type: 'out.declareRequiredResources', fencingToken: RM_ID },
        { type: 'heartbeat.timedOut', target: RM_RESOURCE_ID },
        { type: 'heartbeat.delivered' },
        { type: 'heartbeat.unreachable' },
        { type: 'out.disconnectJobManager', fencingToken: context.connectedId ?? '' },
      ];
  }
}

/** The JobMaster's registration attempt the scripted RM has not answered yet. */
function pendingRegistration(s: TaskExecutorScenario) {
  const registration = s.last(RM, 'registerJobMaster');
  if (s.isAnswered(registration.ask)) throw new Error('no registration attempt is pending');
  return registration;
}

/**
 * The leader is announced again, so the attempt in flight is superseded by a new one; returns the
 * superseded attempt, for an answer that must be ignored.
 */
function supersededRegistration(s: TaskExecutorScenario) {
  const superseded = pendingRegistration(s);
  s.announceResourceManager(RM, RM_ID);
  return superseded;
}

/** The RM asks the JobMaster for a heartbeat; returns the JobMaster's answer (an ask to the RM). */
function requestHeartbeat(s: TaskExecutorScenario) {
  s.instruct(RM, {
    kind: 'ask',
    to: JM,
    msg: { type: 'heartbeatFromResourceManager', fencingToken: JM_ID, resourceId: RM_RESOURCE_ID },
    timeoutMs: 10_000,
  });
  return s.last(RM, 'heartbeatFromJobManager').ask;
}

function answerHeartbeat(
  s: TaskExecutorScenario,
  ask: AskRef | null,
  answer: 'heartbeat.delivered' | 'heartbeat.unreachable',
): void {
  s.reply(
    RM,
    ask,
    answer === 'heartbeat.delivered'
      ? { type: 'heartbeatFromJobManager.acked' }
      : {
          type: 'heartbeatFromJobManager.failed',
          exception: 'RecipientUnreachableException',
          reason: 'path',
        },
  );
}

/**
 * A heartbeat answer that arrives after the connection it was for was closed: the JobMaster
 * connects, answers a heartbeat request, and loses the connection (no leader, or a new
 * announcement) before the RM's answer comes back; it ends where it started.
 */
function lateHeartbeat(
  s: TaskExecutorScenario,
  answer: 'heartbeat.delivered' | 'heartbeat.unreachable',
  before: string,
): void {
  if (before === 'noResourceManager') s.announceResourceManager(RM, RM_ID);
  s.reply(RM, pendingRegistration(s).ask, {
    type: 'registerJobMaster.succeeded',
    resourceManagerId: RM_ID,
    resourceManagerResourceId: RM_RESOURCE_ID,
  });
  const ask = requestHeartbeat(s);
  if (before === 'noResourceManager') s.announceResourceManager(null, null);
  else s.announceResourceManager(RM, RM_ID);
  answerHeartbeat(s, ask, answer);
}

function realise(
  s: TaskExecutorScenario,
  event: ResourceManagerConnectionEvent,
  before: string,
): void {
  switch (event.type) {
    case 'notifyLeaderAddress':
      return s.announceResourceManager(
        event.leaderSessionId === null ? null : RM,
        event.leaderSessionId,
      );
    case 'out.registerJobMaster':
    case 'out.declareRequiredResources':
      return; // the JobMaster sent it by itself, in the step before
    case 'registerJobMaster.succeeded':
      return s.reply(
        RM,
        (event.askId === ASK ? pendingRegistration(s) : supersededRegistration(s)).ask,
        {
          type: 'registerJobMaster.succeeded',
          resourceManagerId: RM_ID,
          resourceManagerResourceId: RM_RESOURCE_ID,
        },
      );
    case 'registerJobMaster.declined':
      return s.reply(
        RM,
        (event.askId === ASK ? pendingRegistration(s) : supersededRegistration(s)).ask,
        {
          type: 'registerJobMaster.declined',
          reason: 'path',
        },
      );
    case 'registerJobMaster.failed':
      return s.reply(
        RM,
        (event.askId === ASK ? pendingRegistration(s) : supersededRegistration(s)).ask,
        {
          type: 'registerJobMaster.failed',
          exception: 'FencingTokenException',
          reason: 'path',
        },
      );
    case 'registerJobMaster.timedOut':
      // The superseded attempt times out with the current one (the same initial timeout).
      if (event.askId === SUPERSEDED) supersededRegistration(s);
      return s.advance(jmState(s).leader?.resourceManagerConnection?.registration.timeoutMs ?? 0);
    case 'registration.retry':
      return advanceToTimer(s, JM, 'resourceManagerRegistration/retry');
    case 'disconnectResourceManager':
      return s.instruct(RM, {
        kind: 'tell',
        to: JM,
        msg: {
          type: 'disconnectResourceManager',
          fencingToken: JM_ID,
          resourceManagerId: event.resourceManagerId as ResourceManagerId,
          cause: 'path',
        },
      });
    case 'heartbeat.timedOut':
      return advanceToTimer(s, JM, `resourceManagerHeartbeat/timeout/${RM_RESOURCE_ID}`);
    case 'heartbeat.delivered':
    case 'heartbeat.unreachable':
      if (before !== 'connected') return lateHeartbeat(s, event.type, before);
      return answerHeartbeat(s, requestHeartbeat(s), event.type);
    case 'out.disconnectJobManager':
      // A connected JobMaster tells the RM when it stops; after a reconnect it did so already.
      return before === 'connected' ? announceJobLeader(s, null) : undefined;
    case 'out.stopLeaderRetrieval':
      // A JobMaster that was connected stopped already (with its disconnectJobManager).
      return before === 'closed' ? undefined : announceJobLeader(s, null);
  }
}

const paths = transitionPaths(
  resourceManagerConnectionMachine,
  initialTransition(resourceManagerConnectionMachine, { rpcFailureThreshold: 2 })[0],
  eventsFor,
);

describe('JobMaster RM-connection machine: a generated path per transition drives the JobMaster', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  for (const path of paths) {
    it(path.description, () => {
      const s = new TaskExecutorScenario({ taskExecutors: 0, jobs: [{ jobId: JOB }] });
      announceJobLeader(s, JM_ID);
      let before = 'noResourceManager';
      for (const step of path.steps) {
        realise(s, step.event, before);
        expect(stateName(rmConnection(s).snapshot), `after ${step.event.type}`).toBe(step.state);
        before = step.state;
      }
    });
  }
});
