/**
 * The conversion's own cases: a file that holds several processes (docker-compose containers, a
 * TaskManager restarted into the same file) becomes one stream per process; a YARN or Kubernetes
 * TaskManager's banner is the TaskManager's; a catalogue line that states nothing followed counts
 * as recognised; an over-long line is left unmatched at once; what is converted reads back.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertLogs } from './convert.js';
import { logEntry, templateLine } from './logLines.js';
import { logTraceLines } from './logTrace.js';
import { readLogTrace } from './readLogTrace.js';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const JOB = '11111111111111111111111111111111';

describe('converting Flink logs', () => {
  it("splits docker-compose containers' interleaved lines (and their stack traces) into one stream each", async () => {
    const one = (c: string, line: string) => `${c.padEnd(14)} | ${line}`;
    const trace = await convertLogs([
      {
        path: 'compose.log',
        lines: [
          one('taskmanager-1', templateLine(0, 'taskManagerResourceId', ['tm-a'])),
          one('taskmanager-2', templateLine(0, 'taskManagerResourceId', ['tm-b'])),
          one('taskmanager-1', templateLine(10, 'allocatedSlot', [A])),
          one('taskmanager-2', logEntry(11, 'TaskExecutor', 'Something failed.', 'WARN')),
          one('taskmanager-1', templateLine(12, 'activateSlot', [A])),
          one('taskmanager-2', 'java.lang.IllegalStateException: boom'),
          one('taskmanager-2', '\tat A.b(A.java:1)'),
        ],
      },
    ]);
    expect(trace.header.files.map((f) => [f.path, f.taskManager, f.entries, f.lines])).toEqual([
      ['compose.log [taskmanager-1]', 'tm-a', 3, 5],
      ['compose.log [taskmanager-2]', 'tm-b', 2, 7],
    ]);
    expect(
      trace.events.filter((e) => e.fact.kind === 'slotActivated').map((e) => e.taskManager),
    ).toEqual(['tm-a']);
  });

  it('a TaskManager restarted into the same file is a new stream, named by its own ResourceID', async () => {
    const banner = logEntry(
      0,
      'TaskManagerRunner',
      ' Starting TaskManager (Version: 1.17.2, Scala: 2.12, Rev:x, Date:y)',
    );
    const trace = await convertLogs([
      {
        path: 'tm.log',
        lines: [
          banner,
          templateLine(1, 'taskManagerResourceId', ['tm-old']),
          templateLine(10, 'allocatedSlot', [A]),
          banner,
          templateLine(101, 'taskManagerResourceId', ['tm-new']),
        ],
      },
    ]);
    expect(trace.header.files.map((f) => [f.path, f.taskManager])).toEqual([
      ['tm.log', 'tm-old'],
      ['tm.log (from line 4)', 'tm-new'],
    ]);
  });

  it("a YARN TaskManager's banner is the TaskManager's event", async () => {
    const trace = await convertLogs([
      {
        path: 'tm.log',
        lines: [
          '2022-12-30 12:19:23,733 INFO  org.apache.flink.yarn.YarnTaskExecutorRunner                 [] -  Starting YARN TaskExecutor runner (Version: 1.14.0, Scala: 2.12, Rev:460b386, Date:2021-09-22T08:39:40+02:00)',
          templateLine(1, 'taskManagerResourceId', ['container_1_01_000002(host:1)']),
        ],
      },
    ]);
    expect(trace.events[0]).toMatchObject({
      process: 'taskmanager',
      taskManager: 'container_1_01_000002',
    });
  });

  it('a catalogue line that states nothing followed (a job going RUNNING) counts as recognised', async () => {
    const trace = await convertLogs([
      {
        path: 'jm.log',
        lines: [
          templateLine(0, 'registeringTaskManager', ['tm-1', 'addr']),
          logEntry(1, 'JobMaster', 'Something else.'),
        ],
      },
    ]);
    expect(trace.header.files[0]).toMatchObject({
      entries: 2,
      recognised: 1,
      unknownOfKnownLoggers: 1,
    });
    const running = await convertLogs([
      {
        path: 'jm.log',
        lines: [templateLine(0, 'jobSwitchedState', ['WordCount', JOB, 'CREATED', 'RUNNING'])],
      },
    ]);
    expect(running.header.files[0]?.recognised).toBe(1);
  });

  it('a 1 MiB line that looks like a job state line is left unmatched (never a hang)', async () => {
    const evil = logEntry(
      0,
      'ExecutionGraph',
      `Job ${'x ('.repeat(350_000)} (${JOB}) switched from state A to `,
    );
    const trace = await convertLogs([
      { path: 'jm.log', lines: [evil, templateLine(1, 'registeringTaskManager', ['tm-1', 'a'])] },
    ]);
    expect(trace.end.unknown.entries).toBe(1);
    expect(trace.events).toHaveLength(1);
  });

  it('what is converted reads back, for every real sample', async () => {
    const dir = join(import.meta.dirname, 'samples');
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
    const trace = await convertLogs(
      logs.map((f) => ({ path: f, lines: readFileSync(join(dir, f), 'utf8').split('\n') })),
    );
    expect(await readLogTrace(logTraceLines(trace))).toEqual(trace);
  });
});
