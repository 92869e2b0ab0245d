// The ResourceManager with real TaskExecutors and a scripted JobMaster: ports of Flink's
// ResourceManagerTest, ResourceManagerTaskExecutorTest, ResourceManagerJobMasterTest,
// DefaultJobLeaderIdServiceTest and StandaloneResourceManagerTest (flink-protocol.md §6.3) that
// apply, and the RM sides of §4.1, §4.3, §4.5, §4.6, §4.10. The TaskExecutors' conformance
// monitors watch every step.
//
// Not ported, because the model has no such step (docs/simplifications.md): testDelayedRegisterTaskExecutor,
// testRegisterTaskExecutorFromInvalidAddress and testRegisterJobMasterFromInvalidAddress (no RPC
// connect step before a registration), testRegisterJobMasterWithFailureLeaderListener (HA does
// not fail), testUnblockResourcesWillTriggerResourceRequirementsCheck (no blocklist), and
// testJobMasterBecomesUnreachableTriggersDisconnect (the scripted JobMaster cannot crash; the
// unreachable path is the TaskExecutor's, shared code in heartbeats.ts). The active deployment's
// scenarios are in activeResourceManager.test.ts.
import { describe, expect, it } from 'vitest';
import type { ResourceManagerId } from '../../protocol/ids.js';
import { JM, JOB, RM, RM_ID, TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

/** Two TaskExecutors with two slots each, registered at the real RM leader `rm-leader-1`. */
function cluster(
  options: { startupPeriodMs?: number; patientHeartbeats?: boolean; slotTimeoutMs?: number } = {},
): TaskExecutorScenario {
  const s = new TaskExecutorScenario({
    taskExecutors: 2,
    resourceManager: {
      startupPeriodMs: options.startupPeriodMs ?? 300_000,
      // The scripted JobMaster does not answer heartbeats; a long timeout keeps it registered.
      ...(options.patientHeartbeats === true
        ? { heartbeat: { intervalMs: 10_000, timeoutMs: 1_000_000_000, rpcFailureThreshold: 2 } }
        : {}),
    },
    config: { rpcTimeoutMs: 10_000, slotTimeoutMs: options.slotTimeoutMs ?? 10_000 },
  });
  s.announceResourceManager(RM, RM_ID);
  return s;
}

function rmSlots(s: TaskExecutorScenario): string[] {
  return Object.values(s.rmLeader().slotManager.slotTracker.slots).map(
    (slot) =>
      `${slot.slotId.resourceId}#${slot.slotId.slotNumber}:${slot.state}${slot.jobId === null ? '' : `(${slot.jobId})`}`,
  );
}

describe('ResourceManager: TaskExecutor registration', () => {
  it('TaskExecutors register with a fresh InstanceID each and their slots join the slot manager', () => {
    const s = cluster();
    expect(s.rmLeader().taskExecutors.map((t) => [t.resourceId, t.instanceId])).toEqual([
      ['te-1', 'instance-1'],
      ['te-2', 'instance-2'],
    ]);
    expect(s.te('te-1').establishedResourceManagerConnection?.instanceId).toBe('instance-1');
    expect(rmSlots(s)).toEqual(['te-1#0:FREE', 'te-1#1:FREE', 'te-2#0:FREE', 'te-2#1:FREE']);
  });

  it('testRegisterTaskExecutor: a restarted TE registers again under a new InstanceID, replacing the old one', () => {
    const s = cluster();
    const instanceOf = () =>
      s.rmLeader().taskExecutors.find((t) => t.resourceId === 'te-1')?.instanceId;
    const before = instanceOf();
    s.take({ kind: 'crash', endpoint: 'te-1' });
    s.take({ kind: 'restart', endpoint: 'te-1' });
    s.settle();
    expect(instanceOf()).toBeDefined();
    expect(instanceOf()).not.toBe(before);
    expect(s.te('te-1').establishedResourceManagerConnection?.instanceId).toBe(instanceOf());
    expect(rmSlots(s).filter((x) => x.startsWith('te-1'))).toEqual(['te-1#0:FREE', 'te-1#1:FREE']);
  });

  it('testRegisterTaskExecutorWithUnmatchedLeaderSessionId: calls under an old token are refused', () => {
    const s = cluster();
    // HA elects a new session; the RM learns it before the TaskExecutors and the JobMaster do.
    s.instructOnly('ha', {
      kind: 'leader',
      jobId: null,
      leaderAddress: RM,
      leaderSessionId: 'rm-leader-2',
    });
    s.deliver(RM, 'grantLeadership');
    s.registerJobMasterAtResourceManager({ rmId: RM_ID });
    expect(s.answers(JM)).toEqual(['registerJobMaster.failed']);
    s.settle();
    // The TaskExecutors' disconnect under the old token changes nothing; they register at the new session.
    expect(s.rmLeader().resourceManagerId).toBe('rm-leader-2');
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toEqual(['te-1', 'te-2']);
    expect(s.te('te-1').establishedResourceManagerConnection?.target.leaderId).toBe('rm-leader-2');
  });
});

describe('ResourceManager: JobMaster registration and requirements', () => {
  it('testRegisterJobMaster: registration waits for HA to name the job leader, and is idempotent', () => {
    const s = cluster();
    s.registerJobMasterAtResourceManager();
    expect(s.answers(JM)).toEqual([]); // no leader known for the job yet
    s.announceJobMaster();
    expect(s.answers(JM)).toEqual(['registerJobMaster.succeeded']);
    s.registerJobMasterAtResourceManager();
    expect(s.answers(JM)).toEqual(['registerJobMaster.succeeded', 'registerJobMaster.succeeded']);
    expect(s.rmLeader().jobManagerRegistrations).toHaveLength(1);
  });

  it('testRegisterJobMasterWithUnmatchedLeaderSessionId: a JobMasterId HA does not name is declined; a wrong RM token fails', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager({ jobMasterId: 'jm-leader-0' as never });
    s.registerJobMasterAtResourceManager({ rmId: 'rm-leader-0' as ResourceManagerId });
    expect(s.answers(JM)).toEqual(['registerJobMaster.declined', 'registerJobMaster.failed']);
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]);
  });

  it('declared requirements are served from free slots, and the TaskExecutors allocate them', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(3);
    expect(s.answers(JM)).toContain('declareRequiredResources.acked');
    expect(rmSlots(s)).toEqual([
      'te-1#0:ALLOCATED(job-1)',
      'te-1#1:ALLOCATED(job-1)',
      'te-2#0:ALLOCATED(job-1)',
      'te-2#1:FREE',
    ]);
    const allocated = [...s.slots('te-1'), ...s.slots('te-2')];
    expect(allocated.map((x) => x.replace(/alloc-\d+/, 'A'))).toEqual([
      '0:A:ALLOCATED',
      '1:A:ALLOCATED',
      '0:A:ALLOCATED',
    ]);
    expect(new Set(allocated.map((x) => x.split(':')[1])).size).toBe(3);
    // Each TaskExecutor now registers at the job's leader to offer its slots.
    expect(s.inbox(JM, 'registerTaskManager').map((r) => r.from)).toEqual(['te-1', 'te-2']);
  });

  it('declareRequiredResources is refused without a registration or from another JobMasterId', () => {
    const s = cluster();
    s.declareRequiredResources(1);
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1, { jobMasterId: 'jm-leader-0' as never });
    expect(s.answers(JM).filter((a) => a.startsWith('declare'))).toEqual([
      'declareRequiredResources.failed',
      'declareRequiredResources.failed',
    ]);
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toEqual([]);
  });

  it('§4.10: lowering the requirements cancels and frees nothing at the RM', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(2);
    s.declareRequiredResources(0);
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toHaveLength(2);
    expect(s.rmLeader().slotManager.resourceTracker[JOB]?.excess).toEqual({ default: 2 });
  });

  it('testDisconnectJobManagerWithNonTerminalStatusShouldNotRemoveJob: requirements are retained', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.instruct(JM, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'disconnectJobManager',
        fencingToken: RM_ID,
        jobId: JOB,
        jobStatus: 'SUSPENDED',
        cause: 'failover',
      },
    });
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]);
    expect(s.rmLeader().slotManager.resourceTracker[JOB]?.requirements).toEqual({ UNKNOWN: 1 });
    expect(s.inbox(JM, 'disconnectResourceManager')).toHaveLength(1);
  });

  it('testDisconnectJobManagerWithTerminalStatusShouldRemoveJob / testDisconnectJobManagerClearsRequirements: requirements are cleared and inactive slots reclaimed', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.instruct(JM, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'disconnectJobManager',
        fencingToken: RM_ID,
        jobId: JOB,
        jobStatus: 'FINISHED',
        cause: 'done',
      },
    });
    expect(s.rmLeader().jobLeaderIds).toEqual([]);
    expect(s.slots('te-1')).toEqual([]); // freeInactiveSlots freed the ALLOCATED slot at the TE
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toEqual([]); // and notifySlotAvailable freed it at the RM
  });

  it('testLeaderFutureWaitsForValidLeader: a registration waits while HA names no leader, and completes for a real one', () => {
    const s = cluster();
    s.announceJobMaster(JOB, null, null);
    s.registerJobMasterAtResourceManager();
    expect(s.answers(JM)).toEqual([]);
    s.announceJobMaster();
    expect(s.answers(JM)).toEqual(['registerJobMaster.succeeded']);
  });

  it('testInitialJobTimeout: a job HA never names a leader for is removed after resourcemanager.job.timeout', () => {
    const s = cluster();
    s.registerJobMasterAtResourceManager();
    expect(s.rmLeader().jobLeaderIds.map((e) => e.jobId)).toEqual([JOB]);
    s.advance(299_999);
    expect(s.rmLeader().jobLeaderIds.map((e) => e.jobId)).toEqual([JOB]);
    s.advance(1);
    expect(s.rmLeader().jobLeaderIds).toEqual([]);
    // The waiting registration is never answered; the JobMaster's own ask gives up.
    expect(s.answers(JM)).toEqual(['registerJobMaster.timeout']);
  });

  it('testJobTimeout / jobTimeoutAfterLostLeadership: with no leader for resourcemanager.job.timeout the job is removed', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.announceJobMaster(JOB, null, null);
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]); // jobLeaderLostLeadership closed it (RETAIN)
    expect(s.rmLeader().slotManager.resourceTracker[JOB]?.requirements).toEqual({ UNKNOWN: 1 });
    s.advance(300_000);
    expect(s.rmLeader().jobLeaderIds).toEqual([]);
  });
});

describe('ResourceManager: failures', () => {
  it('testHeartbeatTimeoutWithTaskExecutor: a silent TE is disconnected — slots unregistered, disconnectResourceManager sent', () => {
    const s = cluster({ patientHeartbeats: false });
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    // Cut te-1 off both ways: heartbeat requests are held (not refused), so the monitor times out.
    s.take({ kind: 'partition', from: 'te-1', to: RM, twoWay: true });
    s.advance(50_000);
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toEqual(['te-2']);
    expect(rmSlots(s).some((x) => x.startsWith('te-1'))).toBe(false);
    const told = s.simulation.state.messages.filter(
      (m) => m.to === 'te-1' && m.kind === 'tell' && m.msg.type === 'disconnectResourceManager',
    );
    expect(told).toHaveLength(1);
  });

  it('testHeartbeatTimeoutWithJobMaster: a silent JobMaster is disconnected, its requirements retained', () => {
    const s = cluster(); // the scripted JobMaster never answers heartbeats
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.advance(50_000);
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]);
    expect(s.inbox(JM, 'disconnectResourceManager')).toHaveLength(1);
    expect(s.rmLeader().slotManager.resourceTracker[JOB]?.requirements).toEqual({ UNKNOWN: 1 });
  });

  it('testDisconnectTaskExecutor / testDisconnectTaskManagerInResourceManager: disconnectTaskManager drops the TE, tells the JobMaster, and (standalone) stops nothing', () => {
    const s = cluster({ patientHeartbeats: true });
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.instructOnly(JM, {
      kind: 'tell',
      to: RM,
      msg: {
        type: 'disconnectTaskManager',
        fencingToken: RM_ID,
        resourceId: 'te-1' as never,
        cause: 'test',
      },
    });
    s.deliver(RM, 'disconnectTaskManager');
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toEqual(['te-2']);
    // The job's slot is missing again and requested at te-2.
    expect(rmSlots(s)).toEqual(['te-2#0:PENDING(job-1)', 'te-2#1:FREE']);
    expect(s.inbox(JM, 'disconnectTaskManager')).toHaveLength(0); // under way
    s.settle();
    expect(
      s
        .inbox(JM, 'disconnectTaskManager')
        .map((r) => (r.msg.type === 'disconnectTaskManager' ? r.msg.resourceId : '')),
    ).toEqual(['te-1']);
    // The TaskExecutor, told to reconnect, registers again under a new InstanceID.
    expect(s.simulation.state.endpoints['te-1']?.up).toBe(true);
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toEqual(['te-2', 'te-1']);
  });

  it('testTaskExecutorBecomesUnreachableTriggersDisconnect: a crashed TE is dropped and its slots are missing again', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    expect(rmSlots(s)[0]).toBe('te-1#0:ALLOCATED(job-1)');
    s.take({ kind: 'crash', endpoint: 'te-1' });
    s.advance(20_000); // two heartbeat intervals: two unreachable heartbeat requests
    expect(s.rmLeader().taskExecutors.map((t) => t.resourceId)).toEqual(['te-2']);
    expect(
      s
        .inbox(JM, 'disconnectTaskManager')
        .map((r) => (r.msg.type === 'disconnectTaskManager' ? r.msg.resourceId : '')),
    ).toEqual(['te-1']);
    expect(rmSlots(s)).toEqual(['te-2#0:ALLOCATED(job-1)', 'te-2#1:FREE']);
  });

  it('§4.6 testSlotAllocationTimeout / testTaskExecutorSlotAllocationTimeoutHandling: a timed-out requestSlot is retried with a new AllocationID; the late allocations come back as excess', () => {
    // Long slot timeouts: no JobMaster takes the slots here, and they must outlive the test.
    const s = cluster({ slotTimeoutMs: 1_000_000_000 });
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.take({ kind: 'partition', from: RM, to: 'te-1', twoWay: false });
    s.declareRequiredResources(1);
    s.advance(20_000); // te-1#0, then te-1#1, time out; then te-2#0 is asked and acks
    const requests = s.records
      .flatMap((r) => r.effects)
      .flatMap((e) =>
        e.kind === 'sent' && 'msg' in e.envelope && e.envelope.msg.type === 'requestSlot'
          ? [e.envelope.msg]
          : [],
      );
    expect(requests.map((r) => `${r.slotId.resourceId}#${r.slotId.slotNumber}`)).toEqual([
      'te-1#0',
      'te-1#1',
      'te-2#0',
    ]);
    expect(new Set(requests.map((r) => r.allocationId)).size).toBe(3);
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toEqual(['te-2#0:ALLOCATED(job-1)']);
    // The held requests arrive after all: te-1 allocates both (the timeouts were indefinite), and
    // its next slot report makes the RM count them for the job, as excess.
    s.take({ kind: 'heal', a: 'te-1', b: RM });
    s.settle();
    expect(s.slots('te-1')).toHaveLength(2);
    s.advance(10_000);
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toHaveLength(3);
    expect(s.rmLeader().slotManager.resourceTracker[JOB]?.excess).toEqual({ default: 2 });
  });
});

describe('ResourceManager: standalone start-up period', () => {
  it('testStartupPeriod: no not-enough-resources notification until the start-up period ends', () => {
    const s = cluster({ startupPeriodMs: 60_000, patientHeartbeats: true });
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(5);
    expect(s.inbox(JM, 'notifyNotEnoughResourcesAvailable')).toEqual([]);
    s.advance(60_000);
    // From now on every requirements check that finds slots missing tells the JobMaster.
    expect(s.inbox(JM, 'notifyNotEnoughResourcesAvailable').length).toBeGreaterThan(0);
  });

  it('testNoStartupPeriod: with a period ≤ 0 the notifications never start', () => {
    const s = cluster({ startupPeriodMs: 0, patientHeartbeats: true });
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(5);
    s.advance(400_000);
    expect(s.inbox(JM, 'notifyNotEnoughResourcesAvailable')).toEqual([]);
  });
});

describe('ResourceManager: leader change (§4.5)', () => {
  it('a new leader starts empty; TEs re-register and report their allocations, which count for the job', () => {
    const s = cluster();
    s.announceJobMaster();
    s.registerJobMasterAtResourceManager();
    s.declareRequiredResources(1);
    s.announceResourceManager(RM, 'rm-leader-2');
    expect(s.rmLeader().resourceManagerId).toBe('rm-leader-2');
    expect(rmSlots(s)).toContain('te-1#0:ALLOCATED(job-1)');
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]);
    // Requests of the old leader are fenced off at the TaskExecutors from now on.
    s.registerJobMasterAtResourceManager({ rmId: 'rm-leader-2' as ResourceManagerId });
    s.declareRequiredResources(1, { rmId: 'rm-leader-2' as ResourceManagerId });
    expect(rmSlots(s).filter((x) => x.includes('job-1'))).toHaveLength(1);
  });
});

describe('ResourceManager conformance monitor', () => {
  it('reports a slot manager whose slot state differs from its machine after a step', () => {
    const s = cluster();
    const slot = s.rmLeader().slotManager.slotTracker.slots['te-1#0'];
    if (slot === undefined) throw new Error('te-1#0 is not tracked');
    slot.state = 'ALLOCATED'; // planted: the slot manager "allocates" a slot nobody asked for
    slot.jobId = JOB;
    expect(() => s.heartbeatFromJobManager([], { jm: JM })).not.toThrow(); // a step elsewhere: not compared
    expect(() => s.advance(10_000)).toThrow(
      /rm slot\[te-1#0\]: the model is in free\(null\), the implementation in allocated\(job-1\)/,
    );
  });
});
