import { describe, expect, it } from 'vitest';
import { TaskExecutorScenario } from '../taskExecutor/taskExecutorScenario.js';

describe('probe', () => {
  it('runs', () => {
    const s = new TaskExecutorScenario({
      taskExecutors: 2,
      resourceManager: { startupPeriodMs: 0 },
      jobs: [{ jobId: 'job-1', config: { parallelism: 3 } }],
    });
    s.announceResourceManager();
    s.announceJobMaster('job-1' as never, 'jm-job-1', 'jm-leader-1');
    s.advance(1_000);
    console.log(s.slots('te-1'), s.slots('te-2'));
    const jm = s.jmLeader();
    console.log(jm.scheduler, jm.slotPool.pool.slots.map(x=>x.allocationId+':'+x.state));
    expect(jm.scheduler.subtasks.every((t) => t.state === 'RUNNING')).toBe(true);
  });
});
