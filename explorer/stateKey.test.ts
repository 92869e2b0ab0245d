/**
 * The state key on hand-made worlds, for what searches reach only deep:
 * - what a component keeps of the simulator's numbers must be read as the key reads those numbers
 *   elsewhere. A ResourceManager keeps the `registerJobMaster` asks it will answer later (their
 *   askIds), and the simulator numbers asks globally: the same raw askId may name the ask its
 *   caller still waits for in one world and an ask that already ended in another;
 * - interchangeable TaskExecutors are put in order by their states with their ids renamed, so that
 *   which InstanceID each one drew does not decide the order (two renamings of one state read
 *   apart otherwise).
 */
import { describe, expect, it } from 'vitest';
import type { PendingAsk, Timer, World } from '../impl/sim/world.js';
import { StateKeys } from './stateKey.js';

const request = { type: 'registerJobMaster', jobId: 'job-1' };
const up = { up: true, incarnation: 1 };

/** The caller `jm-job-1` waits for ask `pending`; the ResourceManager keeps ask `kept` to answer. */
function world(
  pending: number,
  kept: number,
  taskExecutors: Record<string, unknown> = {},
): World<unknown, unknown> {
  const ask: PendingAsk<unknown> = {
    askId: pending,
    caller: 'jm-job-1',
    callee: 'rm',
    request,
    context: null,
  };
  const timer: Timer = {
    endpoint: 'jm-job-1',
    name: `ask#${pending}`,
    fireAt: 100,
    askId: pending,
    data: null,
  };
  return {
    now: 0,
    nextSeq: Math.max(pending, kept) + 1,
    stepCount: 0,
    rng: [1, 2, 3, 4],
    endpoints: Object.fromEntries(
      ['rm', 'jm-job-1', ...Object.keys(taskExecutors)].map((e) => [e, up]),
    ),
    messages: [],
    timers: [timer],
    asks: [ask],
    blockedLinks: [],
    faultCounts: { drop: 0, duplicate: 0, delay: 0, reorder: 0, crash: 0, partition: 0 },
    system: {
      resourceManager: { waiting: [{ ask: { askId: kept, caller: 'jm-job-1' } }] },
      taskExecutors,
      jobMasters: {},
    },
  };
}

describe('the state key and the asks a component keeps', () => {
  const keys = new StateKeys({ symmetric: [], renameIds: true });

  it('tells apart an answer its caller waits for from one that will come too late', () => {
    // Ask 12 pending and kept, against ask 12 kept but ended (its caller now waits for ask 15).
    expect(keys.key(world(12, 12))).not.toBe(keys.key(world(15, 12)));
  });

  it('reads the same ask under other numbers the same', () => {
    expect(keys.key(world(12, 12))).toBe(keys.key(world(15, 15)));
    expect(keys.key(world(15, 12))).toBe(keys.key(world(19, 7)));
  });
});

describe('the state key and interchangeable TaskExecutors', () => {
  const keys = new StateKeys({ symmetric: ['te-1', 'te-2'], renameIds: true });
  const te = (instanceId: string, job: string) => ({ instanceId, jobs: [job] });

  it('reads alike two states that differ in which TaskExecutor drew which InstanceID', () => {
    const drawn = world(1, 1, { 'te-1': te('instance-1', 'a'), 'te-2': te('instance-2', 'b') });
    const swapped = world(1, 1, { 'te-1': te('instance-2', 'a'), 'te-2': te('instance-1', 'b') });
    expect(keys.key(drawn)).toBe(keys.key(swapped));
  });

  it('reads alike two states that differ in which TaskExecutor is which', () => {
    const one = world(1, 1, { 'te-1': te('instance-1', 'a'), 'te-2': te('instance-2', 'b') });
    const other = world(1, 1, { 'te-1': te('instance-2', 'b'), 'te-2': te('instance-1', 'a') });
    expect(keys.key(one)).toBe(keys.key(other));
    const apart = world(1, 1, { 'te-1': te('instance-1', 'a'), 'te-2': te('instance-2', 'a') });
    expect(keys.key(one)).not.toBe(keys.key(apart));
  });
});
