// Ports of Flink's HeartbeatManagerTest (flink-protocol.md §6.7) onto the heartbeat functions.
import { describe, expect, it } from 'vitest';
import type { ResourceID } from '../../protocol/ids.js';
import {
  heartbeatRpcOutcome,
  DEFAULT_HEARTBEAT_CONFIG as config,
  createHeartbeatManager,
  monitorTarget,
  onHeartbeatRpcOutcome,
  onHeartbeatTimeout,
  onIntervalTimer,
  reportHeartbeat,
  startSending,
  stopHeartbeats,
  targetOfTimeoutTimer,
  unmonitorTarget,
  type HeartbeatTimers,
} from './heartbeatManager.js';

class Timers implements HeartbeatTimers {
  readonly log: string[] = [];
  armTimer(name: string, delayMs: number): void {
    this.log.push(`arm ${name} ${delayMs}`);
  }
  cancelTimer(name: string): void {
    this.log.push(`cancel ${name}`);
  }
}

const rm = 'rm' as ResourceID;
const jm = 'jm-1' as ResourceID;

describe('HeartbeatManagerTest', () => {
  it('testHeartbeatTimeout: a monitored target times out unless its heartbeats keep coming', () => {
    const hb = createHeartbeatManager('rmHeartbeat');
    const timers = new Timers();
    monitorTarget(hb, rm, 'rm', config, timers);
    expect(reportHeartbeat(hb, rm, config, timers)).toBe(true);
    expect(timers.log).toEqual([
      'arm rmHeartbeat/timeout/rm 50000',
      'arm rmHeartbeat/timeout/rm 50000',
    ]);
    expect(targetOfTimeoutTimer(hb, 'rmHeartbeat/timeout/rm')).toBe(rm);
    expect(onHeartbeatTimeout(hb, rm)).toBe(true);
    expect(hb.targets).toEqual([]);
    expect(onHeartbeatTimeout(hb, rm)).toBe(false);
  });

  it('monitoring a target that is already monitored changes nothing', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    monitorTarget(hb, rm, 'rm', config, timers);
    monitorTarget(hb, rm, 'rm-elsewhere', config, timers);
    expect(hb.targets).toEqual([{ resourceId: rm, endpoint: 'rm', consecutiveFailedRpcs: 0 }]);
    expect(timers.log).toHaveLength(1);
  });

  it('testLastHeartbeatFromUnregisteredTarget: a heartbeat from an unmonitored origin is ignored', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    expect(reportHeartbeat(hb, jm, config, timers)).toBe(false);
    expect(timers.log).toEqual([]);
  });

  it('testTargetUnmonitoring: an unmonitored target neither times out nor answers', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    monitorTarget(hb, rm, 'rm', config, timers);
    unmonitorTarget(hb, rm, timers);
    expect(timers.log.at(-1)).toBe('cancel h/timeout/rm');
    expect(onHeartbeatTimeout(hb, rm)).toBe(false);
    expect(reportHeartbeat(hb, rm, config, timers)).toBe(false);
  });

  it('testHeartbeatManagerSenderMarksTargetUnreachableOnRecipientUnreachableException', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    monitorTarget(hb, rm, 'rm', config, timers);
    expect(onHeartbeatRpcOutcome(hb, rm, 'unreachable', config, timers)).toBeNull();
    expect(onHeartbeatRpcOutcome(hb, rm, 'unreachable', config, timers)).toBe('unreachable');
    expect(hb.targets).toEqual([]);
  });

  it('testHeartbeatManagerResetsFailedRpcCountOnSuccessfulRpc; other failures do not count', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    monitorTarget(hb, rm, 'rm', config, timers);
    onHeartbeatRpcOutcome(hb, rm, 'unreachable', config, timers);
    onHeartbeatRpcOutcome(hb, rm, 'delivered', config, timers);
    expect(onHeartbeatRpcOutcome(hb, rm, 'unreachable', config, timers)).toBeNull();
    expect(onHeartbeatRpcOutcome(hb, rm, 'otherFailure', config, timers)).toBeNull();
    expect(hb.targets[0]?.consecutiveFailedRpcs).toBe(1);
  });

  it('testHeartbeatManagerIgnoresRecipientUnreachableExceptionIfDisabled', () => {
    const hb = createHeartbeatManager('h');
    const timers = new Timers();
    const disabled = { ...config, rpcFailureThreshold: -1 };
    monitorTarget(hb, rm, 'rm', disabled, timers);
    for (let i = 0; i < 5; i++)
      expect(onHeartbeatRpcOutcome(hb, rm, 'unreachable', disabled, timers)).toBeNull();
    expect(hb.targets).toHaveLength(1);
  });

  it('the sender asks every monitored target each interval, until stopped', () => {
    const hb = createHeartbeatManager('te');
    const timers = new Timers();
    startSending(hb, config, timers);
    monitorTarget(hb, rm, 'rm', config, timers);
    monitorTarget(hb, jm, 'jm-job-1', config, timers);
    expect(onIntervalTimer(hb, config, timers).map((t) => t.endpoint)).toEqual(['rm', 'jm-job-1']);
    stopHeartbeats(hb, timers);
    expect(hb.targets).toEqual([]);
    expect(timers.log.slice(-3)).toEqual([
      'cancel te/timeout/rm',
      'cancel te/timeout/jm-1',
      'cancel te/interval',
    ]);
  });
});

describe('heartbeatRpcOutcome', () => {
  it('counts only an unreachable receiver towards unreachability', () => {
    expect(heartbeatRpcOutcome({ type: 'heartbeatFromTaskManager.acked' })).toBe('delivered');
    expect(heartbeatRpcOutcome('unreachable')).toBe('unreachable');
    expect(
      heartbeatRpcOutcome({
        type: 'heartbeatFromTaskManager.failed',
        exception: 'RecipientUnreachableException',
      } as { type: string }),
    ).toBe('unreachable');
    expect(
      heartbeatRpcOutcome({
        type: 'heartbeatFromTaskManager.failed',
        exception: 'FencingTokenException',
      } as { type: string }),
    ).toBe('otherFailure');
    expect(heartbeatRpcOutcome('timeout')).toBe('otherFailure');
  });
});
