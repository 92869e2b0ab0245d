import { describe, expect, it } from 'vitest';
import { FlinkClusterConfig } from '../impl/cluster/flinkCluster.js';
import { simConfig } from '../impl/sim/config.js';
import { checkedRun } from './checkedRun.js';

const light = { drop: 4, duplicate: 2, delay: 2, reorder: 4, crash: 2, partition: 2 };
const heavy = { drop: 20, duplicate: 10, delay: 10, reorder: 20, crash: 6, partition: 6 };

function replay(seed: number, flags: string): string {
  return `npx flink-slot-model simulate --seed ${seed} ${flags}`;
}

describe('checked runs of the whole cluster', () => {
  // Each run: monitors and always-invariants after every step, eventual checks after healing.
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'standalone, light fault mix, seed %i: every check passes',
    (seed) => {
      const result = checkedRun({
        cluster: FlinkClusterConfig.parse({ jobActions: 2 }),
        sim: simConfig({ maxSteps: 1_500, faults: light, network: { minLatencyMs: 1 } }),
        seed,
        healMs: 300_000,
      });
      expect(result.failure, replay(seed, '--steps 1500 --job-actions 2')).toBeNull();
      expect(result.passed).toContain('noLeakedSlot, after healing');
    },
  );

  const active = (seed: number) =>
    checkedRun({
      cluster: FlinkClusterConfig.parse({ mode: 'active', jobActions: 3, jobEnds: true }),
      sim: simConfig({ maxSteps: 1_500, faults: heavy, network: { minLatencyMs: 1 } }),
      seed,
      healMs: 300_000,
    });
  const activeFlags = '--steps 1500 --mode active --faults heavy --job-actions 3 --job-ends';

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'active, heavy fault mix, jobs may end, seed %i: every check passes',
    (seed) => {
      expect(active(seed).failure, replay(seed, activeFlags)).toBeNull();
    },
  );

  // A finding, kept as a test that flips when it is resolved: the slot manager still counts pending
  // slots for a worker it asked for, while the ResourceManager counted that request off when
  // another worker registered; no later event asks for a worker again, and job-2 waits for slots
  // forever (1 seed in 40 of this mix). Whether Flink 1.15 has the same gap is for the property
  // suite and the bug zoo to settle.
  it.fails(
    'active, heavy fault mix, seed 13: a job waits forever for a worker nobody requests',
    () => {
      const result = active(13);
      expect(result.failure, replay(13, activeFlags)).toBeNull();
    },
  );

  it('the same seed gives the same run, step for step', () => {
    const run = () =>
      checkedRun({
        cluster: FlinkClusterConfig.parse({}),
        sim: simConfig({ maxSteps: 800, faults: light, network: { minLatencyMs: 1 } }),
        seed: 7,
        healMs: 120_000,
      }).simulation.hash();
    expect(run()).toBe(run());
  });
});
