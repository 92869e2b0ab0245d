// Paths generated from the requirement declaration machine (xstate's graph tools) drive the real
// JobMaster through the simulator, one per transition. The test plays the ResourceManager (`rm` is
// scripted): it accepts the JobMaster's registration (connect), disconnects it, and acknowledges
// or fails each `declareRequiredResources` attempt, the current one or an outdated one; a client
// rescales the job to change its requirements (a new declaration); time passes to fire a backoff;
// HA revokes the JobMaster (close). After every event the monitored machine must be where the path
// says, except in `connected`, which never outlasts its step: the pool declares at once.
//
// The traversal keeps to a finite part of the machine: at most two declarations by a new
// requirement or a reconnect, and at most two failed attempts of one declaration.
import { describe, expect, it } from 'vitest';
import { initialTransition, type AnyMachineSnapshot } from 'xstate';
import type { RequirementDeclarationEvent } from '../../machines/jobMaster/events.js';
import {
  nextBackoff,
  requirementDeclarationMachine,
  type RequirementDeclarationContext,
} from '../../machines/jobMaster/requirementDeclaration.machine.js';
import type { Received } from '../taskExecutor/scriptedCluster.js';
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
  monitorOf,
  RM,
} from './jobMasterCluster.js';

const ASK = 1; // the model's stand-in for the id of the newest attempt
const OLD = 0; // and for an attempt of an outdated declaration
const NEVER = 1_000_000_000;

/** States the implementation never ends a step in. */
const TRANSIENT = new Set(['connected']);

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
  readonly s = new TaskExecutorScenario({
    taskExecutors: 0,
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

  constructor() {
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
    if (this.s.jmLeader().scheduler.jobStatus === 'RUNNING')
      this.s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    else advanceToTimer(this.s, JM, 'scheduler/restart');
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

function realise(
  d: Driver,
  event: RequirementDeclarationEvent,
  before: string,
  previous: RequirementDeclarationEvent | undefined,
): void {
  switch (event.type) {
    case 'connect':
      return d.connect();
    case 'disconnect':
      return d.disconnect();
    case 'close':
      return d.close();
    case 'out.declareRequiredResources':
      // On connect, and after an elapsed backoff, the JobMaster sent it in the step before.
      if (before === 'connected' || previous?.type === 'retryDelay.elapsed') return;
      return d.newer();
    case 'declareRequiredResources.acked':
    case 'declareRequiredResources.failed':
      return d.answer(event.type === 'declareRequiredResources.acked', event.askId === ASK, before);
    case 'out.retryWithDelay':
      return; // armed by the failed answer, in the step before
    case 'retryDelay.elapsed':
      return d.retryElapsed();
  }
}

const paths = transitionPaths(
  requirementDeclarationMachine,
  initialTransition(requirementDeclarationMachine)[0],
  eventsFor,
);

describe('JobMaster requirement declaration machine: a generated path per transition drives the JobMaster', () => {
  it('the traversal finds a path for each transition it can realise', () => {
    expect(paths.length).toBeGreaterThan(24);
  });

  for (const path of paths) {
    it(path.description, () => {
      const d = new Driver();
      path.steps.forEach((step, i) => {
        realise(
          d,
          step.event,
          path.steps[i - 1]?.state ?? 'disconnected',
          path.steps[i - 1]?.event,
        );
        if (!TRANSIENT.has(step.state))
          expect(d.state(), `after ${step.event.type}`).toBe(step.state);
      });
    });
  }
});
