/**
 * The viewer's data for a cluster's Flink logs: a lifeline per process, a lane per TaskManager
 * slot with the states the lines show, the messages a pair of lines shows, and the violation on
 * the row of its last line; the page renders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../traces/view/renderHtml.js';
import { deltaDecode, FATES, SLOT_STATES } from '../traces/view/viewData.js';
import { convertLogs } from './convert.js';
import { templateLine } from './logLines.js';
import { buildLogReport } from './logReport.js';
import { buildLogView } from './logView.js';

const read = (f: string) =>
  readFileSync(join(import.meta.dirname, 'samples', f), 'utf8').split('\n');

describe('the view of Flink logs', () => {
  it('a real Flink 2.0 cluster: lifelines, a slot lane ALLOCATED then ACTIVE, the slot request and the task delivered', async () => {
    const files = [
      'flink-2.0.0-docker-compose-standalone-jm.log',
      'flink-2.0.0-docker-compose-standalone-tm.log',
    ];
    const trace = await convertLogs(files.map((path) => ({ path, lines: read(path) })));
    const data = buildLogView(trace, buildLogReport(trace), 'cluster.ndjson');
    expect(data.lifelines.names).toEqual(['jobmanager', '172.19.0.3:35889-20872d']);
    expect(data.lanes.names).toEqual(['172.19.0.3:35889-20872d#1']);
    expect(data.slots.state.map((s) => SLOT_STATES[s])).toEqual(['ALLOCATED', 'ACTIVE']);
    const types = data.messages.type.map((t) => data.strings[t]);
    expect(types).toEqual(['requestSlot', 'submitTask']);
    expect(data.messages.fate.map((f) => FATES[f])).toEqual(['delivered', 'delivered']);
    expect(deltaDecode(data.rows.line)).toEqual([0, ...trace.events.map((e) => e.seq + 1)]);
    expect(data.violation).toBeNull();
    expect(renderHtml(data)).toContain('<html');
  });

  it("a violation is marked on the row of its last line, in the check's words", async () => {
    const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const tm = [
      templateLine(0, 'numberOfTaskSlots', [1]),
      templateLine(0, 'taskManagerResourceId', ['tm-1']),
      templateLine(10, 'allocatedSlot', [A]),
      templateLine(20, 'allocatedSlot', [B]),
    ];
    const trace = await convertLogs([{ path: 'tm.log', lines: tm }]);
    const report = buildLogReport(trace);
    const data = buildLogView(trace, report, 'tm.ndjson');
    expect(data.violation?.row).toBe(4);
    expect(data.violation?.words[0]).toMatch(/^oneAllocationPerSlot: TaskManager tm-1 has 1 slot/);
    expect(data.lifelines.names[data.violation?.lifeline ?? -1]).toBe('tm-1');
    // Neither allocation's index is in a line: each has a lane of its own.
    expect(data.lanes.names).toEqual(['tm-1#0', 'tm-1#?1', 'tm-1#?2']);
  });
});
