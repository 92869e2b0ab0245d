// Paths generated from the requirement declaration machine (xstate's graph tools) drive the real
// JobMaster through the simulator, one per transition. The test plays the ResourceManager (`rm` is
// scripted): it accepts the JobMaster's registration (connect), disconnects it, and acknowledges
// or fails each `declareRequiredResources` attempt, the current one or an outdated one; a client
// rescales the job to change its requirements (a new declaration); time passes to fire a backoff;
// HA revokes the JobMaster (close). After every event the monitored machine must be where the path
// says, and it must have taken the path's last transition. `connected` never outlasts its step: the
// pool declares at once, so the sending ends that step sending.
//
// The traversal keeps to a finite part of the machine: at most two declarations by a new
// requirement or a reconnect, and at most two failed attempts of one declaration.
import type { AnyMachineSnapshot } from 'xstate';
import type { RequirementDeclarationEvent } from '../../machines/jobMaster/events.js';
import {
  nextBackoff,
  requirementDeclarationMachine,
  type RequirementDeclarationContext,
} from '../../machines/jobMaster/requirementDeclaration.machine.js';
import type { CoverageSink } from '../machineInstance.js';
import type { Received } from '../taskExecutor/scriptedCluster.js';
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
  monitorOf,
  pathScenario,
  rescale,
  restartJob,
  RM,
} from './jobMasterCluster.js';

const ASK = 1; // the model's stand-in for the id of the newest attempt
const OLD = 0; // and for an attempt of an outdated declaration

const answers = (askId: number): RequirementDeclarationEvent[] => [
  { type: 'declareRequiredResources.acked', askId },
  { type: 'declareRequiredResources.failed', askId },
];

/** The events the traversal tries per state: those the adapters below can make happen. */
function eventsFor(snapshot: AnyMachineSnapshot): RequirementDeclarationEvent[] {
  const c = snapshot.context as RequirementDeclarationContext;
  const state = stateName(snapshot);
  // Outputs that follow in the same step as the event before them come first and alone.
  if (c.owed === 'retryWithDelay')
    return [{ type: 'out.retryWithDelay', epoch: c.epoch, delayMs: nextBackoff(c.lastDelayMs) }];
  if (c.owed === 'declareRequiredResources' || state === 'connected')
    return [{ type: 'out.declareRequiredResources', askId: ASK }];
  const outdated = c.outdatedAsks > 0 ? answers(OLD) : [];
  const newer: RequirementDeclarationEvent[] =
    c.epoch < 2 ? [{ type: 'out.declareRequiredResources', askId: ASK }] : [];
  const outdatedRetry: RequirementDeclarationEvent[] =
    c.retryEpoch !== null && c.retryEpoch !== c.epoch
      ? [{ type: 'retryDelay.elapsed', epoch: c.retryEpoch }]
      : [];
  const disconnect = { type: 'disconnect' } as const;
  switch (state) {
    case 'disconnected':
      return [
        ...(c.epoch < 2 ? [{ type: 'connect' } as const] : []),
        { type: 'close' },
        ...outdated,
      ];
    case 'sending':
      return [
        { type: 'declareRequiredResources.acked', askId: ASK },
        ...(c.lastDelayMs === null || c.lastDelayMs < 2
          ? [{ type: 'declareRequiredResources.failed', askId: ASK } as const]
          : []),
        ...outdated,
        ...outdatedRetry,
        ...newer,
        disconnect,
      ];
    case 'acked':
      return [...outdated, ...outdatedRetry, ...newer, disconnect];
    case 'waitingToRetry':
      return [{ type: 'retryDelay.elapsed', epoch: c.epoch }, ...outdated, ...newer, disconnect];
    default:
      return [];
  }
}

/** The real JobMaster of job-1 (parallelism 1, leading, the RM announced) and the scripted RM. */
class Driver {
  readonly s: TaskExecutorScenario;

  constructor(coverage: CoverageSink) {
    this.s = pathScenario({ coverage });
    announceJobLeader(this.s, JM_ID); // the job's first round: one slot required
    this.s.announceResourceManager(RM, RM_ID); // the JobMaster registers
  }

  state(): string {
    const declaration = monitorOf(this.s).leadership?.declaration;
    if (declaration === undefined) throw new Error(`${JM} never led`);
    return stateName(declaration.snapshot);
  }

  /** The RM accepts the registration in flight: the JobMaster connects and declares. */
  connect(): void {
    const registration = this.s.last(RM, 'registerJobMaster');
    if (this.s.isAnswered(registration.ask)) throw new Error('no registration attempt is pending');
    this.s.reply(RM, registration.ask, {
      type: 'registerJobMaster.succeeded',
      resourceManagerId: RM_ID,
      resourceManagerResourceId: RM_RESOURCE_ID,
    });
  }

  /** The RM closes the connection: the JobMaster dissolves it and registers again. */
  disconnect(): void {
    this.s.instruct(RM, {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'disconnectResourceManager',
        fencingToken: JM_ID,
        resourceManagerId: RM_ID,
        cause: 'path',
      },
    });
  }

  close(): void {
    announceJobLeader(this.s, null);
  }

  /** The job's requirements change: a running job is rescaled, a restarting one restarts. */
  newer(): void {
    if (this.s.jmLeader().scheduler.jobStatus === 'RUNNING') rescale(this.s, 1);
    else restartJob(this.s);
  }

  /**
   * The RM answers an attempt: the newest one in flight (the last sent while `sending`), or an
   * outdated one (the oldest other attempt still unanswered).
   */
  answer(acked: boolean, current: boolean, before: string): void {
    const sent = this.s.inbox(RM, 'declareRequiredResources');
    const newest = before === 'sending' ? sent.at(-1) : undefined;
    const ask: Received | undefined = current
      ? newest
      : sent.find((r) => r !== newest && !this.s.isAnswered(r.ask));
    if (ask === undefined || this.s.isAnswered(ask.ask))
      throw new Error(`no ${current ? 'current' : 'outdated'} attempt is unanswered`);
    this.s.reply(
      RM,
      ask.ask,
      acked
        ? { type: 'declareRequiredResources.acked' }
        : {
            type: 'declareRequiredResources.failed',
            exception: 'UnknownJobManager',
            reason: 'path',
          },
    );
  }

  /** The backoff timer (of the newest declaration, or of an outdated one) fires. */
  retryElapsed(): void {
    advanceToTimer(this.s, JM, 'declareResourceRequirements/retry');
  }
}

describeTransitionPaths(
  'JobMaster requirement declaration machine: a generated path per transition drives the JobMaster',
  {
    machine: requirementDeclarationMachine,
    eventsFor,
    paths: 106,
    driver: (coverage) => new Driver(coverage),
    settlesIn: { connected: 'sending' },
    realise: (d, { event, before, previous }) => {
      switch (event.type) {
        case 'connect':
          return d.connect();
        case 'disconnect':
          return d.disconnect();
        case 'close':
          return d.close();
        case 'out.declareRequiredResources':
          // On connect, and after an elapsed backoff, the JobMaster sent it in the step before.
          if (before === 'connected' || previous?.type === 'retryDelay.elapsed')
            return IN_STEP_BEFORE;
          return d.newer();
        case 'declareRequiredResources.acked':
        case 'declareRequiredResources.failed':
          return d.answer(
            event.type === 'declareRequiredResources.acked',
            event.askId === ASK,
            before,
          );
        case 'out.retryWithDelay':
          return IN_STEP_BEFORE; // armed by the failed answer
        case 'retryDelay.elapsed':
          return d.retryElapsed();
      }
    },
  },
);
