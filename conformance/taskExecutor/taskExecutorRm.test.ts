// TaskExecutor ↔ ResourceManager scenarios: ports of Flink's TaskExecutorTest (flink-protocol.md
// §6.1) that concern registration and heartbeats with the RM, and the TE side of §4.3.
import { describe, expect, it } from 'vitest';
import type { AllocationID, ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import { RM, RM_ID, RM_RESOURCE_ID, TaskExecutorScenario } from './taskExecutorScenario.js';

const aid = (n: number) => `alloc-${n}` as AllocationID;

describe('TaskExecutor: ResourceManager connection', () => {
  it('testInitialSlotReport: registers at the announced leader, then sends its slot report and stops the registration timeout', () => {
    const s = new TaskExecutorScenario();
    expect(s.inbox('ha', 'startLeaderRetrieval')).toHaveLength(1);
    s.announceResourceManager();
    const registration = s.last(RM, 'registerTaskExecutor');
    expect(registration.msg).toMatchObject({
      fencingToken: RM_ID,
      registration: { resourceId: 'te-1', numberOfSlots: 2 },
    });
    s.registerAtResourceManager();
    expect(s.last(RM, 'sendSlotReport').msg).toMatchObject({
      instanceId: 'instance-te-1',
      slotReport: [
        { slotId: { resourceId: 'te-1', slotNumber: 0 }, jobId: null, allocationId: null },
        { slotId: { resourceId: 'te-1', slotNumber: 1 }, jobId: null, allocationId: null },
      ],
    });
    expect(s.te().establishedResourceManagerConnection?.instanceId).toBe('instance-te-1');
    expect(s.te().currentRegistrationTimeoutId).toBeNull();
    expect(s.simulation.state.timers.map((t) => t.name)).not.toContain('registrationTimeout');
  });

  it('testInitialSlotReportFailure: a failed initial slot report makes the TE register again', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    const registration = s.last(RM, 'registerTaskExecutor');
    s.reply(RM, registration.ask, {
      type: 'registerTaskExecutor.succeeded',
      instanceId: 'i-1' as never,
      resourceManagerResourceId: RM_RESOURCE_ID,
    });
    s.reply(RM, s.last(RM, 'sendSlotReport').ask, {
      type: 'sendSlotReport.failed',
      exception: 'UnknownTaskManagerRegistration',
      reason: 'x',
    });
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
    expect(s.inbox(RM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.te().establishedResourceManagerConnection).toBeNull();
  });

  it('testIgnoringSlotRequestsIfNotRegistered: requestSlot before the registration completes fails', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.requestSlot(0, aid(1));
    expect(s.answers(RM)).toEqual(['requestSlot.failed']);
    expect(s.slots()).toEqual([]);
  });

  it('a requestSlot from an outdated RM leader is refused', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.requestSlot(0, aid(1), { rmId: 'rm-leader-0' as ResourceManagerId });
    expect(s.answers(RM)).toEqual(['requestSlot.failed']);
  });

  it('registration retries: a timed-out attempt is repeated at once with twice the timeout', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    const start = s.now;
    s.advance(700);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(4);
    const timedOut = s.records
      .filter((r) => r.outcome.kind === 'askTimedOut')
      .map((r) => r.time - start);
    expect(timedOut).toEqual([100, 300, 700]);
  });

  it('a declined registration is retried after the refused-registration delay', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.reply(RM, s.last(RM, 'registerTaskExecutor').ask, {
      type: 'registerTaskExecutor.declined',
      reason: 'outdated',
    });
    s.advance(29_999);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(1);
    s.advance(1);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
  });

  it('testResourceManagerRegistrationIsRejected: a rejection is fatal, the process exits', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.reply(RM, s.last(RM, 'registerTaskExecutor').ask, {
      type: 'registerTaskExecutor.rejected',
      reason: 'unknown worker',
    });
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(false);
    expect(s.records.at(-1)?.effects.at(-1)).toMatchObject({
      kind: 'terminated',
      endpoint: 'te-1',
    });
  });

  it('testMaximumRegistrationDuration: no RM registration within the timeout is fatal', () => {
    const s = new TaskExecutorScenario();
    s.advance(299_999);
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(true);
    s.advance(1);
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(false);
  });

  it('testMaximumRegistrationDurationAfterConnectionLoss: the timeout is armed again when the RM is lost', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.instruct(RM, {
      kind: 'tell',
      to: 'te-1',
      msg: { type: 'disconnectResourceManager', cause: 'test' },
    });
    s.advance(300_000);
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(false);
  });

  it('testReconnectionAttemptIfExplicitlyDisconnected: disconnectResourceManager makes the TE register again', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.instruct(RM, {
      kind: 'tell',
      to: 'te-1',
      msg: { type: 'disconnectResourceManager', cause: 'test' },
    });
    expect(s.inbox(RM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
  });

  it('testTriggerRegistrationOnLeaderChange: a new RM leader gets a registration; the old one a disconnect', () => {
    const s = new TaskExecutorScenario({ jobMasters: ['jm-job-1', 'rm-2'] });
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.announceResourceManager('rm-2', 'rm-leader-2');
    expect(s.last(RM, 'disconnectTaskManager').msg).toMatchObject({
      fencingToken: RM_ID,
      resourceId: 'te-1',
    });
    expect(s.last('rm-2', 'registerTaskExecutor').msg).toMatchObject({
      fencingToken: 'rm-leader-2',
    });
  });

  it('testRMHeartbeatStopWhenLeadershipRevoked: with no leader the old RM is no longer monitored', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    expect(s.te().resourceManagerHeartbeat.targets).toHaveLength(1);
    s.announceResourceManager(null, null);
    expect(s.te().resourceManagerHeartbeat.targets).toEqual([]);
    expect(s.te().resourceManagerConnection).toBeNull();
  });

  it('heartbeats from the RM are answered with the slot report', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.heartbeatFromResourceManager();
    expect(s.answers(RM)).toEqual(['heartbeatFromResourceManager.acked']);
    expect(s.last(RM, 'heartbeatFromTaskManager').msg).toMatchObject({
      resourceId: 'te-1',
      heartbeatPayload: { slotReport: [{}, {}] },
    });
  });

  it('a heartbeat from an RM the TE does not monitor is not answered', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.instruct(RM, {
      kind: 'ask',
      to: 'te-1',
      msg: { type: 'heartbeatFromResourceManager', resourceId: 'rm-old' as ResourceID },
      timeoutMs: 10_000,
    });
    expect(s.inbox(RM, 'heartbeatFromTaskManager')).toEqual([]);
  });

  it('testHeartbeatTimeoutWithResourceManager: no RM heartbeat within the timeout → disconnect and register again', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.advance(50_000);
    expect(s.inbox(RM, 'disconnectTaskManager')).toHaveLength(1);
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
  });

  it('testResourceManagerBecomesUnreachableTriggersDisconnect: two unreachable heartbeat answers → reconnect', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    for (let i = 0; i < 2; i++) {
      s.heartbeatFromResourceManager('unreachable');
    }
    expect(s.inbox(RM, 'registerTaskExecutor')).toHaveLength(2);
  });

  it('§4.3: the TE keeps its slots when it loses the RM and reports them after registering again', () => {
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    s.requestSlot(1, aid(7));
    for (let i = 0; i < 2; i++) {
      s.heartbeatFromResourceManager('unreachable');
    }
    expect(s.slots()).toEqual(['1:alloc-7:ALLOCATED']);
    s.registerAtResourceManager('te-1', 'instance-2' as never);
    expect(s.last(RM, 'sendSlotReport').msg).toMatchObject({
      instanceId: 'instance-2',
      slotReport: [{ allocationId: null }, { allocationId: 'alloc-7', jobId: 'job-1' }],
    });
  });

  it('testSlotReportDoesNotContainStaleInformation: a heartbeat after an allocation or a free reports it', () => {
    // Flink's test races allocations against heartbeats on two threads; here every handler runs
    // alone, so the report of a heartbeat handled after an allocation must contain it.
    const s = new TaskExecutorScenario();
    s.announceResourceManager();
    s.registerAtResourceManager();
    const heartbeat = () => {
      s.heartbeatFromResourceManager();
      const payload = s.last(RM, 'heartbeatFromTaskManager').msg;
      return payload.type === 'heartbeatFromTaskManager' && 'slotReport' in payload.heartbeatPayload
        ? payload.heartbeatPayload.slotReport.map((status) => status.allocationId)
        : [];
    };
    s.requestSlot(1, aid(3));
    expect(heartbeat()).toEqual([null, 'alloc-3']);
    s.instruct(RM, {
      kind: 'tell',
      to: 'te-1',
      msg: { type: 'freeInactiveSlots', jobId: 'job-1' as never },
    });
    expect(heartbeat()).toEqual([null, null]);
  });
});
