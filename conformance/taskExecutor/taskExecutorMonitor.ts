/**
 * The conformance monitor of TaskExecutors: runs each TaskExecutor's machines beside the
 * implementation. Every step the simulator takes is read from its record: what reached a
 * TaskExecutor (a message, an answer, a timer, a crash) and what it sent are replayed into its
 * machines as events, and after the step each machine's state must equal the state the
 * implementation is in. Either failing is a ConformanceError naming the component, the state and
 * the event.
 *
 * The monitor reads the implementation only to compare states after a step; the machines decide
 * their transitions on their own.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { AppliedEffect, StepRecord } from '../../impl/sim/record.js';
import type { Envelope } from '../../impl/sim/world.js';
import type { TaskExecutorState } from '../../impl/taskexecutor/taskExecutorState.js';
import { expectState } from '../machineInstance.js';
import { stateName } from '../machineStepper.js';
import {
  ConformanceError,
  context,
  TaskExecutorMachines,
  type CoverageSink,
  type MachineEvent,
} from './teMachines.js';

export interface MonitoredTaskExecutor {
  readonly numberOfSlots: number;
  readonly rpcFailureThreshold: number;
}

/** What the monitor remembers of an ask sent by or to a TaskExecutor. */
interface AskInfo {
  readonly request: ClusterMessage;
  readonly caller: string;
}

export class TaskExecutorMonitor {
  private readonly machines = new Map<string, TaskExecutorMachines>();
  private readonly asks = new Map<number, AskInfo>();

  constructor(
    private readonly taskExecutors: ReadonlyMap<string, MonitoredTaskExecutor>,
    private readonly implementation: (endpoint: string) => TaskExecutorState | null,
    private readonly coverage: CoverageSink,
  ) {
    for (const endpoint of taskExecutors.keys()) this.reset(endpoint);
  }

  /** The machines of a TaskExecutor (fresh after each restart). */
  machinesOf(endpoint: string): TaskExecutorMachines {
    const found = this.machines.get(endpoint);
    if (found === undefined)
      throw new Error(`monitor: ${endpoint} is not a monitored TaskExecutor`);
    return found;
  }

  private reset(endpoint: string): void {
    const te = this.taskExecutors.get(endpoint);
    if (te === undefined) return;
    // A process that went down waits for none of its asks any more.
    for (const [askId, info] of this.asks) if (info.caller === endpoint) this.asks.delete(askId);
    this.machines.set(
      endpoint,
      new TaskExecutorMachines(endpoint, te.numberOfSlots, te.rpcFailureThreshold, this.coverage),
    );
  }

  /** Replays the effects of the processes' first start. */
  observeStart(effects: readonly AppliedEffect<ClusterMessage>[]): void {
    this.observeEffects(effects, 0);
    this.compareAll(0);
  }

  /** Replays one step; throws a ConformanceError on the first divergence. */
  observe(record: StepRecord<ClusterMessage, unknown>): void {
    const touched = new Set<string>();
    const { outcome } = record;
    switch (outcome.kind) {
      case 'delivered':
        this.onDelivered(outcome.envelope, record.index, touched);
        break;
      case 'askTimedOut':
        if (this.machines.has(outcome.ask.caller)) {
          touched.add(outcome.ask.caller);
          this.onAnswer(
            outcome.ask.caller,
            outcome.ask.askId,
            { type: `${outcome.ask.request.type}.timedOut` },
            record.index,
          );
        }
        break;
      case 'timerFired':
        if (this.machines.has(outcome.timer.endpoint)) {
          touched.add(outcome.timer.endpoint);
          this.onTimer(outcome.timer.endpoint, outcome.timer.name, record.index);
        }
        break;
      case 'crashed':
        this.reset(outcome.endpoint);
        break;
      case 'restarted':
        this.reset(outcome.endpoint);
        touched.add(outcome.endpoint);
        break;
      case 'discarded':
      case 'lateReply':
      case 'dropped':
      case 'duplicated':
      case 'delayed':
      case 'partitioned':
      case 'healed':
      case 'clientActed':
        this.onClientStep(record, touched);
        break;
    }
    for (const endpoint of this.observeEffects(record.effects, record.index)) touched.add(endpoint);
    for (const endpoint of touched) this.compare(endpoint, record.index);
  }

  /** A client step at a TaskExecutor: one of its tasks finished. */
  private onClientStep(record: StepRecord<ClusterMessage, unknown>, touched: Set<string>): void {
    const { step } = record;
    if (step.kind !== 'client' || !this.machines.has(step.endpoint)) return;
    const action = step.action as { kind?: unknown; attempt?: unknown };
    if (action.kind !== 'taskFinished' || typeof action.attempt !== 'string') return;
    touched.add(step.endpoint);
    const attempt = action.attempt;
    const m = this.machinesOf(step.endpoint);
    const slot = m.slots.find((s) => (context(s)['tasks'] as string[]).includes(attempt));
    if (slot !== undefined) m.feed(slot, { type: 'taskTerminated', attempt }, record.index);
  }

  private onDelivered(
    envelope: Envelope<ClusterMessage>,
    index: number,
    touched: Set<string>,
  ): void {
    if (!this.machines.has(envelope.to)) return;
    touched.add(envelope.to);
    switch (envelope.kind) {
      case 'tell':
      case 'ask':
        // Only the TaskExecutor's own asks are remembered (for their answers): keeping the asks it
        // receives would grow with the run.
        this.onMessage(envelope.to, envelope.msg, index);
        return;
      case 'reply':
        this.onAnswer(envelope.to, envelope.askId, envelope.msg, index);
        return;
      case 'unreachable': {
        const info = this.asks.get(envelope.askId);
        if (info === undefined) return;
        this.onAnswer(
          envelope.to,
          envelope.askId,
          { type: `${info.request.type}.failed`, exception: 'RecipientUnreachableException' },
          index,
        );
        return;
      }
    }
  }

  /** A message of the TaskExecutor's gateway, or a leader notification. */
  private onMessage(endpoint: string, msg: ClusterMessage, index: number): void {
    const m = this.machinesOf(endpoint);
    switch (msg.type) {
      case 'notifyLeaderAddress':
        if (msg.jobId === null)
          m.feed(
            m.rm,
            { type: 'notifyLeaderAddress', leaderSessionId: msg.leaderSessionId },
            index,
          );
        else
          this.feedJob(
            m,
            msg.jobId,
            { type: 'notifyLeaderAddress', leaderSessionId: msg.leaderSessionId },
            index,
          );
        return;
      case 'requestSlot': {
        const slot = msg.slotId.slotNumber;
        if (!m.inStaticRange(slot)) return; // dynamic slots are not modelled by the DSM machines
        const rm = context(m.rm);
        const rmLeaderId =
          stateName(m.rm.snapshot) === 'connected' ? (rm['leaderId'] as string | null) : null;
        m.feed(
          m.slots[slot]!,
          {
            type: 'requestSlot',
            allocationId: msg.allocationId,
            jobId: msg.jobId,
            resourceManagerId: msg.resourceManagerId,
            rmLeaderId,
          },
          index,
        );
        return;
      }
      case 'freeSlot': {
        const slot = m.slotWithAllocation(msg.allocationId);
        if (slot !== undefined)
          m.feed(slot, { type: 'freeSlot', allocationId: msg.allocationId }, index);
        return;
      }
      case 'freeInactiveSlots':
        for (const slot of m.slotsOfJob(msg.jobId))
          m.feed(slot, { type: 'freeInactiveSlots', jobId: msg.jobId }, index);
        return;
      case 'heartbeatFromJobManager': {
        if (!('allocatedSlotReport' in msg)) return;
        const job = m.jobs.get(msg.allocatedSlotReport.jobId);
        if (
          job === undefined ||
          stateName(job.snapshot) !== 'connected' ||
          context(job)['jobMasterResourceId'] !== msg.resourceId
        )
          return;
        const reported = new Set<string>(
          msg.allocatedSlotReport.allocatedSlotInfos.map((i) => i.allocationId),
        );
        for (const slot of m.slotsOfJob(msg.allocatedSlotReport.jobId)) {
          m.feed(
            slot,
            {
              type: 'heartbeatFromJobManager',
              reported: reported.has(context(slot)['allocationId'] as string),
            },
            index,
          );
        }
        return;
      }
      case 'disconnectJobManager':
        if ('jobStatus' in msg) return;
        this.feedJob(m, msg.jobId, { type: 'disconnectJobManager' }, index);
        return;
      case 'disconnectResourceManager':
        if ('fencingToken' in msg) return;
        m.feed(m.rm, { type: 'disconnectResourceManager' }, index);
        return;
      case 'submitTask': {
        const slot = m.slotWithAllocation(msg.tdd.allocationId);
        if (slot === undefined) return;
        const job = m.jobs.get(msg.tdd.jobId);
        const fromConnectedLeader =
          job !== undefined &&
          stateName(job.snapshot) === 'connected' &&
          context(job)['connectedLeaderId'] === msg.jobMasterId;
        m.feed(
          slot,
          {
            type: 'submitTask',
            allocationId: msg.tdd.allocationId,
            jobId: msg.tdd.jobId,
            attempt: msg.tdd.executionAttemptId,
            fromConnectedLeader,
          },
          index,
        );
        return;
      }
      default:
        return; // heartbeats from the RM and canBeReleased change no lifecycle
    }
  }

  /** An answer (or failure, or timeout) to an ask the TaskExecutor sent. */
  private onAnswer(
    endpoint: string,
    askId: number,
    answer: { type: string; [k: string]: unknown },
    index: number,
  ): void {
    const info = this.asks.get(askId);
    if (info === undefined || info.caller !== endpoint) return;
    this.asks.delete(askId);
    const m = this.machinesOf(endpoint);
    const request = info.request;
    const unreachable =
      answer.type.endsWith('.failed') && answer['exception'] === 'RecipientUnreachableException';
    switch (request.type) {
      case 'registerTaskExecutor':
      case 'sendSlotReport':
        m.feed(m.rm, { ...answer, askId }, index);
        return;
      case 'registerTaskManager':
        this.feedJob(m, request.jobId, { ...answer, askId }, index);
        return;
      case 'heartbeatFromTaskManager': {
        const event = answer.type.endsWith('.acked')
          ? 'heartbeat.delivered'
          : unreachable
            ? 'heartbeat.unreachable'
            : null;
        if (event === null) return;
        if ('slotReport' in request.heartbeatPayload) m.feed(m.rm, { type: event }, index);
        else
          for (const [jobId, job] of [...m.jobs])
            if (context(job)['connectedLeaderId'] === request.fencingToken)
              this.feedJob(m, jobId, { type: event }, index);
        return;
      }
      case 'offerSlots':
        this.onOfferAnswer(m, askId, request, answer, index);
        return;
      default:
        return;
    }
  }

  private onOfferAnswer(
    m: TaskExecutorMachines,
    askId: number,
    request: Extract<ClusterMessage, { type: 'offerSlots' }>,
    answer: { type: string; [k: string]: unknown },
    index: number,
  ): void {
    const offered = request.offers.map((o) => o.allocationId);
    const jobId = offered
      .map((a) => context(m.slotWithAllocation(a) ?? m.slots[0]!)['jobId'] as string | null)
      .find((j) => j !== null);
    if (jobId === undefined) return; // every offered slot is gone: nothing can change
    const job = m.jobs.get(jobId);
    if (job === undefined || context(job)['offerAskId'] !== askId) return; // an older offer: discarded
    if (answer.type === 'offerSlots.timedOut') return; // re-offered (an output)
    if (answer.type === 'offerSlots.accepted') {
      if (
        stateName(job.snapshot) !== 'connected' ||
        context(job)['connectedLeaderId'] !== request.fencingToken
      )
        return;
      const accepted = new Set<string>(
        (answer['offers'] as { allocationId: string }[]).map((o) => o.allocationId),
      );
      for (const allocationId of offered) {
        const slot = m.slotWithAllocation(allocationId);
        if (slot !== undefined)
          m.feed(
            slot,
            { type: 'offerSlots.accepted', accepted: accepted.has(allocationId) },
            index,
          );
      }
      return;
    }
    for (const allocationId of offered) {
      const slot = m.slotWithAllocation(allocationId);
      if (slot !== undefined) m.feed(slot, { type: 'offerSlots.failed' }, index);
    }
  }

  private onTimer(endpoint: string, name: string, index: number): void {
    const m = this.machinesOf(endpoint);
    if (name === 'registrationTimeout') return m.feed(m.rm, { type: 'registrationTimeout' }, index);
    if (name === 'resourceManagerRegistration/retry')
      return m.feed(m.rm, { type: 'registration.retry' }, index);
    const [kind, rest] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
    switch (kind) {
      case 'slotTimeout': {
        const slot = m.slotWithAllocation(rest);
        if (slot !== undefined) m.feed(slot, { type: 'slotTimeout', allocationId: rest }, index);
        return;
      }
      case 'taskTermination': {
        const slot = m.slots.find((s) => (context(s)['tasks'] as string[]).includes(rest));
        if (slot !== undefined) m.feed(slot, { type: 'taskTerminated', attempt: rest }, index);
        return;
      }
      case 'resourceManagerHeartbeat':
        return m.feed(
          m.rm,
          { type: 'heartbeat.timedOut', target: rest.replace(/^timeout\//, '') },
          index,
        );
      case 'jobManagerHeartbeat': {
        const target = rest.replace(/^timeout\//, '');
        for (const [jobId, job] of [...m.jobs]) {
          if (
            stateName(job.snapshot) === 'connected' &&
            context(job)['jobMasterResourceId'] === target
          ) {
            this.feedJob(m, jobId, { type: 'heartbeat.timedOut', target }, index);
          }
        }
        return;
      }
      case 'jobManagerRegistration':
        return this.feedJob(m, rest.replace(/\/retry$/, ''), { type: 'registration.retry' }, index);
      default:
        throw new ConformanceError(
          `step ${index}: ${endpoint} fired timer ${name}, which no machine models`,
        );
    }
  }

  /** The TaskExecutors' outputs; returns the endpoints they came from. */
  private observeEffects(
    effects: readonly AppliedEffect<ClusterMessage>[],
    index: number,
  ): Set<string> {
    const touched = new Set<string>();
    for (const effect of effects) {
      if (
        (effect.kind === 'processStarted' || effect.kind === 'processStopped') &&
        this.machines.has(effect.endpoint)
      ) {
        // A resource provider started or stopped the TaskExecutor: its machines start over.
        this.reset(effect.endpoint);
        touched.add(effect.endpoint);
        continue;
      }
      if (effect.kind === 'terminated' && this.machines.has(effect.endpoint)) {
        const rm = this.machinesOf(effect.endpoint).rm;
        if (stateName(rm.snapshot) !== 'terminated') {
          throw new ConformanceError(
            `step ${index}: ${effect.endpoint} terminated while ${rm.label} is ${stateName(rm.snapshot)}`,
          );
        }
        this.reset(effect.endpoint);
        continue;
      }
      if (effect.kind !== 'sent' || !this.machines.has(effect.envelope.from)) continue;
      const envelope = effect.envelope;
      touched.add(envelope.from);
      if (envelope.kind === 'ask')
        this.asks.set(envelope.askId, { request: envelope.msg, caller: envelope.from });
      if (envelope.kind === 'tell' || envelope.kind === 'ask')
        this.onOutput(envelope.from, envelope, index);
    }
    return touched;
  }

  private onOutput(endpoint: string, envelope: Envelope<ClusterMessage>, index: number): void {
    if (envelope.kind !== 'tell' && envelope.kind !== 'ask') return;
    const m = this.machinesOf(endpoint);
    const msg = envelope.msg;
    const askId = envelope.kind === 'ask' ? envelope.askId : -1;
    switch (msg.type) {
      case 'registerTaskExecutor':
        return m.feed(
          m.rm,
          { type: 'out.registerTaskExecutor', askId, fencingToken: msg.fencingToken },
          index,
        );
      case 'startLeaderRetrieval':
        if (msg.jobId !== null)
          this.feedJob(m, msg.jobId, { type: 'out.startLeaderRetrieval' }, index);
        return;
      case 'stopLeaderRetrieval':
        if (msg.jobId !== null)
          this.feedJob(m, msg.jobId, { type: 'out.stopLeaderRetrieval' }, index);
        return;
      case 'registerTaskManager':
        return this.feedJob(
          m,
          msg.jobId,
          { type: 'out.registerTaskManager', askId, fencingToken: msg.fencingToken },
          index,
        );
      case 'offerSlots': {
        const jobId = msg.offers
          .map(
            (o) =>
              context(m.slotWithAllocation(o.allocationId) ?? m.slots[0]!)['jobId'] as
                string | null,
          )
          .find((j) => j !== null);
        if (jobId === undefined)
          throw new ConformanceError(
            `step ${index}: ${endpoint} offered slots no machine holds: ${JSON.stringify(msg.offers)}`,
          );
        return this.feedJob(
          m,
          jobId,
          { type: 'out.offerSlots', askId, fencingToken: msg.fencingToken, offers: msg.offers },
          index,
        );
      }
      default:
        return;
    }
  }

  /**
   * Feeds a job's machine and turns its lifecycle changes into events for the job's slots: a
   * closed connection (`jobDisconnected`) or a rejected registration (`jobReleased`).
   */
  private feedJob(
    m: TaskExecutorMachines,
    jobId: string,
    event: MachineEvent,
    index: number,
  ): void {
    const job = m.job(jobId);
    const before = stateName(job.snapshot);
    const leaderBefore = context(job)['connectedLeaderId'];
    m.feed(job, event, index);
    const after = stateName(job.snapshot);
    const disconnected =
      before === 'connected' &&
      (after !== 'connected' || context(job)['connectedLeaderId'] !== leaderBefore);
    if (after === 'released')
      for (const slot of m.slotsOfJob(jobId)) m.feed(slot, { type: 'jobReleased' }, index);
    else if (disconnected && after !== 'noJob')
      for (const slot of m.slotsOfJob(jobId)) m.feed(slot, { type: 'jobDisconnected' }, index);
  }

  private compareAll(index: number): void {
    for (const endpoint of this.machines.keys()) this.compare(endpoint, index);
  }

  /** After a step, every machine of the TaskExecutor must be in the state the implementation is in. */
  private compare(endpoint: string, index: number): void {
    const impl = this.implementation(endpoint);
    if (impl === null) return; // down: its machines were reset
    const m = this.machinesOf(endpoint);
    const rmImpl =
      impl.establishedResourceManagerConnection !== null
        ? 'connected'
        : impl.resourceManagerConnection !== null
          ? 'registering'
          : 'noResourceManager';
    expectState(index, m.rm.label, stateName(m.rm.snapshot), rmImpl);
    const jobIds = new Set<string>([...m.jobs.keys(), ...impl.jobs.map((j) => j.jobId)]);
    for (const jobId of jobIds) {
      const entry = impl.jobs.find((j) => j.jobId === jobId);
      const expected =
        entry === undefined ? 'noJob' : entry.connection !== null ? 'connected' : 'job';
      const job = m.job(jobId);
      expectState(index, job.label, stateName(job.snapshot), expected);
    }
    m.slots.forEach((slot, i) => {
      const implSlot = impl.taskSlotTable.slots.find((s) => s.index === i);
      const expected =
        implSlot === undefined
          ? 'free:null'
          : `${implSlot.state.toLowerCase()}:${implSlot.allocationId}`;
      expectState(
        index,
        slot.label,
        `${stateName(slot.snapshot)}:${String(context(slot)['allocationId'])}`,
        expected,
      );
    });
  }
}
