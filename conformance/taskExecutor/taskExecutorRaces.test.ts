// TaskExecutor races: answers that arrive after the TaskExecutor moved on, and slots caught
// between an offer, a task and a release. Each names the race it stages; the conformance monitor
// checks every step against the machines.
import { describe, expect, it } from 'vitest';
import type { AllocationID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import {
  JM,
  JM_ID,
  JM_RESOURCE_ID,
  JOB,
  RM,
  RM_RESOURCE_ID,
  TaskExecutorScenario,
} from './taskExecutorScenario.js';

const A = 'alloc-1' as AllocationID;
const JM_B = 'jm-job-1-b';
const JM_B_ID = 'jm-leader-2';

const rmAnswers: Record<string, ClusterMessage> = {
  succeeded: {
    type: 'registerTaskExecutor.succeeded',
    instanceId: 'instance-stale' as never,
    resourceManagerResourceId: RM_RESOURCE_ID,
  },
  rejected: { type: 'registerTaskExecutor.rejected', reason: 'stale' },
  declined: { type: 'registerTaskExecutor.declined', reason: 'stale' },
  failed: {
    type: 'registerTaskExecutor.failed',
    exception: 'FencingTokenException',
    reason: 'stale',
  },
};

const jmAnswers: Record<string, ClusterMessage> = {
  succeeded: { type: 'registerTaskManager.succeeded', jobMasterResourceId: JM_RESOURCE_ID },
  rejected: { type: 'registerTaskManager.rejected', reason: 'stale' },
  declined: { type: 'registerTaskManager.declined', reason: 'stale' },
  failed: {
    type: 'registerTaskManager.failed',
    exception: 'FencingTokenException',
    reason: 'stale',
  },
};

/** Options that keep failed tasks running until a test finishes them, and slots from timing out early. */
const patient = {
  config: { taskTerminationMs: 1_000_000_000, rpcTimeoutMs: 1_000_000 },
  jobMasters: [JM, JM_B],
};

/** A TE registered at the RM with slot A of job-1 offered to the connected JM (offer unanswered). */
function offered(): TaskExecutorScenario {
  const s = new TaskExecutorScenario(patient);
  s.announceResourceManager();
  s.registerAtResourceManager();
  s.announceJobMaster();
  s.requestSlot(0, A);
  s.registerAtJobMaster();
  return s;
}

function submit(s: TaskExecutorScenario, attempt: string): void {
  s.submitTask(A, attempt);
}

function freeSlot(s: TaskExecutorScenario): void {
  s.freeSlotFromJobMaster(A);
}

describe('TaskExecutor races: outdated registration answers', () => {
  it.each(Object.keys(rmAnswers))(
    'an RM registration answer (%s) to a superseded attempt is ignored',
    (kind) => {
      const s = new TaskExecutorScenario();
      s.announceResourceManager();
      const first = s.last(RM, 'registerTaskExecutor');
      s.announceResourceManager(); // the same leader again: reconnect, a new attempt
      s.reply(RM, first.ask, rmAnswers[kind]!);
      expect(s.te().establishedResourceManagerConnection).toBeNull();
      expect(s.te().resourceManagerConnection).not.toBeNull();
      expect(s.simulation.state.endpoints['te-1']?.up).toBe(true);
    },
  );

  it.each(Object.keys(rmAnswers))(
    'an RM registration answer (%s) arriving after the leader went away is ignored',
    (kind) => {
      const s = new TaskExecutorScenario();
      s.announceResourceManager();
      const first = s.last(RM, 'registerTaskExecutor');
      s.announceResourceManager(null, null);
      s.reply(RM, first.ask, rmAnswers[kind]!);
      expect(s.te().resourceManagerConnection).toBeNull();
      expect(s.simulation.state.endpoints['te-1']?.up).toBe(true);
    },
  );

  it('RM registration attempts that time out after being superseded are ignored', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.announceResourceManager(); // attempt 1 is superseded while in flight
    s.announceResourceManager(null, null); // and attempt 2 too
    s.advance(100);
    expect(s.records.filter((r) => r.outcome.kind === 'askTimedOut')).toHaveLength(2);
    expect(s.te().resourceManagerConnection).toBeNull();
  });

  it('an RM registration attempt superseded in REGISTERING times out unnoticed, the new one retries', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.announceResourceManager();
    s.advance(100);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(3);
  });

  it.each(Object.keys(jmAnswers))(
    'a JM registration answer (%s) to a superseded attempt is ignored (not connected)',
    (kind) => {
      const s = new TaskExecutorScenario(patient);
      s.announceResourceManager();
      s.registerAtResourceManager();
      s.announceJobMaster();
      s.requestSlot(0, A);
      const first = s.last(JM, 'registerTaskManager');
      s.announceJobMaster(JOB, JM_B, JM_B_ID);
      s.reply(JM, first.ask, jmAnswers[kind]!);
      expect(s.te().jobs[0]?.connection).toBeNull();
      expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
    },
  );

  it.each(Object.keys(jmAnswers))(
    'a JM registration answer (%s) to a superseded attempt is ignored (connected)',
    (kind) => {
      const s = offered();
      s.announceJobMaster(JOB, JM_B, JM_B_ID);
      const toB = s.last(JM_B, 'registerTaskManager');
      s.announceJobMaster(); // back to the connected leader: another attempt
      s.reply(JM_B, toB.ask, jmAnswers[kind]!);
      expect(s.te().jobs[0]?.connection?.target.leaderId).toBe(JM_ID);
      expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
    },
  );

  it.each([...Object.keys(jmAnswers), 'timedOut'])(
    'a JM registration answer (%s) that arrives after the job was released is ignored',
    (kind) => {
      const s = new TaskExecutorScenario({ ...patient, config: { rpcTimeoutMs: 10_000 } });
      s.announceResourceManager();
      s.registerAtResourceManager();
      s.announceJobMaster();
      s.requestSlot(0, A);
      const attempt = s.last(JM, 'registerTaskManager');
      // The RM frees the job's inactive slot: the job leaves the JobTable with its registration.
      s.instruct(RM, { kind: 'tell', to: 'te-1', msg: { type: 'freeInactiveSlots', jobId: JOB } });
      expect(s.te().jobs).toEqual([]);
      if (kind === 'timedOut') s.advance(10_000);
      else s.reply(JM, attempt.ask, jmAnswers[kind]!);
      expect(s.te().jobs).toEqual([]);
      expect(s.slots()).toEqual([]);
    },
  );

  it('a leader notification under way when the job is released is ignored', () => {
    const s = offered();
    s.reply(JM, s.last(JM, 'offerSlots').ask, {
      type: 'offerSlots.accepted',
      offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
    });
    s.instructOnly(JM, {
      kind: 'ask',
      to: 'te-1',
      msg: { type: 'freeSlot', allocationId: A, cause: 'race' },
      timeoutMs: 10_000,
    });
    s.instructOnly('ha', {
      kind: 'leader',
      jobId: JOB,
      leaderAddress: JM_B,
      leaderSessionId: JM_B_ID,
    });
    s.deliver('te-1', 'freeSlot');
    expect(s.te().jobs).toEqual([]);
    s.deliver('te-1', 'notifyLeaderAddress');
    expect(s.te().jobs).toEqual([]);
    s.settle();
  });
});

describe('TaskExecutor races: the initial slot report and late heartbeat answers', () => {
  it('a slot report that fails after the leader went away leaves the TE without an RM', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.reply(RM, s.last(RM, 'registerTaskExecutor').ask, rmAnswers['succeeded']!);
    const report = s.last(RM, 'sendSlotReport');
    s.announceResourceManager(null, null);
    s.reply(RM, report.ask, {
      type: 'sendSlotReport.failed',
      exception: 'UnknownTaskManagerRegistration',
      reason: 'race',
    });
    expect(s.te().resourceManagerConnection).toBeNull();
  });

  it('a slot report that times out makes the TE register again', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.reply(RM, s.last(RM, 'registerTaskExecutor').ask, rmAnswers['succeeded']!);
    s.advance(10_000);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
    expect(s.te().establishedResourceManagerConnection).toBeNull();
  });

  it('a slot report that times out after the leader went away leaves the TE without an RM', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.reply(RM, s.last(RM, 'registerTaskExecutor').ask, rmAnswers['succeeded']!);
    s.announceResourceManager(null, null);
    s.advance(10_000);
    expect(s.te().resourceManagerConnection).toBeNull();
  });

  it.each(['delivered', 'unreachable'] as const)(
    'a heartbeat answer (%s) that returns after a reconnect is ignored',
    (answer) => {
      const s = new TaskExecutorScenario();
      s.announceResourceManager();
      s.registerAtResourceManager();
      s.heartbeatFromResourceManager();
      const pending = s.last(RM, 'heartbeatFromTaskManager');
      s.instruct(RM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'disconnectResourceManager', cause: 'race' },
      });
      s.reply(
        RM,
        pending.ask,
        answer === 'delivered'
          ? { type: 'heartbeatFromTaskManager.acked' }
          : {
              type: 'heartbeatFromTaskManager.failed',
              exception: 'RecipientUnreachableException',
              reason: 'race',
            },
      );
      expect(s.te().establishedResourceManagerConnection).toBeNull();
    },
  );
});

describe('TaskExecutor races: a slot between an offer, a task and a release', () => {
  it('a task activates the slot, then the JM rejects it: the slot is released with its task, then freed', () => {
    const s = offered();
    submit(s, 'attempt-1');
    s.reply(JM, s.last(JM, 'offerSlots').ask, { type: 'offerSlots.accepted', offers: [] });
    expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
    s.instruct('te-1', { kind: 'taskFinished', attempt: 'attempt-1' });
    expect(s.slots()).toEqual([]);
  });

  it('a task activates the slot and finishes, then the JM rejects it: the slot is freed', () => {
    const s = offered();
    submit(s, 'attempt-1');
    s.instruct('te-1', { kind: 'taskFinished', attempt: 'attempt-1' });
    s.reply(JM, s.last(JM, 'offerSlots').ask, { type: 'offerSlots.accepted', offers: [] });
    expect(s.slots()).toEqual([]);
  });

  it.each([true, false])(
    'a task activates the slot, then the offer fails: released or freed (task still running: %s)',
    (running) => {
      const s = offered();
      submit(s, 'attempt-1');
      if (!running) s.instruct('te-1', { kind: 'taskFinished', attempt: 'attempt-1' });
      s.reply(JM, s.last(JM, 'offerSlots').ask, {
        type: 'offerSlots.failed',
        exception: 'UnknownTaskManager',
        reason: 'race',
      });
      expect(s.slots()).toEqual(running ? ['0:alloc-1:RELEASING'] : []);
    },
  );

  it.each([true, false])(
    'a new JM leader rejects the TE while a slot is ACTIVE: the job is released (task running: %s)',
    (running) => {
      const s = offered();
      s.reply(JM, s.last(JM, 'offerSlots').ask, {
        type: 'offerSlots.accepted',
        offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
      });
      if (running) submit(s, 'attempt-1');
      s.announceJobMaster(JOB, JM_B, JM_B_ID);
      s.reply(JM_B, s.last(JM_B, 'registerTaskManager').ask, {
        type: 'registerTaskManager.rejected',
        reason: 'race',
      });
      expect(s.slots()).toEqual(running ? ['0:alloc-1:RELEASING'] : []);
      expect(s.te().jobs).toEqual([]);
    },
  );

  it('a RELEASING slot whose timeout was armed before the release stays RELEASING when it fires', () => {
    const s = offered();
    s.reply(JM, s.last(JM, 'offerSlots').ask, {
      type: 'offerSlots.accepted',
      offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
    });
    submit(s, 'attempt-1');
    s.instruct(JM, {
      kind: 'tell',
      to: 'te-1',
      msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'race' },
    });
    expect(s.slots()).toEqual(['0:alloc-1:ALLOCATED']);
    freeSlot(s);
    expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
    s.advance(10_000);
    expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
  });

  it.each(['accepted', 'failed'])(
    'an offer answer (%s) for a slot that started releasing meanwhile changes nothing',
    (answer) => {
      const s = offered();
      s.reply(JM, s.last(JM, 'offerSlots').ask, {
        type: 'offerSlots.accepted',
        offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
      });
      submit(s, 'attempt-1');
      s.instruct(JM, {
        kind: 'tell',
        to: 'te-1',
        msg: { type: 'disconnectJobManager', jobId: JOB, cause: 'race' },
      });
      s.registerAtJobMaster(); // the TE registers again and offers the slot, still running its failed task
      const reoffer = s.last(JM, 'offerSlots');
      freeSlot(s);
      s.reply(
        JM,
        reoffer.ask,
        answer === 'accepted'
          ? {
              type: 'offerSlots.accepted',
              offers: [{ allocationId: A, slotIndex: 0, resourceProfile: 'default' }],
            }
          : { type: 'offerSlots.failed', exception: 'UnknownTaskManager', reason: 'race' },
      );
      expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
      if (answer === 'accepted')
        expect(s.last(JM, 'failSlot').msg).toMatchObject({ allocationId: A });
    },
  );

  it('a RELEASING slot with two tasks is freed when the last one ends', () => {
    const s = offered();
    submit(s, 'attempt-1');
    submit(s, 'attempt-2');
    freeSlot(s);
    s.instruct('te-1', { kind: 'taskFinished', attempt: 'attempt-1' });
    expect(s.slots()).toEqual(['0:alloc-1:RELEASING']);
    s.instruct('te-1', { kind: 'taskFinished', attempt: 'attempt-2' });
    expect(s.slots()).toEqual([]);
  });
});
