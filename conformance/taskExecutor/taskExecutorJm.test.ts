// TaskExecutor ↔ JobMaster scenarios: ports of Flink's TaskExecutorTest (flink-protocol.md §6.1)
// that concern slots, offers and the JobMaster connection, and the TE side of §4.4(b), §4.7–4.9.
import { describe, expect, it } from 'vitest';
import type { AllocationID, JobID, JobMasterId, ResourceID } from '../../protocol/ids.js';
import type { SlotOffer } from '../../protocol/values.js';
import {
  JM,
  JM_ID,
  JM_RESOURCE_ID,
  JOB,
  RM,
  TaskExecutorScenario,
  type ScenarioOptions,
} from './taskExecutorScenario.js';

const aid = (n: number) => `alloc-${n}` as AllocationID;
const offer = (n: number, slotIndex: number): SlotOffer => ({
  allocationId: aid(n),
  slotIndex,
  resourceProfile: 'default',
});

/** A TE registered at the RM, with the JM leader of job-1 announced. */
function connected(options: ScenarioOptions = {}): TaskExecutorScenario {
  const s = new TaskExecutorScenario(options);
  s.announceResourceManager();
  s.registerAtResourceManager();
  s.announceJobMaster();
  return s;
}

function acceptOffer(
  s: TaskExecutorScenario,
  accepted: SlotOffer[],
  which = s.last(JM, 'offerSlots'),
): void {
  s.reply(JM, which.ask, { type: 'offerSlots.accepted', offers: accepted });
}

function submit(
  s: TaskExecutorScenario,
  allocation: AllocationID,
  attempt: string,
  jobMasterId: JobMasterId = JM_ID,
): void {
  s.submitTask(allocation, attempt, jobMasterId);
}

describe('TaskExecutor: slots and offers', () => {
  it('testSlotAcceptance: the accepted slot becomes ACTIVE, the rejected one is freed and can be requested again', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.requestSlot(1, aid(2));
    expect(s.answers(RM)).toEqual(['requestSlot.acked', 'requestSlot.acked']);
    expect(
      s
        .inbox('ha', 'startLeaderRetrieval')
        .map((r) => (r.msg.type === 'startLeaderRetrieval' ? r.msg.jobId : null)),
    ).toEqual([null, JOB]);
    s.registerAtJobMaster();
    expect(s.last(JM, 'offerSlots').msg).toMatchObject({
      fencingToken: JM_ID,
      offers: [offer(1, 0), offer(2, 1)],
    });
    acceptOffer(s, [offer(1, 0)]);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({
      instanceId: 'instance-te-1',
      slotId: { slotNumber: 1 },
      allocationId: 'alloc-2',
    });
    s.requestSlot(1, aid(3));
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE', '1:alloc-3:ALLOCATED']);
    expect(s.last(JM, 'offerSlots').msg).toMatchObject({ offers: [offer(3, 1)] });
  });

  it('testRejectedSlotNotFreedIfAnotherOfferIsPending: the answer to an older offer is ignored', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    const first = s.last(JM, 'offerSlots');
    s.requestSlot(1, aid(2));
    const second = s.last(JM, 'offerSlots');
    expect(second.msg).toMatchObject({ offers: [offer(1, 0), offer(2, 1)] });
    acceptOffer(s, [offer(1, 0), offer(2, 1)], second);
    acceptOffer(s, [], first);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE', '1:alloc-2:ACTIVE']);
    expect(s.inbox(RM, 'notifySlotAvailable')).toEqual([]);
  });

  it('testAcceptedSlotNotActivatedIfAnotherOfferIsPending: a stale acceptance activates nothing', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    const first = s.last(JM, 'offerSlots');
    s.requestSlot(1, aid(2));
    acceptOffer(s, [offer(1, 0)], first);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED', '1:alloc-2:ALLOCATED']);
    acceptOffer(s, []);
    expect(s.slots()).toEqual([]);
    expect(s.inbox(RM, 'notifySlotAvailable')).toHaveLength(2);
  });

  it('testSlotOfferCounterIsSeparatedByJob: offers of one job do not invalidate another job’s', () => {
    const job2 = 'job-2' as JobID;
    const s = connected({ jobMasters: [JM, 'jm-job-2'] });
    s.announceJobMaster(job2, 'jm-job-2', 'jm2-leader-1');
    s.requestSlot(0, aid(1));
    s.requestSlot(1, aid(2), { jobId: job2, jobMaster: 'jm-job-2' });
    s.registerAtJobMaster();
    s.registerAtJobMaster('jm-job-2', 'jm-job-2' as ResourceID);
    s.reply('jm-job-2', s.last('jm-job-2', 'offerSlots').ask, {
      type: 'offerSlots.accepted',
      offers: [offer(2, 1)],
    });
    acceptOffer(s, [offer(1, 0)]);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE', '1:alloc-2:ACTIVE']);
  });

  it('testOfferSlotToJobMasterAfterTimeout: timed-out offers are repeated until one is answered', () => {
    const s = connected({ config: { slotTimeoutMs: 60_000 } });
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    s.advance(20_000);
    expect(s.inbox(JM, 'offerSlots')).toHaveLength(3);
    acceptOffer(s, [offer(1, 0)]);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
  });

  it('testSubmitTaskBeforeAcceptSlot: a task activates its slot before the offer is answered', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.requestSlot(1, aid(2));
    s.registerAtJobMaster();
    submit(s, aid(1), 'attempt-1');
    expect(s.answers(JM)).toContain('submitTask.acked');
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE', '1:alloc-2:ALLOCATED']);
    acceptOffer(s, [offer(1, 0)]);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({ allocationId: 'alloc-2' });
  });

  it('submitTask is refused for another JobMasterId and for a slot not allocated to the job', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    submit(s, aid(1), 'attempt-1', 'jm-leader-0' as JobMasterId);
    submit(s, aid(9), 'attempt-2');
    expect(s.answers(JM).filter((a) => a.startsWith('submitTask'))).toEqual([
      'submitTask.failed',
      'submitTask.failed',
    ]);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
  });

  it('testFreeingInactiveSlotDoesNotFail: freeSlot on an offered, unanswered slot frees it', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    s.freeSlotFromJobMaster(aid(1));
    expect(s.answers(JM)).toContain('freeSlot.acked');
    expect(s.slots()).toEqual([]);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({
      allocationId: 'alloc-1',
      slotId: { slotNumber: 0 },
    });
  });

  it('testReleaseInactiveSlots: freeInactiveSlots frees the job’s ALLOCATED slots and keeps ACTIVE ones', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.requestSlot(1, aid(2));
    s.instruct(RM, { kind: 'tell', to: 'te-1', msg: { type: 'freeInactiveSlots', jobId: JOB } });
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({ allocationId: 'alloc-2' });
  });

  it('testSyncSlotsWithJobMasterByHeartbeat: unknown JM slots are failed back, unreported ACTIVE slots freed', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.requestSlot(1, aid(2));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0), offer(2, 1)]);
    s.instruct(JM, {
      kind: 'ask',
      to: 'te-1',
      msg: {
        type: 'heartbeatFromJobManager',
        resourceId: JM_RESOURCE_ID,
        allocatedSlotReport: {
          jobId: JOB,
          allocatedSlotInfos: [
            { slotIndex: 0, allocationId: aid(1) },
            { slotIndex: 1, allocationId: aid(3) },
          ],
        },
      },
      timeoutMs: 10_000,
    });
    expect(
      s.inbox(JM, 'failSlot').map((r) => (r.msg.type === 'failSlot' ? r.msg.allocationId : null)),
    ).toEqual(['alloc-3']);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
    expect(s.last(JM, 'heartbeatFromTaskManager').msg).toMatchObject({ resourceId: 'te-1' });
  });

  it('testRemoveJobFromJobLeaderService: when the job’s last slot is freed, the job is released', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.freeSlotFromJobMaster(aid(1));
    expect(s.te().jobs).toEqual([]);
    expect(s.inbox('ha', 'stopLeaderRetrieval')).toHaveLength(1);
    expect(s.inbox(JM, 'disconnectTaskManager')).toHaveLength(1);
  });

  it('disconnectJobManager for a job already released (its last slot went first) changes nothing', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.freeSlotFromJobMaster(aid(1));
    // The JobMaster's disconnect, sent when it released the TaskExecutor, arrives after the job left.
    s.instruct(JM, {
      kind: 'tell',
      to: 'te-1',
      msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'No more slots registered' },
    });
    expect(s.te().jobs).toEqual([]);
    expect(s.inbox(JM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.inbox(JM, 'registerTaskManager')).toHaveLength(1);
  });

  it('testReleaseOfJobResourcesIfJobMasterIsNotCorrect: a rejected JM registration frees the job’s slots', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.reply(JM, s.last(JM, 'registerTaskManager').ask, {
      type: 'registerTaskManager.rejected',
      reason: 'wrong job',
    });
    expect(s.slots()).toEqual([]);
    expect(s.te().jobs).toEqual([]);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({ allocationId: 'alloc-1' });
  });

  it('testDynamicSlotAllocation: a dynamic slot gets an index past the static ones and is reported', () => {
    const s = connected();
    s.requestSlot(-1, aid(1));
    expect(s.slots()).toEqual(['2:alloc-1:ALLOCATED']);
  });

  it('requestSlot: the same request again is acked; another allocation at the index is SlotOccupiedException', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.requestSlot(0, aid(1));
    s.requestSlot(0, aid(2));
    expect(s.answers(RM)).toEqual([
      'requestSlot.acked',
      'requestSlot.acked',
      'requestSlot.occupied',
    ]);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
  });

  it('freeing a slot with a running task waits for the task to end before telling the RM', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    submit(s, aid(1), 'attempt-1');
    s.freeSlotFromJobMaster(aid(1));
    expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
    expect(s.inbox(RM, 'notifySlotAvailable')).toEqual([]);
    s.advance(100);
    expect(s.slots()).toEqual([]);
    expect(s.inbox(RM, 'notifySlotAvailable')).toHaveLength(1);
  });
});

describe('TaskExecutor: JobMaster connection', () => {
  it('testHeartbeatTimeoutWithJobManager: disconnect (slots back to ALLOCATED) and register again', () => {
    const s = connected({ config: { slotTimeoutMs: 60_000 } });
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.advance(50_000);
    expect(s.last(JM, 'disconnectTaskManager').msg).toMatchObject({
      fencingToken: JM_ID,
      resourceId: 'te-1',
    });
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
    expect(s.inbox(JM, 'registerTaskManager')).toHaveLength(2);
  });

  it('testJobManagerBecomesUnreachableTriggersDisconnect', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    for (let i = 0; i < 2; i++) {
      s.heartbeatFromJobManager([{ slotIndex: 0, allocationId: aid(1) }], {
        answer: 'unreachable',
      });
    }
    expect(s.inbox(JM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
  });

  it('testDisconnectFromJobMasterWhenNewLeader: the leader goes away → disconnect, no new registration', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.announceJobMaster(JOB, null, null);
    expect(s.inbox(JM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.inbox(JM, 'registerTaskManager')).toHaveLength(1);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
  });

  it('§4.4(b): a new JM leader gets the job’s slots offered; the old one is disconnected', () => {
    const s = connected({ jobMasters: [JM, 'jm-job-1-b'] });
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.announceJobMaster(JOB, 'jm-job-1-b', 'jm-leader-2');
    s.reply('jm-job-1-b', s.last('jm-job-1-b', 'registerTaskManager').ask, {
      type: 'registerTaskManager.succeeded',
      jobMasterResourceId: 'jm-job-1-b' as ResourceID,
    });
    expect(s.last(JM, 'disconnectTaskManager').msg).toMatchObject({ fencingToken: JM_ID });
    expect(s.last('jm-job-1-b', 'offerSlots').msg).toMatchObject({
      fencingToken: 'jm-leader-2',
      offers: [offer(1, 0)],
    });
  });

  it('§4.4(b): slots the new leader does not take back in time are freed by their timeout', () => {
    const s = connected({ jobMasters: [JM, 'jm-job-1-b'] });
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.announceJobMaster(JOB, null, null);
    s.advance(10_000);
    expect(s.slots()).toEqual([]);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({ allocationId: 'alloc-1' });
  });

  it('§4.8: an acceptance of a slot that timed out meanwhile is answered with failSlot', () => {
    // The offer's ask timeout (20 s here) outlasts the slot timeout (10 s): the JM's acceptance
    // comes back for a slot the TE has already freed.
    const s = connected({ config: { slotTimeoutMs: 10_000, rpcTimeoutMs: 20_000 } });
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    acceptOffer(s, [offer(1, 0)]);
    s.advance(5_000);
    s.requestSlot(1, aid(2));
    const pending = s.last(JM, 'offerSlots');
    s.advance(10_000);
    expect(s.slots()).toEqual(['0:alloc-1:ACTIVE']);
    acceptOffer(s, [offer(2, 1)], pending);
    expect(s.last(JM, 'failSlot').msg).toMatchObject({
      allocationId: 'alloc-2',
      resourceId: 'te-1',
    });
  });

  it('§4.7: an offer failing with an exception frees every offered slot', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.requestSlot(1, aid(2));
    s.registerAtJobMaster();
    s.reply(JM, s.last(JM, 'offerSlots').ask, {
      type: 'offerSlots.failed',
      exception: 'UnknownTaskManager',
      reason: 'Unknown TaskManager',
    });
    expect(s.slots()).toEqual([]);
    expect(s.inbox(RM, 'notifySlotAvailable')).toHaveLength(2);
  });

  it('§4.9: a slot whose job leader is never found times out and goes back to the RM', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.requestSlot(0, aid(1));
    s.advance(9_999);
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
    s.advance(1);
    expect(s.slots()).toEqual([]);
    expect(s.last(RM, 'notifySlotAvailable').msg).toMatchObject({ allocationId: 'alloc-1' });
  });

  it('a crashed TaskExecutor restarts with the same ResourceID, a new session and no slots', () => {
    const s = connected();
    s.requestSlot(0, aid(1));
    s.registerAtJobMaster();
    const sessionBefore = s.te().sessionId;
    s.take({ kind: 'crash', endpoint: 'te-1' });
    s.take({ kind: 'restart', endpoint: 'te-1' });
    s.settle();
    expect(s.te().sessionId).not.toBe(sessionBefore);
    expect(s.slots()).toEqual([]);
    expect(s.last(RM, 'registerTaskExecutor').msg).toMatchObject({
      registration: { resourceId: 'te-1' },
    });
  });
});
