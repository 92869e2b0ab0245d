// Paths generated from the JobMaster's RM-connection machine with xstate's graph tools drive the
// real JobMaster through the simulator, one per transition. The test plays the ResourceManager
// (`rm` is scripted): it answers registrations, disconnects the JobMaster and asks it for
// heartbeats; HA announces the RM leader and grants or revokes the JobMaster; a client rescales the
// job (new requirements to declare). After every event the monitored machine must be where the
// path says, and the implementation where the monitor says; and the machine must have taken the
// path's last transition.
import type { AnyMachineSnapshot } from 'xstate';
import { DEFAULT_HEARTBEAT_CONFIG } from '../../impl/heartbeat/heartbeatManager.js';
import type { AskRef } from '../../impl/sim/effects.js';
import type { ResourceManagerId } from '../../protocol/ids.js';
import type { ResourceManagerConnectionEvent } from '../../machines/jobMaster/events.js';
import {
  resourceManagerConnectionMachine,
  type ResourceManagerConnectionContext,
} from '../../machines/jobMaster/resourceManagerConnection.machine.js';
import type { CoverageSink } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import {
  RM_ID,
  RM_RESOURCE_ID,
  type TaskExecutorScenario,
} from '../taskExecutor/taskExecutorScenario.js';
import {
  advanceToTimer,
  announceJobLeader,
  describeTransitionPaths,
  IN_STEP_BEFORE,
  JM,
  JM_ID,
  pathScenario,
  rescale,
  restartJob,
  RM,
  rmConnection,
} from './jobMasterCluster.js';

const ASK = 1; // the model's stand-in for the id of the registration attempt in flight
const SUPERSEDED = 0; // and for an attempt of an earlier notification
const OTHER_RM = 'rm-leader-0';

/** Answers to the attempt of an earlier notification. */
const supersededAnswers = [
  {
    type: 'registerJobMaster.succeeded',
    askId: SUPERSEDED,
    resourceManagerId: RM_ID,
    resourceManagerResourceId: RM_RESOURCE_ID,
  },
  { type: 'registerJobMaster.declined', askId: SUPERSEDED },
  { type: 'registerJobMaster.failed', askId: SUPERSEDED },
  { type: 'registerJobMaster.timedOut', askId: SUPERSEDED },
] as const;

/** Heartbeat answers that arrive when no RM is monitored. */
const lateHeartbeats = [
  { type: 'heartbeat.delivered' },
  { type: 'heartbeat.unreachable' },
] as const;

/** The events the traversal tries per state: those the adapters below can make happen. */
function eventsFor(snapshot: AnyMachineSnapshot): ResourceManagerConnectionEvent[] {
  const context = snapshot.context as ResourceManagerConnectionContext;
  // Outputs that follow in the same step as the event before them come first and alone.
  if (context.owedDisconnect !== null)
    return [{ type: 'out.disconnectJobManager', fencingToken: context.owedDisconnect }];
  const state = stateName(snapshot);
  if (state === 'registering' && context.registrationAskId === null && !context.waitingToRetry)
    return [{ type: 'out.registerJobMaster', askId: ASK, fencingToken: RM_ID }];
  if (state === 'stopping') return [{ type: 'out.stopLeaderRetrieval' }];
  if (state === 'closed') return [];
  const common: ResourceManagerConnectionEvent[] = [
    { type: 'notifyLeaderAddress', leaderSessionId: RM_ID },
    { type: 'notifyLeaderAddress', leaderSessionId: null },
    { type: 'disconnectResourceManager', resourceManagerId: RM_ID },
    { type: 'disconnectResourceManager', resourceManagerId: OTHER_RM },
  ];
  switch (state) {
    case 'noResourceManager':
      return [
        ...common,
        ...supersededAnswers,
        ...lateHeartbeats,
        { type: 'out.stopLeaderRetrieval' },
      ];
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
              ...supersededAnswers,
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
        ...supersededAnswers,
      ];
  }
}

/** The JobMaster's registration attempt the scripted RM has not answered yet. */
function pendingRegistration(s: TaskExecutorScenario) {
  const registration = s.last(RM, 'registerJobMaster');
  if (s.isAnswered(registration.ask)) throw new Error('no registration attempt is pending');
  return registration;
}

/** The initial timeout of a registration attempt (read while the JobMaster registers). */
function attemptTimeout(s: TaskExecutorScenario): number {
  const timeoutMs = s.jm().leader?.resourceManagerConnection?.registration.timeoutMs;
  if (timeoutMs === undefined) throw new Error('the JobMaster does not register');
  return timeoutMs;
}

/**
 * An attempt of an earlier notification, still unanswered, with the connection back in `before`:
 * registering, the leader is announced again, so the attempt in flight is superseded by a new one;
 * with no RM, a leader is announced (an attempt), then none; connected, the leader is announced
 * again (an attempt), and again (a new one), which succeeds. Returns the superseded attempt, for an
 * answer that must be ignored, and its timeout.
 */
function supersededRegistration(s: TaskExecutorScenario, before: string) {
  if (before === 'registering') {
    const superseded = pendingRegistration(s);
    const timeoutMs = attemptTimeout(s);
    s.announceResourceManager(RM, RM_ID);
    return { ask: superseded.ask, timeoutMs };
  }
  s.announceResourceManager(RM, RM_ID);
  const superseded = pendingRegistration(s);
  const timeoutMs = attemptTimeout(s);
  if (before === 'noResourceManager') {
    s.announceResourceManager(null, null);
  } else {
    s.announceResourceManager(RM, RM_ID);
    s.reply(RM, pendingRegistration(s).ask, {
      type: 'registerJobMaster.succeeded',
      resourceManagerId: RM_ID,
      resourceManagerResourceId: RM_RESOURCE_ID,
    });
  }
  return { ask: superseded.ask, timeoutMs };
}

/** The answer to an attempt, as the scripted RM gives it. */
function registrationAnswer(
  type: 'registerJobMaster.succeeded' | 'registerJobMaster.declined' | 'registerJobMaster.failed',
) {
  switch (type) {
    case 'registerJobMaster.succeeded':
      return {
        type,
        resourceManagerId: RM_ID,
        resourceManagerResourceId: RM_RESOURCE_ID,
      } as const;
    case 'registerJobMaster.declined':
      return { type, reason: 'path' } as const;
    case 'registerJobMaster.failed':
      return { type, exception: 'FencingTokenException', reason: 'path' } as const;
  }
}

/** The job's requirements change: a running job is rescaled, a restarting one restarts. */
function newRequirements(s: TaskExecutorScenario): void {
  if (s.jmLeader().scheduler.jobStatus === 'RUNNING') rescale(s, 1);
  else restartJob(s);
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

describeTransitionPaths(
  'JobMaster RM-connection machine: a generated path per transition drives the JobMaster',
  {
    machine: resourceManagerConnectionMachine,
    input: { rpcFailureThreshold: DEFAULT_HEARTBEAT_CONFIG.rpcFailureThreshold },
    eventsFor,
    paths: 63,
    // A stopping JobMaster stops its RM leader retrieval in the same step.
    settlesIn: { stopping: 'closed' },
    driver: (coverage: CoverageSink) => {
      const s = pathScenario({ coverage, job: { heartbeat: DEFAULT_HEARTBEAT_CONFIG } });
      announceJobLeader(s, JM_ID);
      return { s, state: () => stateName(rmConnection(s).snapshot) };
    },
    realise: ({ s }, { event, before, previous }) => {
      switch (event.type) {
        case 'notifyLeaderAddress':
          return s.announceResourceManager(
            event.leaderSessionId === null ? null : RM,
            event.leaderSessionId,
          );
        case 'out.registerJobMaster':
          return IN_STEP_BEFORE; // the JobMaster registers at once
        case 'out.declareRequiredResources':
          // A connecting JobMaster declares at once; a connected one when its requirements change.
          return previous?.type === 'registerJobMaster.succeeded' && previous.askId === ASK
            ? IN_STEP_BEFORE
            : newRequirements(s);
        case 'registerJobMaster.succeeded':
        case 'registerJobMaster.declined':
        case 'registerJobMaster.failed':
          return s.reply(
            RM,
            event.askId === ASK
              ? pendingRegistration(s).ask
              : supersededRegistration(s, before).ask,
            registrationAnswer(event.type),
          );
        case 'registerJobMaster.timedOut':
          // A superseded attempt in registering times out with the current one (the same timeout).
          return s.advance(
            event.askId === ASK ? attemptTimeout(s) : supersededRegistration(s, before).timeoutMs,
          );
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
          // A connected JobMaster tells the RM when it stops; a reconnect told it at once.
          return before === 'connected' ? announceJobLeader(s, null) : IN_STEP_BEFORE;
        case 'out.stopLeaderRetrieval':
          // A JobMaster that was connected stops it after its disconnectJobManager.
          return before === 'stopping' ? IN_STEP_BEFORE : announceJobLeader(s, null);
      }
    },
  },
);
