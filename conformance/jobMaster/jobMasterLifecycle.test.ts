// Stories of the JobMaster's lifecycle in a whole simulated cluster (flink-protocol.md §3, §4.4):
// the real TaskExecutors, ResourceManager and JobMaster run; the JobMaster's monitor compares its
// machines with the implementation after every step, so each story also fails on a divergence.
import { describe, expect, it } from 'vitest';
import { stateName } from '../machineStepper.js';
import {
  advanceToTimer,
  announceJobLeader,
  cluster,
  JM,
  lifecycle,
  poolSlots,
  poolSlotStates,
  rmConnection,
  subtaskStates,
} from './jobMasterCluster.js';

const threeTimes = (state: string) => [state, state, state];

describe('JobMaster lifecycle: leadership and the job status (§2.5.1, §4.4)', () => {
  it('§3: the job runs in reserved slots; finishing it frees them, tells the RM, and ends the process for the job', () => {
    const s = cluster();
    expect(lifecycle(s)).toBe('running');
    expect(stateName(rmConnection(s).snapshot)).toBe('connected');
    expect(poolSlotStates(s)).toEqual(threeTimes('reserved'));
    s.advance(30_000); // heartbeats flow both ways
    s.jobClient({ kind: 'finishJob' });
    expect(lifecycle(s)).toBe('terminated');
    expect(stateName(rmConnection(s).snapshot)).toBe('closed');
    expect(poolSlotStates(s)).toEqual(threeTimes('released'));
    expect(s.rmLeader().jobManagerRegistrations).toEqual([]);
    // A finished job is done at this process: clients and HA change nothing.
    s.jobClient({ kind: 'finishJob' });
    s.jobClient({ kind: 'cancelJob' });
    s.jobClient({ kind: 'changeParallelism', parallelism: 2 });
    announceJobLeader(s, 'jm-leader-2');
    announceJobLeader(s, null);
    expect(lifecycle(s)).toBe('terminated');
    expect(s.jm().leader).toBeNull();
  });

  it('a cancelled job stops its JobMaster for good', () => {
    const s = cluster();
    s.jobClient({ kind: 'cancelJob' });
    expect(lifecycle(s)).toBe('terminated');
    expect(s.jm().terminated).toBe('CANCELED');
  });

  it('§4.4(a): a new JobMasterId at the same process stops the old JobMaster (every slot freed) and runs the job again', () => {
    const s = cluster();
    const before = poolSlots(s);
    announceJobLeader(s, 'jm-leader-2');
    s.advance(1_000);
    expect(lifecycle(s)).toBe('running');
    expect(s.jmLeader().jobMasterId).toBe('jm-leader-2');
    expect(stateName(rmConnection(s).snapshot)).toBe('connected');
    expect(poolSlots(s)).toHaveLength(3);
    expect(poolSlots(s)).not.toEqual(before);
  });

  it('a revoked JobMaster stops (SUSPENDED: the RM keeps the requirements); client calls do nothing until HA grants it again', () => {
    const s = cluster();
    announceJobLeader(s, null);
    expect(lifecycle(s)).toBe('notLeading');
    expect(stateName(rmConnection(s).snapshot)).toBe('closed');
    announceJobLeader(s, null);
    s.jobClient({ kind: 'finishJob' });
    s.jobClient({ kind: 'cancelJob' });
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    expect(lifecycle(s)).toBe('notLeading');
    announceJobLeader(s, 'jm-leader-2');
    s.advance(1_000);
    expect(lifecycle(s)).toBe('running');
    expect(subtaskStates(s)).toEqual(threeTimes('RUNNING'));
  });

  it('a rescale restarts the job; a second rescale while restarting is taken by the pending restart', () => {
    const s = cluster();
    s.jobClient({ kind: 'changeParallelism', parallelism: 2 });
    expect(lifecycle(s)).toBe('restarting');
    expect(poolSlotStates(s)).toEqual(threeTimes('free'));
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    expect(lifecycle(s)).toBe('restarting');
    advanceToTimer(s, JM, 'scheduler/restart');
    expect(lifecycle(s)).toBe('running');
    expect(poolSlots(s).filter((x) => x.endsWith(':reserved'))).toHaveLength(1);
    // §4.11: the two excess slots stay free until the idle check returns them.
    s.advance(100_000);
    expect(poolSlots(s).filter((x) => x.endsWith(':released'))).toHaveLength(2);
  });

  it('§4.2: a crashed TaskExecutor is found unreachable; its slots leave the pool and the job restarts elsewhere', () => {
    const s = cluster({ taskExecutors: 3 });
    const lost = s.jmLeader().slotPool.pool.slots.filter((x) => x.taskManager === 'te-2');
    expect(lost).toHaveLength(1);
    s.take({ kind: 'crash', endpoint: 'te-2' });
    s.advance(30_000); // two unreachable heartbeat answers, then the restart delay
    expect(s.jmLeader().scheduler.restarts).toBe(1);
    for (const slot of lost) expect(poolSlots(s)).toContain(`${slot.allocationId}:released`);
    expect(lifecycle(s)).toBe('running');
    expect(subtaskStates(s)).toEqual(threeTimes('RUNNING'));
  });

  it('a JobMaster restarting its job can be granted again, revoked, finished or cancelled', () => {
    const restarting = () => {
      const s = cluster();
      s.jobClient({ kind: 'changeParallelism', parallelism: 2 });
      expect(lifecycle(s)).toBe('restarting');
      return s;
    };
    const granted = restarting();
    announceJobLeader(granted, 'jm-leader-2');
    expect(lifecycle(granted)).toBe('running');
    const revoked = restarting();
    announceJobLeader(revoked, null);
    expect(lifecycle(revoked)).toBe('notLeading');
    const finished = restarting();
    finished.jobClient({ kind: 'finishJob' });
    expect(lifecycle(finished)).toBe('terminated');
    const cancelled = restarting();
    cancelled.jobClient({ kind: 'cancelJob' });
    expect(lifecycle(cancelled)).toBe('terminated');
  });

  it('a job that cannot get its slots times out its bulk and restarts, again and again', () => {
    const s = cluster({ withResourceManager: false, job: { slotRequestTimeoutMs: 5_000 } });
    expect(lifecycle(s)).toBe('running');
    advanceToTimer(s, JM, 'scheduler/bulkCheck');
    expect(lifecycle(s)).toBe('restarting');
    advanceToTimer(s, JM, 'scheduler/restart');
    expect(lifecycle(s)).toBe('running');
    advanceToTimer(s, JM, 'scheduler/bulkCheck');
    expect(lifecycle(s)).toBe('restarting');
    expect(s.jmLeader().scheduler.restarts).toBe(2);
  });

  it('a crashed JobMaster process starts over: not leading until HA grants it again', () => {
    const s = cluster();
    s.take({ kind: 'crash', endpoint: JM });
    s.take({ kind: 'restart', endpoint: JM });
    s.settle();
    expect(lifecycle(s)).toBe('notLeading');
    announceJobLeader(s, 'jm-leader-2');
    s.advance(60_000);
    expect(lifecycle(s)).toBe('running');
  });
});
