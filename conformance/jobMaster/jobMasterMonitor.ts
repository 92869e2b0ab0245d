/**
 * The conformance monitor of a JobMaster process: its lifecycle, and per leadership its connection
 * to the ResourceManager, its sending of requirements, every AllocationID of its slot pool and
 * every slot request of its scheduler, run as machines beside the implementation. Each step's
 * record is read: what reached the JobMaster (a message, an answer, a timer, a client action) and
 * what it sent become machine events; after the step every machine must be in the state the
 * implementation is in. A leadership's machines live from the start of its RM leader retrieval
 * (`startJobExecution`) to its end (`stopJobExecution`), as a `JobMaster` object does; a crash
 * starts everything afresh.
 *
 * Two decisions of the slot pool travel in no message: reserving a free slot for a request and
 * taking it back. The monitor reads them from the pool after the step, as a log line would report
 * them, and feeds them to the slot's machine, which must allow them: reservations before the
 * step's outputs (a task is deployed into a slot reserved earlier in the same step), slots given
 * back after them. A slot reserved and given back within one step is not seen.
 *
 * The scheduler's slot requests reach the pool without a message either. After each step the
 * monitor reads the Bridge's `pendingRequests` and `fulfilledRequests` and feeds each request's
 * machine what changed. A request fulfilled in the step takes a slot the pool reserved in that
 * step, one per request (the model learns the request's slot there, and keeps it). A request that
 * left the Bridge is fed the cause the step shows, read from the step's input and outputs, never
 * from the pool: the RM's `notifyNotEnoughResourcesAvailable` fails pending requests; the scheduler
 * releases its requests (`releaseSlot`, which gives a fulfilled request's slot back to the pool,
 * `freeReservedSlot`) only when it cancels its round: on a client's rescale of the running job, on
 * a client's end of the job (FINISHED or CANCELED, before the JobMaster stops), or on a failover
 * the step shows (the restart armed) after an input that can fail a task: the restart or bulk
 * check timer, `failSlot`, a TaskExecutor lost (`disconnectTaskManager`, a re-registration, its
 * heartbeat timed out or unreachable), an offer whose slots are deployed into, a deployment's
 * answer, or `notifyNotEnoughResourcesAvailable`. A release or give-back in a step without such a
 * cause is fed as an event no machine takes, so it fails as a divergence. A `freeSlot` of a
 * fulfilled request's slot releases its payload, and the JobMaster's stop (`stopLeaderRetrieval`)
 * closes the pool. The requirement sending is observed
 * through its messages: the RM connection's establishment and dissolution (the RM-connection
 * machine entering or leaving CONNECTED), the `declareRequiredResources` asks, their answers, and
 * the backoff timer.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { JobClientAction } from '../../impl/jobmaster/jobMaster.js';
import type { JobMasterState } from '../../impl/jobmaster/jobMasterState.js';
import type { AppliedEffect, StepRecord } from '../../impl/sim/record.js';
import type { Envelope } from '../../impl/sim/world.js';
import type { SlotOffer } from '../../protocol/values.js';
import { jobMasterLifecycleMachine } from '../../machines/jobMaster/jobMasterLifecycle.machine.js';
import { requirementDeclarationMachine } from '../../machines/jobMaster/requirementDeclaration.machine.js';
import { resourceManagerConnectionMachine } from '../../machines/jobMaster/resourceManagerConnection.machine.js';
import { slotPoolSlotMachine } from '../../machines/jobMaster/slotPoolSlot.machine.js';
import { slotRequestMachine } from '../../machines/jobMaster/slotRequest.machine.js';
import {
  ConformanceError,
  contextOf,
  createInstance,
  feedInstance,
  instanceIn,
  type CoverageSink,
  type MachineEvent,
  type MachineInstance,
} from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import { compareJobMaster, type JobMasterLeadershipMachines } from './jobMasterStates.js';

/**
 * An ask of the JobMaster whose answer a machine takes (or whose answer may fail a task over: a
 * deployment, a heartbeat request to a TaskExecutor), and the leadership that sent it.
 */
interface AskInfo {
  readonly kind:
    | 'registerJobMaster'
    | 'rmHeartbeat'
    | 'declareRequiredResources'
    | 'submitTask'
    | 'taskManagerHeartbeat';
  readonly epoch: number;
}

/**
 * What reached the JobMaster in a step that may make its scheduler cancel its round, releasing
 * every slot request (and giving their reserved slots back): a client's rescale of the running job
 * or end of the job cancel it themselves; the other inputs can fail a task, and cancel the round
 * only through the failover the step then shows.
 */
type SchedulerCause =
  | 'rescale'
  | 'jobEnd'
  | 'restartTimer'
  | 'bulkCheckTimer'
  | 'failSlot'
  | 'taskManagerLost'
  | 'deployment'
  | 'notEnoughResources';

/** What the monitor feeds for a release or give-back that nothing in the step caused: no machine takes it. */
const UNCAUSED_RELEASE = { type: 'releaseSlot (no cause in this step)' };
const UNCAUSED_FREE = { type: 'freeReservedSlot (no cause in this step)' };

/** The JobMaster's timers the machines take (names as the implementation arms them). */
const RM_REGISTRATION_RETRY = 'resourceManagerRegistration/retry';
const RM_HEARTBEAT_TIMEOUT = 'resourceManagerHeartbeat/timeout/';
const TM_HEARTBEAT_TIMEOUT = 'taskManagerHeartbeat/timeout/';
const RESTART = 'scheduler/restart';
const BULK_CHECK = 'scheduler/bulkCheck';
const DECLARE_RETRY = 'declareResourceRequirements/retry';

/** The states of a slot request in which it is still in the Bridge. */
const LIVE_REQUEST = ['pending', 'fulfilled', 'payloadReleased'];

export class JobMasterMonitor {
  private lifecycleMachine: MachineInstance;
  private current: JobMasterLeadershipMachines | null = null;
  /** Bumped when a leadership starts and when it stops: answers to another epoch's asks are stale. */
  private epoch = 0;
  private readonly asks = new Map<number, AskInfo>();
  /** An `offerSlots` delivered in this step, whose answer decides each offered slot. */
  private offer: { readonly askId: number; readonly offers: readonly SlotOffer[] } | null = null;
  /** This step's rescale armed the restart itself (it is not a failover). */
  private rescaling = false;
  /** What in this step may make the scheduler cancel its round. */
  private cause: SchedulerCause | null = null;
  /** This step armed the restart as a failover (`out.restartTasksWithDelay`). */
  private failedOver = false;
  /** Slots the pool reserved in this step that no request fulfilled in it has taken yet. */
  private reservedInStep: string[] = [];

  constructor(
    private readonly endpoint: string,
    private readonly implementation: () => JobMasterState | null,
    private readonly coverage: CoverageSink,
    private readonly rpcFailureThreshold: number,
  ) {
    this.lifecycleMachine = this.createLifecycle();
  }

  private createLifecycle(): MachineInstance {
    return createInstance(
      `${this.endpoint} lifecycle`,
      jobMasterLifecycleMachine,
      undefined,
      this.coverage,
    );
  }

  /** The process's lifecycle machine (for tests). */
  get lifecycle(): MachineInstance {
    return this.lifecycleMachine;
  }

  /** The current (or last) leadership's machines, if the process has led (for tests). */
  get leadership(): JobMasterLeadershipMachines | null {
    return this.current;
  }

  private feed(instance: MachineInstance, event: MachineEvent, index: number): void {
    feedInstance(instance, event, index, this.coverage);
  }

  private leadingId(): string | null {
    return contextOf(this.lifecycleMachine)['jobMasterId'] as string | null;
  }

  /** The slot's machine in the current leadership, created in `notInPool` when first named. */
  private slot(allocationId: string): MachineInstance {
    const leadership = this.current;
    if (leadership === null)
      throw new Error(`monitor: ${this.endpoint} names slot ${allocationId} before it ever led`);
    return instanceIn(
      leadership.slots,
      allocationId,
      `${this.endpoint} slot[${allocationId}]`,
      slotPoolSlotMachine,
      this.coverage,
    );
  }

  /** The slot request's machine in the current leadership, created in `notRequested` when first seen. */
  private request(slotRequestId: string): MachineInstance {
    const leadership = this.current;
    if (leadership === null)
      throw new Error(
        `monitor: ${this.endpoint} names request ${slotRequestId} before it ever led`,
      );
    return instanceIn(
      leadership.requests,
      slotRequestId,
      `${this.endpoint} slotRequest[${slotRequestId}]`,
      slotRequestMachine,
      this.coverage,
    );
  }

  /** The requests of the current leadership still in the Bridge, by the model. */
  private liveRequests(): MachineInstance[] {
    return [...(this.current?.requests.values() ?? [])].filter((m) =>
      LIVE_REQUEST.includes(stateName(m.snapshot)),
    );
  }

  /**
   * Feeds the RM-connection machine; when it enters or leaves CONNECTED, the requirement sending
   * is connected or disconnected with it (`DeclarativeSlotPoolService#connectToResourceManager`,
   * `#disconnectResourceManager`).
   */
  private feedRm(event: MachineEvent, index: number): void {
    const leadership = this.current;
    if (leadership === null) return;
    const before = stateName(leadership.rm.snapshot);
    this.feed(leadership.rm, event, index);
    const after = stateName(leadership.rm.snapshot);
    if (before !== 'connected' && after === 'connected')
      this.feed(leadership.declaration, { type: 'connect' }, index);
    else if (before === 'connected' && after !== 'connected')
      this.feed(leadership.declaration, { type: 'disconnect' }, index);
  }

  /** Replays one step; throws a ConformanceError on the first divergence. */
  observe(record: StepRecord<ClusterMessage, unknown>): void {
    const { outcome, index } = record;
    this.offer = null;
    this.rescaling = false;
    this.cause = null;
    this.failedOver = false;
    this.reservedInStep = [];
    let touched = false;
    if (outcome.kind === 'crashed' && outcome.endpoint === this.endpoint) {
      this.lifecycleMachine = this.createLifecycle();
      this.current = null;
      this.epoch += 1;
      this.asks.clear(); // answers to a crashed process's asks reach no one
      return; // the process and its state are gone
    } else if (outcome.kind === 'delivered' && outcome.envelope.to === this.endpoint) {
      touched = true;
      this.onDelivered(outcome.envelope, index);
    } else if (outcome.kind === 'askTimedOut' && outcome.ask.caller === this.endpoint) {
      touched = true;
      this.onAnswer(outcome.ask.askId, 'timedOut', index);
    } else if (outcome.kind === 'timerFired' && outcome.timer.endpoint === this.endpoint) {
      touched = true;
      this.onTimer(outcome.timer.name, outcome.timer.data, index);
    } else if (record.step.kind === 'client' && record.step.endpoint === this.endpoint) {
      touched = true;
      this.onClient(record.step.action, index);
    }
    this.decideOffers(record.effects, index);
    this.observePool('reserved', index);
    touched = this.observeEffects(record.effects, record.time, index) || touched;
    this.observePool('free', index);
    this.observeRequests(index);
    if (touched)
      compareJobMaster(index, this.implementation(), this.lifecycleMachine, this.current);
  }

  private onDelivered(envelope: Envelope<ClusterMessage>, index: number): void {
    switch (envelope.kind) {
      case 'reply':
        this.onAnswer(envelope.askId, envelope.msg, index);
        return;
      case 'unreachable':
        this.onAnswer(envelope.askId, 'unreachable', index);
        return;
      case 'tell':
      case 'ask':
        this.onInput(envelope.msg, envelope.kind === 'ask' ? envelope.askId : null, index);
        return;
    }
  }

  private onInput(msg: ClusterMessage, askId: number | null, index: number): void {
    if (msg.type === 'grantLeadership') {
      this.feed(
        this.lifecycleMachine,
        { type: msg.type, leaderSessionId: msg.leaderSessionId },
        index,
      );
      return;
    }
    if (msg.type === 'revokeLeadership') {
      this.feed(this.lifecycleMachine, { type: msg.type }, index);
      return;
    }
    const rm = this.leadingId() === null ? null : this.current?.rm;
    if (msg.type === 'notifyLeaderAddress') {
      // Only the RM's leader is retrieved by a JobMaster, and only while it leads.
      if (msg.jobId === null && rm !== undefined && rm !== null)
        this.feedRm({ type: msg.type, leaderSessionId: msg.leaderSessionId }, index);
      return;
    }
    // FencedRpcEndpoint: a call under another JobMasterId (or without leadership) is refused.
    if (!('fencingToken' in msg) || msg.fencingToken !== this.leadingId() || !rm) return;
    if (msg.type === 'disconnectResourceManager')
      this.feedRm({ type: msg.type, resourceManagerId: msg.resourceManagerId }, index);
    else if (msg.type === 'offerSlots' && askId !== null) {
      this.offer = { askId, offers: msg.offers };
      this.cause = 'deployment'; // the slots it fulfils requests with are deployed into
    } else if (msg.type === 'notifyNotEnoughResourcesAvailable') this.cause = 'notEnoughResources';
    else if (msg.type === 'failSlot') this.cause = 'failSlot';
    // A TaskExecutor disconnected, or registered again under a new session (the old one goes).
    else if (msg.type === 'disconnectTaskManager' || msg.type === 'registerTaskManager')
      this.cause = 'taskManagerLost';
  }

  /** An answer to one of the JobMaster's asks: a reply, `unreachable` or `timedOut`. */
  private onAnswer(
    askId: number,
    answer: ClusterMessage | 'unreachable' | 'timedOut',
    index: number,
  ): void {
    const info = this.asks.get(askId);
    if (info === undefined) return;
    this.asks.delete(askId);
    // The futures of a stopped JobMaster complete on a main thread that no longer runs.
    if (info.epoch !== this.epoch || this.current === null) return;
    if (info.kind === 'registerJobMaster') {
      this.feedRm(registrationAnswer(askId, answer), index);
      return;
    }
    if (info.kind === 'submitTask' || info.kind === 'taskManagerHeartbeat') {
      this.cause = info.kind === 'submitTask' ? 'deployment' : 'taskManagerLost';
      return;
    }
    if (info.kind === 'declareRequiredResources') {
      const acked =
        answer !== 'unreachable' && answer !== 'timedOut' && !answer.type.endsWith('.failed');
      this.feed(
        this.current.declaration,
        {
          type: acked ? 'declareRequiredResources.acked' : 'declareRequiredResources.failed',
          askId,
        },
        index,
      );
      return;
    }
    const event = heartbeatAnswer(answer);
    if (event !== null) this.feedRm({ type: event }, index);
  }

  private onTimer(name: string, data: unknown, index: number): void {
    const leadership = this.current;
    if (name === RESTART) {
      this.cause = 'restartTimer';
      this.feed(this.lifecycleMachine, { type: 'restartDelay.elapsed' }, index);
    } else if (name === BULK_CHECK) this.cause = 'bulkCheckTimer';
    else if (name.startsWith(TM_HEARTBEAT_TIMEOUT)) this.cause = 'taskManagerLost';
    else if (leadership === null) return;
    else if (name === RM_REGISTRATION_RETRY) this.feedRm({ type: 'registration.retry' }, index);
    else if (name.startsWith(RM_HEARTBEAT_TIMEOUT))
      this.feedRm(
        { type: 'heartbeat.timedOut', target: name.slice(RM_HEARTBEAT_TIMEOUT.length) },
        index,
      );
    else if (name === DECLARE_RETRY) {
      // The timer names the declaration it was armed for.
      const epoch = epochOf(data);
      if (epoch !== null)
        this.feed(leadership.declaration, { type: 'retryDelay.elapsed', epoch }, index);
    }
  }

  private onClient(instruction: unknown, index: number): void {
    const { kind, action } = instruction as { kind?: unknown; action?: JobClientAction };
    if (kind !== 'job' || action === undefined) return;
    const wasRunning = stateName(this.lifecycleMachine.snapshot) === 'running';
    if (action.kind === 'changeParallelism') {
      // A rescale of a running job cancels its round and arms the restart itself; that arming is
      // not a failover.
      this.rescaling = wasRunning;
      if (wasRunning) this.cause = 'rescale';
      this.feed(
        this.lifecycleMachine,
        { type: 'changeParallelism', parallelism: action.parallelism },
        index,
      );
    } else {
      const wasLeading = this.leadingId() !== null;
      this.feed(this.lifecycleMachine, { type: action.kind }, index);
      // A job that reaches FINISHED or CANCELED releases every request before the JobMaster stops.
      if (wasLeading && stateName(this.lifecycleMachine.snapshot) === 'terminated') {
        this.cause = 'jobEnd';
        for (const m of this.liveRequests()) this.release(m, index);
      }
    }
  }

  /** The answer to this step's `offerSlots` decides every offered slot, before anything else. */
  private decideOffers(effects: readonly AppliedEffect<ClusterMessage>[], index: number): void {
    const offer = this.offer;
    if (offer === null) return;
    for (const effect of effects) {
      if (effect.kind !== 'sent' || effect.envelope.kind !== 'reply') continue;
      if (effect.envelope.askId !== offer.askId) continue;
      const reply = effect.envelope.msg;
      if (reply.type !== 'offerSlots.accepted') return; // an unknown TaskExecutor: the pool saw nothing
      const accepted = new Set<string>(reply.offers.map((o) => o.allocationId));
      for (const o of offer.offers)
        this.feed(
          this.slot(o.allocationId),
          {
            type: accepted.has(o.allocationId)
              ? 'out.offerSlots.accepted'
              : 'out.offerSlots.rejected',
          },
          index,
        );
    }
  }

  /**
   * Whether the scheduler may release its requests in this step: it cancels its round on a rescale
   * or the end of the job, and on a failover (the restart armed in this step) after an input that
   * can fail a task.
   */
  private releasing(): boolean {
    const cause = this.cause;
    if (cause === null) return false;
    return cause === 'rescale' || cause === 'jobEnd' || this.failedOver;
  }

  /** The scheduler released the request (`releaseSlot`), if something in the step made it. */
  private release(m: MachineInstance, index: number): void {
    this.feed(m, this.releasing() ? { type: 'releaseSlot' } : UNCAUSED_RELEASE, index);
  }

  /**
   * The pool's reservations (`reserved`: free slots it now holds RESERVED) or give-backs (`free`:
   * reserved slots it now holds FREE), read from the implementation after the step. A slot is
   * given back only by the release of the request it was reserved for.
   */
  private observePool(now: 'reserved' | 'free', index: number): void {
    const leader = this.implementation()?.leader ?? null;
    if (leader === null || this.current === null) return;
    for (const slot of leader.slotPool.pool.slots) {
      if (slot.state !== (now === 'reserved' ? 'RESERVED' : 'FREE')) continue;
      const m = this.slot(slot.allocationId);
      const model = stateName(m.snapshot);
      if (now === 'reserved' && model !== 'reserved') {
        this.feed(m, { type: 'reserveFreeSlot' }, index);
        this.reservedInStep.push(slot.allocationId);
      }
      if (now === 'free' && model === 'reserved')
        this.feed(m, this.releasing() ? { type: 'freeReservedSlot' } : UNCAUSED_FREE, index);
    }
  }

  /**
   * The slot a request fulfilled in this step holds: one the pool reserved in this step, and no
   * other request's. The request's machine keeps it from now on.
   */
  private reservedFor(request: MachineInstance, allocationId: string, index: number): string {
    const i = this.reservedInStep.indexOf(allocationId);
    if (i < 0)
      throw new ConformanceError(
        `step ${index}: ${request.label} was fulfilled with slot ${allocationId}, which the pool did not reserve for it in this step`,
      );
    this.reservedInStep.splice(i, 1);
    return allocationId;
  }

  /**
   * The scheduler's slot requests, read from the Bridge after the step: new ones (pending, or
   * fulfilled with a free slot at once), pending ones now fulfilled, and those that left it.
   */
  private observeRequests(index: number): void {
    const leader = this.implementation()?.leader ?? null;
    if (leader === null || this.current === null) return; // the stop closed the pool
    const bridge = leader.slotPool;
    const pending = new Set(bridge.pendingRequests.map((r) => r.slotRequestId));
    const fulfilled = new Map(Object.entries(bridge.fulfilledRequests));
    for (const id of pending)
      if (!this.current.requests.has(id))
        this.feed(this.request(id), { type: 'requestNewAllocatedSlot' }, index);
    for (const [id, implementation] of fulfilled) {
      const known = this.current.requests.get(id);
      if (known !== undefined && stateName(known.snapshot) !== 'pending') continue;
      const m = known ?? this.request(id);
      const allocationId = this.reservedFor(m, implementation, index);
      this.feed(
        m,
        {
          type: known === undefined ? 'allocateAvailableSlot' : 'newSlotsAreAvailable',
          allocationId,
        },
        index,
      );
    }
    const unclaimed = this.reservedInStep[0];
    if (unclaimed !== undefined)
      throw new ConformanceError(
        `step ${index}: ${this.slot(unclaimed).label} was reserved in this step for no request fulfilled in it`,
      );
    for (const [id, m] of this.current.requests) {
      if (pending.has(id) || fulfilled.has(id) || !LIVE_REQUEST.includes(stateName(m.snapshot)))
        continue;
      if (stateName(m.snapshot) === 'pending' && this.cause === 'notEnoughResources')
        this.feed(m, { type: 'notifyNotEnoughResourcesAvailable' }, index);
      else this.release(m, index);
    }
  }

  /** The JobMaster's outputs, in order; returns whether it did anything. */
  private observeEffects(
    effects: readonly AppliedEffect<ClusterMessage>[],
    time: number,
    index: number,
  ): boolean {
    let touched = false;
    for (const effect of effects) {
      if (effect.kind === 'timerArmed' && effect.endpoint === this.endpoint) {
        touched = true;
        if (effect.name === DECLARE_RETRY && this.current !== null) {
          const epoch = epochOf(effect.data);
          if (epoch !== null)
            this.feed(
              this.current.declaration,
              { type: 'out.retryWithDelay', epoch, delayMs: effect.fireAt - time },
              index,
            );
        }
        if (effect.name !== RESTART) continue;
        if (this.rescaling) this.rescaling = false;
        else {
          this.feed(this.lifecycleMachine, { type: 'out.restartTasksWithDelay' }, index);
          this.failedOver = true;
        }
      }
      if (effect.kind !== 'sent' || effect.envelope.from !== this.endpoint) continue;
      touched = true;
      const envelope = effect.envelope;
      if (envelope.kind === 'ask') this.onAskSent(envelope.askId, envelope.msg, index);
      if (envelope.kind === 'tell') this.onTellSent(envelope.msg, index);
    }
    return touched;
  }

  private onAskSent(askId: number, msg: ClusterMessage, index: number): void {
    const leadership = this.current;
    switch (msg.type) {
      case 'registerJobMaster':
        this.asks.set(askId, { kind: 'registerJobMaster', epoch: this.epoch });
        this.feedRm(
          { type: 'out.registerJobMaster', askId, fencingToken: msg.fencingToken },
          index,
        );
        return;
      case 'heartbeatFromJobManager':
        // The answer to the RM's heartbeat request, or a request to a TaskExecutor (with its report).
        this.asks.set(askId, {
          kind: 'fencingToken' in msg ? 'rmHeartbeat' : 'taskManagerHeartbeat',
          epoch: this.epoch,
        });
        return;
      case 'declareRequiredResources':
        this.asks.set(askId, { kind: 'declareRequiredResources', epoch: this.epoch });
        if (leadership === null) return;
        this.feedRm(
          { type: 'out.declareRequiredResources', fencingToken: msg.fencingToken },
          index,
        );
        this.feed(leadership.declaration, { type: 'out.declareRequiredResources', askId }, index);
        return;
      case 'freeSlot':
        this.feed(this.slot(msg.allocationId), { type: 'out.freeSlot' }, index);
        // The slot left the pool: the payload of a request fulfilled with it is released.
        for (const m of this.liveRequests())
          if (contextOf(m)['allocationId'] === msg.allocationId)
            this.feed(m, { type: 'out.freeSlot', allocationId: msg.allocationId }, index);
        return;
      case 'submitTask':
        this.asks.set(askId, { kind: 'submitTask', epoch: this.epoch });
        this.feed(this.slot(msg.tdd.allocationId), { type: 'out.submitTask' }, index);
        return;
      default:
        return;
    }
  }

  private onTellSent(msg: ClusterMessage, index: number): void {
    if (msg.type === 'startLeaderRetrieval' && msg.jobId === null) {
      // startJobExecution: a new JobMaster, with a new RM connection and an empty pool.
      this.epoch += 1;
      this.current = {
        rm: createInstance(
          `${this.endpoint} rmConnection`,
          resourceManagerConnectionMachine,
          { rpcFailureThreshold: this.rpcFailureThreshold },
          this.coverage,
        ),
        declaration: createInstance(
          `${this.endpoint} requirementDeclaration`,
          requirementDeclarationMachine,
          undefined,
          this.coverage,
        ),
        slots: new Map(),
        requests: new Map(),
      };
    } else if (msg.type === 'stopLeaderRetrieval' && msg.jobId === null && this.current) {
      this.feedRm({ type: 'out.stopLeaderRetrieval' }, index);
      // stopJobMasterServices: the pool closes (its pending requests fail), then its sending.
      for (const m of this.liveRequests()) this.feed(m, { type: 'close' }, index);
      this.feed(this.current.declaration, { type: 'close' }, index);
      this.epoch += 1;
    } else if (msg.type === 'disconnectJobManager' && 'jobStatus' in msg && this.current) {
      this.feedRm({ type: 'out.disconnectJobManager', fencingToken: msg.fencingToken }, index);
    }
  }
}

function registrationAnswer(
  askId: number,
  answer: ClusterMessage | 'unreachable' | 'timedOut',
): MachineEvent {
  if (answer === 'timedOut') return { type: 'registerJobMaster.timedOut', askId };
  if (answer !== 'unreachable' && answer.type === 'registerJobMaster.succeeded')
    return {
      type: answer.type,
      askId,
      resourceManagerId: answer.resourceManagerId,
      resourceManagerResourceId: answer.resourceManagerResourceId,
    };
  if (answer !== 'unreachable' && answer.type === 'registerJobMaster.declined')
    return { type: answer.type, askId };
  return { type: 'registerJobMaster.failed', askId };
}

/**
 * A heartbeat answer as unreachable detection counts it: delivered, unreachable (the receiver was
 * down, or RecipientUnreachableException), or neither (a timeout or another failure).
 */
function heartbeatAnswer(
  answer: ClusterMessage | 'unreachable' | 'timedOut',
): 'heartbeat.delivered' | 'heartbeat.unreachable' | null {
  if (answer === 'unreachable') return 'heartbeat.unreachable';
  if (answer === 'timedOut') return null;
  if (!answer.type.endsWith('.failed')) return 'heartbeat.delivered';
  return 'exception' in answer && answer.exception === 'RecipientUnreachableException'
    ? 'heartbeat.unreachable'
    : null;
}

/** The declaration a retry timer names (`{ grant, epoch }`), if it names one. */
function epochOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const epoch = (data as Record<string, unknown>)['epoch'];
  return typeof epoch === 'number' ? epoch : null;
}
