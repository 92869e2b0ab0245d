/**
 * The log layouts in use, each read to the same entry: log4j2's default (`[]` context), log4j1's
 * (no context), the thread before or after the level, container prefixes, ISO and time-of-day
 * stamps; and what starts no entry (a stack frame, a message's second line).
 */
import { describe, expect, it } from 'vitest';
import { loggerClass, readEntryHead } from './logLayout.js';
import { readEntries } from './logEntries.js';

const MESSAGE = 'Activate slot 3b41f2b6c9f47bf531ac47e91afde9fb.';
const LOGGER = 'org.apache.flink.runtime.taskexecutor.slot.TaskSlotTableImpl';
const AT = Date.UTC(2022, 4, 27, 16, 13, 0, 682);

describe('log layouts', () => {
  const cases: [string, string, string | null, string][] = [
    ['log4j2', `2022-05-27 16:13:00,682 INFO  ${LOGGER} [] - ${MESSAGE}`, null, 'log4j2'],
    ['log4j1', `2022-05-27 16:13:00,682 INFO  ${LOGGER.padEnd(60)} - ${MESSAGE}`, null, 'log4j1'],
    [
      'thread before the level',
      `2022-05-27 16:13:00,682 [flink-akka.actor.default-dispatcher-3] INFO  ${LOGGER} - ${MESSAGE}`,
      'flink-akka.actor.default-dispatcher-3',
      'threadFirst',
    ],
    [
      'thread with brackets inside, and the context',
      `2022-05-27 16:13:00,682 [Source: Values[1] -> Calc[2] (1/1)#0] INFO  ${LOGGER} [] - ${MESSAGE}`,
      'Source: Values[1] -> Calc[2] (1/1)#0',
      'threadFirst',
    ],
    [
      'thread after the level',
      `2022-05-27 16:13:00,682 INFO  [main] ${LOGGER} - ${MESSAGE}`,
      'main',
      'threadAfterLevel',
    ],
    [
      'docker-compose prefix',
      `taskmanager_1  | 2022-05-27 16:13:00,682 INFO  ${LOGGER} [] - ${MESSAGE}`,
      null,
      'log4j2',
    ],
    [
      "Docker Desktop's prefix",
      `2025-05-16 13:19:25.384 | 2022-05-27 16:13:00,682 INFO  ${LOGGER} [] - ${MESSAGE}`,
      null,
      'log4j2',
    ],
    [
      'indented, with the context mangled to "]" by a Markdown page',
      `    2022-05-27 16:13:00,682 INFO  ${LOGGER}           ] - ${MESSAGE}`,
      null,
      'log4j2',
    ],
    [
      'ISO stamp, dot millis',
      `2022-05-27T16:13:00.682 INFO  ${LOGGER} [] - ${MESSAGE}`,
      null,
      'log4j2',
    ],
  ];
  for (const [name, line, thread, layout] of cases)
    it(`${name}: time, level, logger, thread and message`, () => {
      const head = readEntryHead(line);
      expect(head).not.toBeNull();
      expect(head?.layout).toBe(layout);
      expect(head?.time).toBe(AT);
      expect(head?.level).toBe('INFO');
      expect(head?.logger).toBe(LOGGER);
      expect(head?.thread).toBe(thread);
      expect(head?.message).toBe(MESSAGE);
    });

  it('a time-of-day stamp counts from midnight; an abbreviated logger keeps its class', () => {
    const head = readEntryHead(`16:13:00,682 WARN  o.a.f.r.t.s.TaskSlotTableImpl [] - ${MESSAGE}`);
    expect(head?.time).toBe((16 * 60 + 13) * 60 * 1000 + 682);
    expect(head?.level).toBe('WARN');
    expect(loggerClass(head?.logger ?? '')).toBe('TaskSlotTableImpl');
  });

  it('stack frames, Caused by and a message second line start no entry', () => {
    for (const line of [
      '\tat org.apache.flink.runtime.taskexecutor.TaskExecutor.requestSlot(TaskExecutor.java:1040)',
      'Caused by: org.apache.flink.runtime.taskexecutor.exceptions.SlotOccupiedException: occupied',
      '\t\tResourceRequirement{resourceProfile=ResourceProfile{UNKNOWN}, numberOfRequiredSlots=1}',
      'Generated number: 17',
      '',
    ])
      expect(readEntryHead(line)).toBeNull();
  });

  it('groups continuation lines into their entry and reports lines before the first', async () => {
    const items = [];
    for await (const item of readEntries([
      'INFO  [] - Final TaskExecutor Memory configuration:',
      `2022-05-27 16:13:00,682 WARN  ${LOGGER} [] - Free slot failed.`,
      'java.lang.IllegalStateException: boom',
      '\tat A.b(A.java:1)',
      `2022-05-27 16:13:01,000 INFO  ${LOGGER} [] - ${MESSAGE}\r`,
    ]))
      items.push(item);
    expect(items.map((i) => i.kind)).toEqual(['orphan', 'entry', 'entry']);
    const first = items[1];
    expect(first?.kind === 'entry' && first.entry.lines).toBe(3);
    expect(first?.kind === 'entry' && first.entry.continuation).toEqual([
      'java.lang.IllegalStateException: boom',
      '\tat A.b(A.java:1)',
    ]);
    const second = items[2];
    expect(second?.kind === 'entry' && second.entry.head.message).toBe(MESSAGE);
    expect(second?.kind === 'entry' && second.entry.line).toBe(5);
  });
});
