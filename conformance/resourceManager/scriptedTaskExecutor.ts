/**
 * Test support for the ResourceManager: the real RM with one scripted TaskExecutor `te-s` (one
 * slot) and the scripted JobMaster of job-1 registered. The test decides everything the
 * TaskExecutor says: registrations, slot reports, answers to `requestSlot`, free notifications.
 */
import type { InstanceID, JobID, ResourceID, SlotID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import { JM, RM, RM_ID, TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

export const TE = 'te-s';
export const OTHER_JOB = 'job-2' as JobID;
export const SLOT = { resourceId: TE, slotNumber: 0 } as SlotID;
const status = (jobId: string | null) => ({
  slotId: SLOT,
  resourceProfile: 'default',
  jobId: jobId as JobID | null,
  allocationId: null,
});

/** The RM with the scripted TaskExecutor and the scripted JobMaster of job-1 registered. */
export class ScriptedTaskExecutorDriver {
  readonly s = new TaskExecutorScenario({
    taskExecutors: 0,
    jobMasters: [JM, TE],
    resourceManager: {
      heartbeat: { intervalMs: 10_000, timeoutMs: 1_000_000_000, rpcFailureThreshold: 2 },
    },
  });
  private instanceId: InstanceID | null = null;
  private declared = 0;

  constructor() {
    this.s.announceResourceManager(RM, RM_ID);
    this.s.announceJobMaster();
    this.s.registerJobMasterAtResourceManager();
  }

  machine() {
    const m = this.s.rmMonitor;
    if (m === null) throw new Error('no RM monitor');
    return m;
  }

  private ask(msg: ClusterMessage): void {
    this.s.instruct(TE, { kind: 'ask', to: RM, msg, timeoutMs: 10_000 });
  }

  register(jobId: string | null): void {
    this.ask({
      type: 'registerTaskExecutor',
      fencingToken: RM_ID,
      registration: {
        taskExecutorAddress: TE,
        resourceId: TE as ResourceID,
        defaultSlotResourceProfile: 'default',
        numberOfSlots: 1,
      },
    });
    const reply = this.lastReplyTo('registerTaskExecutor');
    if (reply.type !== 'registerTaskExecutor.succeeded')
      throw new Error(`registration failed: ${reply.type}`);
    this.instanceId = reply.instanceId;
    this.ask({
      type: 'sendSlotReport',
      fencingToken: RM_ID,
      resourceId: TE as ResourceID,
      instanceId: reply.instanceId,
      slotReport: [status(jobId)],
    });
  }

  private lastReplyTo(type: string): Extract<ClusterMessage, { type: `${string}.${string}` }> {
    const records = this.s.records.flatMap((r) => r.effects);
    for (let i = records.length - 1; i >= 0; i--) {
      const e = records[i];
      if (
        e?.kind === 'sent' &&
        e.envelope.kind === 'reply' &&
        e.envelope.to === TE &&
        e.envelope.msg.type.startsWith(`${type}.`)
      ) {
        return e.envelope.msg as Extract<ClusterMessage, { type: `${string}.${string}` }>;
      }
    }
    throw new Error(`no reply to ${type}`);
  }

  /** Raise job-1's requirement by one, so that the slot manager asks for the free slot. */
  requestSlot(): void {
    this.declared += 1;
    this.s.declareRequiredResources(this.declared);
  }

  /**
   * Lower job-1's requirement by one. A pending slot that is freed would otherwise be requested
   * again within the same step (the slot manager re-checks at once), and the path expects it FREE.
   */
  lower(): void {
    this.declared = Math.max(0, this.declared - 1);
    this.s.declareRequiredResources(this.declared);
  }

  /** Answer a `requestSlot` the TE received: the latest, or the `index`-th (0 = first). */
  answer(kind: 'acked' | 'occupied' | 'failed', index = -1): void {
    const request = this.s.inbox(TE, 'requestSlot').at(index);
    if (request === undefined) throw new Error('no requestSlot');
    this.s.reply(
      TE,
      request.ask,
      kind === 'acked'
        ? { type: 'requestSlot.acked' }
        : kind === 'occupied'
          ? { type: 'requestSlot.occupied', allocationId: 'alloc-x' as never, jobId: OTHER_JOB }
          : { type: 'requestSlot.failed', exception: 'SlotAllocationException', reason: 'path' },
    );
  }

  report(jobId: string | null): void {
    this.ask({
      type: 'heartbeatFromTaskManager',
      fencingToken: RM_ID,
      resourceId: TE as ResourceID,
      heartbeatPayload: { slotReport: [status(jobId)] },
    });
  }

  notifySlotAvailable(): void {
    if (this.instanceId === null) throw new Error('not registered');
    this.s.instruct(TE, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'notifySlotAvailable',
        fencingToken: RM_ID,
        instanceId: this.instanceId,
        slotId: SLOT,
        allocationId: 'alloc-x' as never,
      },
    });
  }

  remove(): void {
    this.s.instruct(TE, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'disconnectTaskManager',
        fencingToken: RM_ID,
        resourceId: TE as ResourceID,
        cause: 'path',
      },
    });
    // The slot's job-1 acquisitions are gone with it: the next request must start from scratch.
    this.declared = 0;
    this.s.declareRequiredResources(0);
  }
}
