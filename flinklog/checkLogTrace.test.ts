/**
 * The relaxed check of Flink logs, on small logs written with the catalogue's own lines: what
 * conforms (the lifecycle of a slot, a log that starts mid-run, a job disconnect that the log
 * cannot show), and each violation with the log lines behind it.
 */
import { describe, expect, it } from 'vitest';
import { convertLogs } from './convert.js';
import { logEntry, templateLine } from './logLines.js';
import { buildLogReport, type LogCheckReport } from './logReport.js';
import { closure, HIDDEN_EDGES, observe, SLOT_EDGES } from './slotLifecycle.js';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const JOB = '11111111111111111111111111111111';
const PROFILE = 'ResourceProfile{cpuCores=1}';
const L = (ms: number, id: string, ...values: (string | number)[]) => templateLine(ms, id, values);

async function check(files: Record<string, string[]>, graceMs?: number): Promise<LogCheckReport> {
  const trace = await convertLogs(Object.entries(files).map(([path, lines]) => ({ path, lines })));
  return buildLogReport(trace, graceMs === undefined ? {} : { graceMs });
}

const tmStart = (slots: number) => [
  L(0, 'numberOfTaskSlots', slots),
  L(0, 'taskManagerResourceId', 'tm-1'),
];
const allocate = (ms: number, id: string) => [
  L(ms, 'receiveSlotRequest', id, JOB, '00000000000000000000000000000000'),
  L(ms, 'allocatedSlot', id),
];
/** A TaskManager that allocates A at `ms`, activates it, and still logs 200 s in, never freeing it. */
const keptActive = (ms: number) => [
  ...tmStart(2),
  ...allocate(ms, A),
  L(ms + 1, 'activateSlot', A),
  L(200_000, 'offerReservedSlots', B),
];
const free = (ms: number, id: string, index: number, state = 'ACTIVE') =>
  L(ms, 'freeSlot', index, state, PROFILE, id, JOB);

describe('the TaskSlot machine as a log sees it', () => {
  it('is read from the model: its edges, and the one hidden change (ACTIVE → ALLOCATED on a job disconnect)', () => {
    expect(
      SLOT_EDGES.some(
        (e) => e.from === 'free' && e.event === 'requestSlot' && e.to === 'allocated',
      ),
    ).toBe(true);
    expect(HIDDEN_EDGES.map((e) => `${e.from}>${e.to} ${e.event}`)).toEqual([
      'active>allocated jobDisconnected',
    ]);
    expect([...closure(new Set(['active']))].sort()).toEqual(['active', 'allocated']);
  });

  it('allows only what the machine allows', () => {
    expect(observe(new Set(['free']), { kind: 'activated' }).next).toBeNull();
    expect([...(observe(new Set(['free']), { kind: 'allocated' }).next ?? [])]).toEqual([
      'allocated',
    ]);
    expect(observe(new Set(['active']), { kind: 'freed', from: 'allocated' }).next).not.toBeNull();
    expect(observe(new Set(['releasing']), { kind: 'freed', from: 'active' }).next).toBeNull();
    expect([
      ...(observe(new Set(['releasing']), { kind: 'freed', from: 'releasing' }).next ?? []),
    ]).toEqual(['releasing', 'free']);
  });
});

describe('check of Flink logs', () => {
  it("a slot's whole lifecycle, and a log that starts after an allocation, conform", async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        L(1, 'activateSlot', B), // allocated before the log begins
        ...allocate(10, A),
        L(20, 'activateSlot', A),
        L(21, 'receivedTask', 'Map (1/1)#0', 'x1', A),
        L(22, 'activateSlot', A),
        // the job disconnected (unlogged: back to ALLOCATED), then the slot is freed
        free(30, A, 0, 'ALLOCATED'),
        ...allocate(40, A.replace(/a/g, 'c')),
        free(50, B, 1),
      ],
    });
    expect(report.violations).toEqual([]);
    expect(report.verdict).toBe('conforms');
    expect(report.exitCode).toBe(0);
  });

  it('oneAllocationPerSlot: a second allocation at a slot index nobody freed', async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        ...allocate(10, A),
        L(11, 'activateSlot', A),
        ...allocate(20, B),
        free(30, B, 0),
        free(40, A, 0),
      ],
    });
    const v = report.violations.find((x) => x.invariant === 'oneAllocationPerSlot');
    expect(v?.message).toMatch(
      /slot 0 of TaskManager tm-1 is allocated to b+ while it still holds a+/,
    );
    expect(v?.lines.map((l) => l.line)).toContain(5); // B's Allocated slot line
    expect(report.exitCode).toBe(1);
  });

  it('oneAllocationPerSlot: more allocations held than the TaskManager has slots', async () => {
    const report = await check({ tm: [...tmStart(1), ...allocate(10, A), ...allocate(20, B)] });
    expect(report.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/has 1 slot\(s\) and allocates b+ while it holds a+/),
    ]);
  });

  it('oneAllocationPerSlot: a line the machine has no transition for (activating a freed allocation)', async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        ...allocate(10, A),
        free(20, A, 0, 'ALLOCATED'),
        L(30, 'activateSlot', A),
      ],
    });
    expect(report.violations[0]?.message).toMatch(
      /"Activate slot a+\." is no transition of the TaskSlot machine: allocation a+ \(slot 0\) is one of FREE, RELEASING there/,
    );
  });

  it('allocationAtOneTaskManager: an AllocationID at two TaskManagers', async () => {
    const report = await check({
      tm: [...tmStart(2), ...allocate(10, A)],
      jm: [
        L(
          15,
          'deployingTaskWithVertexId',
          'Map (1/1)',
          0,
          'x1',
          'v1',
          'tm-2 @ host (dataPort=1)',
          A,
        ),
      ],
    });
    expect(report.violations.map((v) => v.invariant)).toEqual(['allocationAtOneTaskManager']);
    expect(report.violations[0]?.lines.map((l) => l.file)).toEqual(['tm', 'jm']);
  });

  it('noSlotOfEndedJob: a slot kept past the grace after its job ended, unless the TaskManager was lost', async () => {
    const ended = L(1_000, 'jobSwitchedState', 'WordCount', JOB, 'RUNNING', 'FINISHED');
    const tm = keptActive(10);
    const kept = await check({ tm, jm: [ended] });
    expect(kept.violations.map((v) => v.invariant)).toEqual(['noSlotOfEndedJob']);
    expect(kept.violations[0]?.message).toMatch(
      /still holds allocation a+ of job 1+ \(ACTIVE\) 199 s after the job ended; its log goes on/,
    );
    const lost = await check({
      tm,
      jm: [ended, L(2_000, 'taskManagerHeartbeatTimeoutAtResourceManager', 'tm-1')],
    });
    expect(lost.violations).toEqual([]);
    const freed = await check({ tm: [...tm, free(200_001, A, 0)], jm: [ended] });
    // Freed at last: late, but not kept.
    expect(freed.violations).toEqual([]);
    const longerGrace = await check({ tm, jm: [ended] }, 300_000);
    expect(longerGrace.violations).toEqual([]);
  });

  it('reports what the logs could not show, and unknown lines without failing', async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        'garbage line',
        L(5, 'activateSlot', A).replace('Activate slot', 'Activated the slot'),
        ...allocate(10, A),
      ],
    });
    expect(report.verdict).toBe('conforms');
    expect(report.unknown.entries).toBe(1);
    expect(report.unknown.samples[0]).toMatch(/^tm:4: Activated the slot/);
    expect(report.unobservable).toContain(
      "no JobManager log: job ends, deployments, registrations and the ResourceManager's requests were not seen",
    );
    expect(report.unobservable.some((u) => u.startsWith('at INFO: '))).toBe(true);
  });

  it('a file with no Flink log line is unusable (exit 2), never a crash', async () => {
    const report = await check({
      'notes.txt': ['hello', '\u0000\u0001binary', 'x'.repeat(100_000)],
    });
    expect(report.verdict).toBe('unusable');
    expect(report.exitCode).toBe(2);
  });

  it('freeing a RELEASING slot again logs again, and conforms', async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        ...allocate(10, A),
        L(11, 'activateSlot', A),
        free(20, A, 0),
        free(21, A, 0, 'RELEASING'),
        free(22, A, 0, 'RELEASING'),
      ],
    });
    expect(report.violations).toEqual([]);
  });

  it('the same allocation reported allocated again (a repeated request) is idempotent', async () => {
    const report = await check({
      tm: [...tmStart(2), ...allocate(10, A), L(11, 'activateSlot', A), L(12, 'allocatedSlot', A)],
    });
    expect(report.violations).toEqual([]);
  });

  it('an ExecutionGraph cancelled to restart the job (adaptive scheduler) does not end the job; a reused JobID runs again', async () => {
    const JM = [
      L(1_000, 'jobSwitchedState', 'WordCount', JOB, 'CANCELLING', 'CANCELED'),
      L(1_500, 'jobSwitchedState', 'WordCount', JOB, 'CREATED', 'RUNNING'),
    ];
    const tm = keptActive(10);
    expect((await check({ tm, jm: JM })).violations).toEqual([]);
    const reused = await check({
      tm: keptActive(2_000),
      jm: [L(1_000, 'jobReachedTerminalState', JOB, 'FINISHED')],
    });
    expect(reused.violations).toEqual([]);
  });

  it('one fault, one report: the lines after it of the same allocation are not reported again', async () => {
    const report = await check({
      tm: [
        ...tmStart(2),
        ...allocate(10, A),
        free(20, A, 0, 'ALLOCATED'),
        L(30, 'activateSlot', A),
        L(31, 'activateSlot', A),
        free(40, A, 0),
      ],
    });
    expect(report.violations).toHaveLength(1);
  });

  it('a TaskManager that registers again after it was lost is judged again', async () => {
    const ended = L(1_000, 'jobSwitchedState', 'WordCount', JOB, 'RUNNING', 'FINISHED');
    const tm = keptActive(10);
    const report = await check({
      tm,
      jm: [
        L(500, 'taskManagerHeartbeatTimeoutAtResourceManager', 'tm-1'),
        L(
          600,
          'registeringTaskManager',
          'tm-1',
          'pekko.tcp://flink@tm-1:6122/user/rpc/taskmanager_0',
        ),
        ended,
      ],
    });
    expect(report.violations.map((v) => v.invariant)).toEqual(['noSlotOfEndedJob']);
  });

  it('a TaskManager with dynamic slots (an index beyond its configured ones) has no slot count to exceed', async () => {
    const report = await check({
      tm: [
        ...tmStart(1),
        ...allocate(10, A),
        ...allocate(20, B),
        free(30, B, 1, 'ALLOCATED'),
        free(40, A, 0, 'ALLOCATED'),
      ],
    });
    expect(report.violations).toEqual([]);
  });

  it("a JobMaster's disconnect of the TaskManagers it used, as it stops, does not exempt their slots", async () => {
    const tm = keptActive(10);
    const report = await check({
      tm,
      jm: [
        L(1_000, 'jobReachedTerminalState', JOB, 'FINISHED'),
        L(
          1_001,
          'disconnectTaskExecutorAtJobMaster',
          'tm-1',
          `Stopping JobMaster for job 'WordCount' (${JOB}).`,
        ),
      ],
    });
    expect(report.violations.map((v) => v.invariant)).toEqual(['noSlotOfEndedJob']);
  });

  it("from 1.14 only the Dispatcher's line ends a job: a cancelled ExecutionGraph waiting for its successor does not", async () => {
    const banner = logEntry(
      0,
      'TaskManagerRunner',
      ' Starting TaskManager (Version: 1.17.2, Scala: 2.12, Rev:x, Date:y)',
    );
    const report = await check({
      tm: [banner, ...keptActive(10)],
      jm: [L(1_000, 'jobSwitchedState', 'WordCount', JOB, 'CANCELLING', 'CANCELED')],
    });
    expect(report.violations).toEqual([]);
  });

  it("a MiniCluster's log (JobManager and TaskManagers in one process) is not split, and its TaskManager lines place no allocation", async () => {
    const report = await check({
      mini: [
        logEntry(0, 'MiniCluster', 'Starting Flink Mini Cluster'),
        L(1, 'taskManagerResourceId', 'tm-one'),
        L(2, 'taskManagerResourceId', 'tm-two'),
        ...allocate(10, A),
        L(
          11,
          'deployingTaskWithVertexId',
          'Map (1/1)',
          0,
          'x1',
          'v1',
          'tm-one @ localhost (dataPort=1)',
          A,
        ),
        L(12, 'receivedTask', 'Map (1/1)#0', 'x1', A),
      ],
    });
    expect(report.files.map((f) => f.path)).toEqual(['mini']);
    expect(report.violations).toEqual([]);
  });
});
