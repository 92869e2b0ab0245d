// Stories of the JobMaster's slot pool in a whole simulated cluster (flink-protocol.md §2.5.5,
// §2.5.7, §4.2, §4.7, §4.8, §4.10, §4.15): offers accepted, accepted again and rejected, slots
// reserved, given back when the job restarts, and released with `freeSlot`. Faults are injected
// as steps; the JobMaster's monitor checks every step.
import { describe, expect, it } from 'vitest';
import { drop, electJobMasterQuietly, inFlight } from '../cluster/clusterScenario.js';
import {
  advanceToTimer,
  announceJobLeader,
  cluster,
  deliveredSince,
  heal,
  JM,
  JOB,
  lifecycle,
  partition,
  partitionBoth,
  poolSlots,
  poolSlotStates,
  settleLosing,
  subtaskStates,
} from './jobMasterCluster.js';

const slotsOf = (s: ReturnType<typeof cluster>, te: string) =>
  s
    .jmLeader()
    .slotPool.pool.slots.filter((x) => x.taskManager === te)
    .map((x) => x.allocationId as string);

describe('JobMaster slot pool (§2.5.5, §2.5.7)', () => {
  it('§4.10: offers that arrive after the job scaled down are rejected, and the TaskExecutor frees them', () => {
    const s = cluster({ withJobMaster: false });
    partition(s, 'te-1', JM);
    partition(s, 'te-2', JM);
    announceJobLeader(s, 'jm-leader-1');
    s.advance(1_000); // the RM allocated three slots; the TaskExecutors' offers are held
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    advanceToTimer(s, JM, 'scheduler/restart'); // RUNNING, one slot wanted
    heal(s, 'te-1', JM);
    heal(s, 'te-2', JM);
    expect(poolSlots(s).filter((x) => x.endsWith(':notInPool'))).toHaveLength(2);
    expect(poolSlots(s).filter((x) => x.endsWith(':reserved'))).toHaveLength(1);
    expect(lifecycle(s)).toBe('running');
  });

  it('§4.8: a lost offer answer: the TaskExecutor offers again after its ask timed out, and the pool accepts the slots it holds again', () => {
    const lostAnswer = (restart: boolean) => {
      const s = cluster({ withJobMaster: false, job: { restartDelayMs: 20_000 } });
      partition(s, 'te-2', JM); // the job waits for te-2's slot: te-1's slots are not deployed yet
      electJobMasterQuietly(s, JOB, 1);
      settleLosing(
        s,
        (from, to, type) => from === JM && to === 'te-1' && type === 'offerSlots.accepted',
      );
      if (restart) s.jobClient({ kind: 'changeParallelism', parallelism: 3 });
      const held = poolSlots(s);
      const mark = s.records.length;
      s.advance(10_000); // te-1's offer times out; it offers the same slots again
      expect(deliveredSince(s, mark, 'te-1', JM, 'offerSlots')).toBe(1);
      expect(poolSlots(s)).toEqual(held);
      return poolSlotStates(s);
    };
    expect(lostAnswer(false)).toEqual(['reserved', 'reserved']);
    expect(lostAnswer(true)).toEqual(['free', 'free']);
  });

  it('§4.2: slots the JobMaster released while their TaskExecutor was cut off come back when it offers them again (the job restarts)', () => {
    const s = cluster();
    const held = slotsOf(s, 'te-1');
    expect(held).toHaveLength(2);
    partitionBoth(s, 'te-1', JM);
    advanceToTimer(s, JM, 'taskManagerHeartbeat/timeout/te-1'); // released, freeSlot held
    expect(lifecycle(s)).toBe('restarting');
    expect(inFlight(s, 'freeSlot', 'te-1')).toBe(held.length);
    held.forEach(() => drop(s, 'te-1', 'freeSlot'));
    heal(s, 'te-1', JM); // te-1 re-registers and offers its slots again
    for (const a of held) expect(poolSlots(s)).toContain(`${a}:free`);
  });

  it('§4.7: slots the JobMaster released come back after the job found others: rejected', () => {
    const s = cluster();
    const held = slotsOf(s, 'te-1');
    expect(held).toHaveLength(2);
    partitionBoth(s, 'te-1', JM);
    advanceToTimer(s, JM, 'taskManagerHeartbeat/timeout/te-1');
    s.jobClient({ kind: 'changeParallelism', parallelism: 1 });
    advanceToTimer(s, JM, 'scheduler/restart'); // the job runs in a slot of te-2
    expect(lifecycle(s)).toBe('running');
    held.forEach(() => drop(s, 'te-1', 'freeSlot'));
    expect(inFlight(s, 'freeSlot', 'te-1')).toBe(0);
    heal(s, 'te-1', JM);
    for (const a of held) expect(poolSlots(s)).toContain(`${a}:released`);
    expect(subtaskStates(s)).toEqual(['RUNNING']);
  });
});
