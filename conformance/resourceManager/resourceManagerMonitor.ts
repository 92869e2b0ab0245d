/**
 * The conformance monitor of the ResourceManager: its leadership, the registration of each
 * TaskExecutor and of each job's JobMaster, and every slot at the slot manager run as machines
 * beside the implementation. Each step's record is read: what reached the RM and what it sent
 * become machine events; after the step every machine must be in the state the implementation is
 * in. A new leadership starts every machine but the leadership's afresh, as the RM does.
 */
import { jobMasterRegistrationMachine } from '../../machines/resourceManager/jobMasterRegistration.machine.js';
import { leadershipMachine } from '../../machines/resourceManager/leadership.machine.js';
import { slotManagerSlotMachine } from '../../machines/resourceManager/slotManagerSlot.machine.js';
import { taskExecutorRegistrationMachine } from '../../machines/resourceManager/taskExecutorRegistration.machine.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import type { ResourceManagerState } from '../../impl/resourcemanager/resourceManagerState.js';
import type { AppliedEffect, StepRecord } from '../../impl/sim/record.js';
import type { Envelope } from '../../impl/sim/world.js';
import type { SlotReport } from '../../protocol/values.js';
import {
  contextOf,
  createInstance,
  expectState,
  feedInstance,
  instanceIn,
  type CoverageSink,
  type MachineEvent,
  type MachineInstance,
} from '../machineInstance.js';
import { stateName } from '../machineStepper.js';

/** What the monitor remembers of an ask the RM sent or answers. */
type AskInfo =
  | { readonly kind: 'requestSlot'; readonly epoch: number; readonly slotKey: string }
  | { readonly kind: 'registerTaskExecutor'; readonly resourceId: string }
  | { readonly kind: 'registerJobMaster'; readonly jobId: string; readonly jobMasterId: string }
  | { readonly kind: 'initialize'; readonly grant: number };

/** What `onAnswer` gets for an ask that timed out or found its receiver down. */
const ASK_FAILED = 'askFailed';

export class ResourceManagerMonitor {
  private leadership: MachineInstance;
  private epoch = 0;
  private readonly taskExecutors = new Map<string, MachineInstance>();
  /** TaskExecutor addresses by ResourceID, from their registrations. */
  private readonly addresses = new Map<string, string>();
  private readonly slots = new Map<string, MachineInstance>();
  private readonly jobs = new Map<string, MachineInstance>();
  private readonly asks = new Map<number, AskInfo>();

  constructor(
    private readonly endpoint: string,
    private readonly implementation: () => ResourceManagerState | null,
    private readonly coverage: CoverageSink,
    private readonly active = false,
  ) {
    this.leadership = createInstance(
      `${endpoint} leadership`,
      leadershipMachine,
      { active },
      coverage,
    );
  }

  private feed(instance: MachineInstance, event: MachineEvent, index: number): void {
    feedInstance(instance, event, index, this.coverage);
  }

  private startOver(): void {
    this.epoch += 1;
    this.taskExecutors.clear();
    this.slots.clear();
    this.jobs.clear();
  }

  private taskExecutor(resourceId: string): MachineInstance {
    return instanceIn(
      this.taskExecutors,
      resourceId,
      `${this.endpoint} taskExecutor[${resourceId}]`,
      taskExecutorRegistrationMachine,
      this.coverage,
    );
  }

  private slot(key: string): MachineInstance {
    return instanceIn(
      this.slots,
      key,
      `${this.endpoint} slot[${key}]`,
      slotManagerSlotMachine,
      this.coverage,
    );
  }

  private job(jobId: string): MachineInstance {
    return instanceIn(
      this.jobs,
      jobId,
      `${this.endpoint} jobMaster[${jobId}]`,
      jobMasterRegistrationMachine,
      this.coverage,
    );
  }

  /** The machine of a slot, if the monitor has one (for tests). */
  slotMachine(key: string): MachineInstance | undefined {
    return this.slots.get(key);
  }

  private leading(): string | null {
    return contextOf(this.leadership)['resourceManagerId'] as string | null;
  }

  /** Replays one step; throws a ConformanceError on the first divergence. */
  observe(record: StepRecord<ClusterMessage, unknown>): void {
    const { outcome } = record;
    let touched = false;
    if (outcome.kind === 'delivered' && outcome.envelope.to === this.endpoint) {
      touched = true;
      this.onDelivered(outcome.envelope, record.index);
    } else if (outcome.kind === 'askTimedOut' && outcome.ask.caller === this.endpoint) {
      touched = true;
      this.onAnswer(outcome.ask.askId, ASK_FAILED, null, record.index);
    } else if (outcome.kind === 'crashed' && outcome.endpoint === this.endpoint) {
      this.leadership = createInstance(
        `${this.endpoint} leadership`,
        leadershipMachine,
        { active: this.active },
        this.coverage,
      );
      this.startOver();
    } else if (outcome.kind === 'timerFired' && outcome.timer.endpoint === this.endpoint) {
      touched = true;
    }
    touched = this.observeEffects(record.effects, record.index) || touched;
    if (touched) this.compare(record.index);
  }

  private onDelivered(envelope: Envelope<ClusterMessage>, index: number): void {
    switch (envelope.kind) {
      case 'reply':
        this.onAnswer(envelope.askId, envelope.msg.type, envelope.msg, index);
        return;
      case 'unreachable':
        this.onAnswer(envelope.askId, ASK_FAILED, null, index);
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
        this.leadership,
        { type: 'grantLeadership', leaderSessionId: msg.leaderSessionId },
        index,
      );
      this.startOver();
      return;
    }
    if (msg.type === 'revokeLeadership') {
      this.feed(this.leadership, { type: 'revokeLeadership' }, index);
      this.startOver();
      return;
    }
    if (msg.type === 'notifyLeaderAddress') {
      if (msg.jobId !== null && this.jobs.has(msg.jobId))
        this.feed(
          this.job(msg.jobId),
          { type: 'notifyLeaderAddress', leaderSessionId: msg.leaderSessionId },
          index,
        );
      return;
    }
    // Fenced calls under another token (or without leadership) change nothing.
    if (!('fencingToken' in msg) || msg.fencingToken !== this.leading()) return;
    switch (msg.type) {
      case 'registerTaskExecutor':
        if (askId !== null)
          this.asks.set(askId, {
            kind: 'registerTaskExecutor',
            resourceId: msg.registration.resourceId,
          });
        this.addresses.set(msg.registration.resourceId, msg.registration.taskExecutorAddress);
        return;
      case 'registerJobMaster':
        if (askId !== null)
          this.asks.set(askId, {
            kind: 'registerJobMaster',
            jobId: msg.jobId,
            jobMasterId: msg.jobMasterId,
          });
        this.job(msg.jobId); // the job joins the job leader id service
        return;
      case 'sendSlotReport':
        this.onSlotReport(msg.resourceId, msg.instanceId, msg.slotReport, 'initial', index);
        return;
      case 'heartbeatFromTaskManager':
        if ('slotReport' in msg.heartbeatPayload)
          this.onSlotReport(
            msg.resourceId,
            null,
            msg.heartbeatPayload.slotReport,
            'heartbeat',
            index,
          );
        return;
      case 'notifySlotAvailable': {
        const te = this.taskExecutors.get(msg.slotId.resourceId);
        const slot = this.slots.get(`${msg.slotId.resourceId}#${msg.slotId.slotNumber}`);
        if (
          te === undefined ||
          contextOf(te)['instanceId'] !== msg.instanceId ||
          slot === undefined
        )
          return;
        if (stateName(slot.snapshot) !== 'untracked')
          this.feed(slot, { type: 'notifySlotAvailable' }, index);
        return;
      }
      default:
        return;
    }
  }

  private onSlotReport(
    resourceId: string,
    instanceId: string | null,
    report: SlotReport,
    kind: 'initial' | 'heartbeat',
    index: number,
  ): void {
    const te = this.taskExecutors.get(resourceId);
    if (te === undefined || stateName(te.snapshot) !== 'registered') {
      if (kind === 'initial')
        this.feed(
          this.taskExecutor(resourceId),
          { type: 'sendSlotReport', instanceId: instanceId ?? '' },
          index,
        );
      return;
    }
    const first = contextOf(te)['slotsRegistered'] !== true;
    if (kind === 'initial') {
      this.feed(te, { type: 'sendSlotReport', instanceId: instanceId ?? '' }, index);
      if (contextOf(te)['instanceId'] !== instanceId) return;
    } else if (first) {
      return; // a heartbeat before the first report: the slot manager does not know the TE yet
    }
    for (const status of report) {
      const key = `${status.slotId.resourceId}#${status.slotId.slotNumber}`;
      this.feed(
        this.slot(key),
        first && kind === 'initial'
          ? { type: 'registered', jobId: status.jobId }
          : { type: 'reported', jobId: status.jobId },
        index,
      );
    }
  }

  /** An answer to one of the RM's asks: a reply's type, or `ASK_FAILED`. */
  private onAnswer(askId: number, type: string, reply: ClusterMessage | null, index: number): void {
    const info = this.asks.get(askId);
    if (info?.kind === 'initialize') {
      this.asks.delete(askId);
      this.feed(
        this.leadership,
        {
          type: type === 'initialize.recovered' ? type : 'initialize.failed',
          grant: info.grant,
        },
        index,
      );
      if (type === 'initialize.recovered' && info.grant === contextOf(this.leadership)['grants'])
        this.startOver();
      return;
    }
    if (info === undefined || info.kind !== 'requestSlot') return;
    this.asks.delete(askId);
    if (info.epoch !== this.epoch) return; // an answer to an earlier leadership's request
    const slot = this.slots.get(info.slotKey);
    if (slot === undefined) return;
    const allocationId = this.requestAllocation.get(askId) ?? '';
    this.requestAllocation.delete(askId);
    const event: MachineEvent =
      type === 'requestSlot.acked'
        ? { type, allocationId }
        : type === 'requestSlot.occupied' && reply !== null && reply.type === 'requestSlot.occupied'
          ? { type, allocationId, jobId: reply.jobId }
          : { type: 'requestSlot.failed', allocationId };
    this.feed(slot, event, index);
  }

  private readonly requestAllocation = new Map<number, string>();

  /** The RM's outputs; returns whether it sent anything. */
  private observeEffects(
    effects: readonly AppliedEffect<ClusterMessage>[],
    index: number,
  ): boolean {
    let touched = false;
    for (const effect of effects) {
      if (effect.kind !== 'sent' || effect.envelope.from !== this.endpoint) continue;
      touched = true;
      const envelope = effect.envelope;
      if (envelope.kind === 'reply') this.onReplySent(envelope.askId, envelope.msg, index);
      if (envelope.kind === 'ask' && envelope.msg.type === 'initialize')
        this.asks.set(envelope.askId, {
          kind: 'initialize',
          grant: contextOf(this.leadership)['grants'] as number,
        });
      if (envelope.kind === 'ask' && envelope.msg.type === 'requestSlot') {
        const key = `${envelope.msg.slotId.resourceId}#${envelope.msg.slotId.slotNumber}`;
        this.asks.set(envelope.askId, { kind: 'requestSlot', epoch: this.epoch, slotKey: key });
        this.requestAllocation.set(envelope.askId, envelope.msg.allocationId);
        this.feed(
          this.slot(key),
          {
            type: 'out.requestSlot',
            jobId: envelope.msg.jobId,
            allocationId: envelope.msg.allocationId,
          },
          index,
        );
      }
      if (envelope.kind === 'tell' && envelope.msg.type === 'disconnectResourceManager')
        this.onDisconnectSent(envelope, index);
    }
    return touched;
  }

  private onReplySent(askId: number, msg: ClusterMessage, index: number): void {
    const info = this.asks.get(askId);
    if (info === undefined) return;
    if (info.kind === 'registerTaskExecutor' && msg.type === 'registerTaskExecutor.rejected') {
      // The old registration of the ResourceID (if any) was dropped before the worker check.
      this.asks.delete(askId);
      const te = this.taskExecutor(info.resourceId);
      if (stateName(te.snapshot) === 'registered') this.removeSlotsOf(info.resourceId, index);
      this.feed(te, { type: 'out.registerTaskExecutor.rejected' }, index);
    } else if (
      info.kind === 'registerTaskExecutor' &&
      msg.type === 'registerTaskExecutor.succeeded'
    ) {
      this.asks.delete(askId);
      const te = this.taskExecutor(info.resourceId);
      if (stateName(te.snapshot) === 'registered') this.removeSlotsOf(info.resourceId, index);
      this.feed(
        te,
        { type: 'out.registerTaskExecutor.succeeded', instanceId: msg.instanceId },
        index,
      );
    } else if (
      info.kind === 'registerJobMaster' &&
      (msg.type === 'registerJobMaster.succeeded' || msg.type === 'registerJobMaster.declined')
    ) {
      this.asks.delete(askId);
      this.feed(
        this.job(info.jobId),
        { type: `out.${msg.type}`, jobMasterId: info.jobMasterId },
        index,
      );
    }
  }

  private onDisconnectSent(envelope: Envelope<ClusterMessage>, index: number): void {
    if (envelope.kind !== 'tell' || envelope.msg.type !== 'disconnectResourceManager') return;
    if ('fencingToken' in envelope.msg) {
      const jobMasterId = envelope.msg.fencingToken;
      for (const job of this.jobs.values()) {
        if (contextOf(job)['jobMasterId'] === jobMasterId)
          this.feed(job, { type: 'out.disconnectResourceManager', jobMasterId }, index);
      }
      return;
    }
    const resourceId = [...this.addresses].find(([, address]) => address === envelope.to)?.[0];
    if (resourceId === undefined) return;
    this.removeSlotsOf(resourceId, index);
    this.feed(this.taskExecutor(resourceId), { type: 'out.disconnectResourceManager' }, index);
  }

  private removeSlotsOf(resourceId: string, index: number): void {
    for (const [key, slot] of this.slots) {
      if (key.startsWith(`${resourceId}#`) && stateName(slot.snapshot) !== 'untracked')
        this.feed(slot, { type: 'removed' }, index);
    }
  }

  /** After a step, every machine must be in the state the implementation is in. */
  private compare(index: number): void {
    const impl = this.implementation();
    if (impl === null) return;
    const leader = impl.leader;
    expectState(
      index,
      this.leadership.label,
      String(contextOf(this.leadership)['resourceManagerId']),
      String(leader?.resourceManagerId ?? null),
    );
    expectState(
      index,
      `${this.leadership.label} (driver initializing)`,
      String(contextOf(this.leadership)['startingSession']),
      String(impl.starting?.leaderSessionId ?? null),
    );
    if (leader === null) return;
    for (const resourceId of new Set([
      ...this.taskExecutors.keys(),
      ...leader.taskExecutors.map((t) => t.resourceId),
    ])) {
      const registration = leader.taskExecutors.find((t) => t.resourceId === resourceId);
      const m = this.taskExecutor(resourceId);
      expectState(
        index,
        m.label,
        stateName(m.snapshot) === 'registered'
          ? String(contextOf(m)['instanceId'])
          : 'unregistered',
        registration?.instanceId ?? 'unregistered',
      );
    }
    for (const key of new Set([
      ...this.slots.keys(),
      ...Object.keys(leader.slotManager.slotTracker.slots),
    ])) {
      const tracked = leader.slotManager.slotTracker.slots[key];
      const m = this.slot(key);
      const model =
        stateName(m.snapshot) === 'untracked'
          ? 'untracked'
          : `${stateName(m.snapshot)}(${String(contextOf(m)['jobId'])})`;
      const actual =
        tracked === undefined
          ? 'untracked'
          : `${tracked.state.toLowerCase()}(${String(tracked.jobId)})`;
      expectState(index, m.label, model, actual);
    }
    for (const jobId of new Set([
      ...this.jobs.keys(),
      ...leader.jobManagerRegistrations.map((r) => r.jobId),
    ])) {
      const registration = leader.jobManagerRegistrations.find((r) => r.jobId === jobId);
      const m = this.job(jobId);
      expectState(
        index,
        m.label,
        stateName(m.snapshot) === 'registered'
          ? String(contextOf(m)['jobMasterId'])
          : 'unregistered',
        registration?.jobMasterId ?? 'unregistered',
      );
    }
  }
}
