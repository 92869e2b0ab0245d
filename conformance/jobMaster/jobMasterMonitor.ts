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
 * machine what changed, with the cause the step shows: the RM's `notifyNotEnoughResourcesAvailable`
 * fails pending requests, a job that reached FINISHED or CANCELED releases every request before the
 * JobMaster stops, and otherwise a request that left the Bridge was released by the scheduler
 * (`releaseSlot`). A `freeSlot` of a fulfilled request's slot releases its payload, and the
 * JobMaster's stop (`stopLeaderRetrieval`) closes the pool. The requirement sending is observed
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
  contextOf,
  createInstance,
  feedInstance,
  type CoverageSink,
  type MachineEvent,
  type MachineInstance,
} from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import { compareJobMaster, type JobMasterLeadershipMachines } from './jobMasterStates.js';

/** An ask of the JobMaster whose answer a machine takes, and the leadership that sent it. */
interface AskInfo {
  readonly kind: 'registerJobMaster' | 'rmHeartbeat' | 'declareRequiredResources';
  readonly epoch: number;
}

/** The JobMaster's timers the machines take (names as the implementation arms them). */
const RM_REGISTRATION_RETRY = 'resourceManagerRegistration/retry';
const RM_HEARTBEAT_TIMEOUT = 'resourceManagerHeartbeat/timeout/';
const RESTART = 'scheduler/restart';
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
  /** This step delivered the RM's `notifyNotEnoughResourcesAvailable` to the leader. */
  private notEnoughResources = false;

  constructor(
    private readonly endpoint: string,
    private readonly implementation: () => JobMasterState | null,
    private readonly coverage: CoverageSink,
    private readonly rpcFailureThreshold = 2,
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
    let m = leadership.slots.get(allocationId);
    if (m === undefined) {
      m = createInstance(
        `${this.endpoint} slot[${allocationId}]`,
        slotPoolSlotMachine,
        undefined,
        this.coverage,
      );
      leadership.slots.set(allocationId, m);
    }
    return m;
  }

  /** The slot request's machine in the current leadership, created in `notRequested` when first seen. */
  private request(slotRequestId: string): MachineInstance {
    const leadership = this.current;
    if (leadership === null)
      throw new Error(
        `monitor: ${this.endpoint} names request ${slotRequestId} before it ever led`,
      );
    let m = leadership.requests.get(slotRequestId);
    if (m === undefined) {
      m = createInstance(
        `${this.endpoint} slotRequest[${slotRequestId}]`,
        slotRequestMachine,
        undefined,
        this.coverage,
      );
      leadership.requests.set(slotRequestId, m);
    }
    return m;
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
    this.notEnoughResources = false;
    let touched = false;
    if (outcome.kind === 'crashed' && outcome.endpoint === this.endpoint) {
      this.lifecycleMachine = this.createLifecycle();
      this.current = null;
      this.epoch += 1;
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
    else if (msg.type === 'offerSlots' && askId !== null)
      this.offer = { askId, offers: msg.offers };
    else if (msg.type === 'notifyNotEnoughResourcesAvailable') this.notEnoughResources = true;
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
    if (name === RESTART) this.feed(this.lifecycleMachine, { type: 'restartDelay.elapsed' }, index);
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
      // A rescale of a running job arms the restart itself; that arming is not a failover.
      this.rescaling = wasRunning;
      this.feed(
        this.lifecycleMachine,
        { type: 'changeParallelism', parallelism: action.parallelism },
        index,
      );
    } else {
      const wasLeading = this.leadingId() !== null;
      this.feed(this.lifecycleMachine, { type: action.kind }, index);
      // A job that reaches FINISHED or CANCELED releases every request before the JobMaster stops.
      if (wasLeading && stateName(this.lifecycleMachine.snapshot) === 'terminated')
        for (const m of this.liveRequests()) this.feed(m, { type: 'releaseSlot' }, index);
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
   * The pool's reservations (`reserved`: free slots it now holds RESERVED) or give-backs (`free`:
   * reserved slots it now holds FREE), read from the implementation after the step.
   */
  private observePool(now: 'reserved' | 'free', index: number): void {
    const leader = this.implementation()?.leader ?? null;
    if (leader === null || this.current === null) return;
    for (const slot of leader.slotPool.pool.slots) {
      if (slot.state !== (now === 'reserved' ? 'RESERVED' : 'FREE')) continue;
      const m = this.slot(slot.allocationId);
      const model = stateName(m.snapshot);
      if (now === 'reserved' && model !== 'reserved')
        this.feed(m, { type: 'reserveFreeSlot' }, index);
      if (now === 'free' && model === 'reserved') this.feed(m, { type: 'freeReservedSlot' }, index);
    }
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
    for (const [id, allocationId] of fulfilled) {
      const m = this.current.requests.get(id);
      if (m === undefined)
        this.feed(this.request(id), { type: 'allocateAvailableSlot', allocationId }, index);
      else if (stateName(m.snapshot) === 'pending')
        this.feed(m, { type: 'newSlotsAreAvailable', allocationId }, index);
    }
    for (const [id, m] of this.current.requests) {
      if (pending.has(id) || fulfilled.has(id) || !LIVE_REQUEST.includes(stateName(m.snapshot)))
        continue;
      const pendingBefore = stateName(m.snapshot) === 'pending';
      this.feed(
        m,
        {
          type:
            pendingBefore && this.notEnoughResources
              ? 'notifyNotEnoughResourcesAvailable'
              : 'releaseSlot',
        },
        index,
      );
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
        else this.feed(this.lifecycleMachine, { type: 'out.restartTasksWithDelay' }, index);
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
        // The answer to the RM's heartbeat request (the one to a TaskExecutor carries a report).
        if ('fencingToken' in msg) this.asks.set(askId, { kind: 'rmHeartbeat', epoch: this.epoch });
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
