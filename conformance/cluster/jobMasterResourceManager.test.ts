/**
 * Ports of `JobMasterTest`'s ResourceManager scenarios (flink-protocol.md §6.6): a real JobMaster
 * against a ResourceManager scripted by the test, so that each answer and each RM call is exact.
 */
import { describe, expect, it } from 'vitest';
import type { JobID, ResourceID, ResourceManagerId } from '../../protocol/ids.js';
import { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

const JM = 'jm-job-1';

function jobMasterWithScriptedRm(): TaskExecutorScenario {
  const s = new TaskExecutorScenario({ taskExecutors: 0, jobs: [{ jobId: 'job-1' }] });
  s.announceJobMaster('job-1' as JobID, JM, 'job-1-leader-1');
  return s;
}

function acceptRegistration(s: TaskExecutorScenario, rmId = 'rm-leader-1'): void {
  const registration = s.last('rm', 'registerJobMaster');
  s.reply('rm', registration.ask, {
    type: 'registerJobMaster.succeeded',
    resourceManagerId: rmId as ResourceManagerId,
    resourceManagerResourceId: 'rm' as ResourceID,
  });
}

describe('JobMasterTest (RM side)', () => {
  it('testResourceManagerConnectionAfterStart: registers at the RM leader HA names, then declares its requirements', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager();
    const registration = s.last('rm', 'registerJobMaster');
    expect(registration.msg).toMatchObject({
      fencingToken: 'rm-leader-1',
      jobMasterId: 'job-1-leader-1',
      jobId: 'job-1',
    });
    acceptRegistration(s);
    const declaration = s.last('rm', 'declareRequiredResources');
    expect(declaration.msg).toMatchObject({
      jobMasterId: 'job-1-leader-1',
      resourceRequirements: {
        jobId: 'job-1',
        resourceRequirements: [{ resourceProfile: 'UNKNOWN', numberOfRequiredSlots: 2 }],
      },
    });
  });

  it('testReconnectionAfterDisconnect: disconnectResourceManager from the current RM starts a new registration', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager();
    acceptRegistration(s);
    const before = s.inbox('rm', 'registerJobMaster').length;
    s.instruct('rm', {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'disconnectResourceManager',
        fencingToken: 'job-1-leader-1' as never,
        resourceManagerId: 'rm-leader-1' as ResourceManagerId,
        cause: 'test',
      },
    });
    expect(s.inbox('rm', 'registerJobMaster')).toHaveLength(before + 1);
    // It also told the RM it closed the old connection (dissolveResourceManagerConnection).
    expect(s.last('rm', 'disconnectJobManager').msg).toMatchObject({
      jobId: 'job-1',
      jobStatus: 'RUNNING',
    });
  });

  it('a disconnectResourceManager naming another RM leader is ignored', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager();
    acceptRegistration(s);
    const before = s.inbox('rm').length;
    s.instruct('rm', {
      kind: 'tell',
      to: JM,
      msg: {
        type: 'disconnectResourceManager',
        fencingToken: 'job-1-leader-1' as never,
        resourceManagerId: 'rm-leader-0' as ResourceManagerId,
        cause: 'stale',
      },
    });
    expect(
      s
        .inbox('rm')
        .slice(before)
        .map((r) => r.msg.type),
    ).toEqual([]);
    expect(s.jmLeader().establishedResourceManagerConnection).not.toBeNull();
  });

  it('testCloseUnestablishedResourceManagerConnection: a leader change mid-registration stops the attempts at the old RM', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager('rm', 'rm-leader-1');
    const first = s.last('rm', 'registerJobMaster');
    s.announceResourceManager('rm', 'rm-leader-2');
    // The late success of the old leader's registration establishes nothing.
    s.reply('rm', first.ask, {
      type: 'registerJobMaster.succeeded',
      resourceManagerId: 'rm-leader-1' as ResourceManagerId,
      resourceManagerResourceId: 'rm' as ResourceID,
    });
    expect(s.jmLeader().establishedResourceManagerConnection).toBeNull();
    s.advance(60_000);
    const attempts = s
      .inbox('rm', 'registerJobMaster')
      .map((r) => (r.msg as { fencingToken: string }).fencingToken);
    expect(attempts.slice(1).every((t) => t === 'rm-leader-2')).toBe(true);
  });

  it('testHeartbeatTimeoutWithResourceManager: a silent RM is disconnected and registered at again', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager();
    acceptRegistration(s);
    const before = s.inbox('rm', 'registerJobMaster').length;
    s.advance(50_000); // the scripted RM never asks for a heartbeat
    expect(s.last('rm', 'disconnectJobManager').msg).toMatchObject({ jobId: 'job-1' });
    expect(s.inbox('rm', 'registerJobMaster').length).toBeGreaterThan(before);
    expect(s.jmLeader().establishedResourceManagerConnection).toBeNull();
  });

  it('declarations are retried with backoff until the RM acknowledges one, and a newer one replaces an older', () => {
    const s = jobMasterWithScriptedRm();
    s.announceResourceManager();
    acceptRegistration(s);
    const first = s.last('rm', 'declareRequiredResources');
    s.reply('rm', first.ask, {
      type: 'declareRequiredResources.failed',
      exception: 'UnknownJobManager',
      reason: 'not yet',
    });
    s.advance(1);
    const retry = s.last('rm', 'declareRequiredResources');
    expect(retry.ask?.askId).not.toBe(first.ask?.askId);
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    s.advance(2_000);
    const newest = s.last('rm', 'declareRequiredResources');
    expect(newest.msg).toMatchObject({
      resourceRequirements: { resourceRequirements: [{ numberOfRequiredSlots: 1 }] },
    });
    // The failure of the older attempt no longer retries it.
    const count = s.inbox('rm', 'declareRequiredResources').length;
    s.reply('rm', retry.ask, {
      type: 'declareRequiredResources.failed',
      exception: 'UnknownJobManager',
      reason: 'late',
    });
    s.advance(20_000);
    const later = s.inbox('rm', 'declareRequiredResources').slice(count);
    expect(later.every((r) => JSON.stringify(r.msg).includes('"numberOfRequiredSlots":1'))).toBe(
      true,
    );
  });
});
