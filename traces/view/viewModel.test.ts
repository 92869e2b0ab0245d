/**
 * The trace view's model (traces/view/buildView.ts): for every sample trace, its counts against
 * the trace read independently (traceFacts.ts), each slot lane against the TaskExecutors' slot
 * tables row by row, the messages' fates against the steps' outcomes, the first violation at the
 * line the manifest names; the slot intervals of one known sample; and unusable input gets no view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunks } from '../check/checkStream.js';
import { SAMPLES_DIR, type SampleExpectation } from '../samples/manifest.js';
import { buildView } from './buildView.js';
import { traceFacts } from './traceFacts.js';
import { deltaDecode, FATES, NONE, SLOT_STATES, type ViewData } from './viewData.js';

const manifest = JSON.parse(
  readFileSync(join(SAMPLES_DIR, 'manifest.json'), 'utf8'),
) as SampleExpectation[];
const sample = (file: string) => readFileSync(join(SAMPLES_DIR, file), 'utf8');

async function viewOf(text: string, name = 'trace.ndjson'): Promise<ViewData> {
  const { data, report } = await buildView(chunks(text, 4096), name);
  if (data === null) throw new Error(`no view: ${JSON.stringify(report.error)}`);
  return data;
}

interface SlotInterval {
  readonly from: number;
  readonly to: number;
  readonly state: string;
  readonly allocation: string;
  readonly job: string;
}

/** The view's intervals of each lane, by lane name. */
function intervalsByLane(data: ViewData): Map<string, SlotInterval[]> {
  const byLane = new Map<string, SlotInterval[]>(data.lanes.names.map((n) => [n, []]));
  const s = data.slots;
  s.lane.forEach((lane, i) => {
    byLane.get(data.lanes.names[lane] ?? '')?.push({
      from: s.from[i] ?? -1,
      to: s.to[i] ?? -1,
      state: SLOT_STATES[s.state[i] ?? -1] ?? '?',
      allocation: data.strings[s.allocation[i] ?? -1] ?? '?',
      job: data.strings[s.job[i] ?? -1] ?? '?',
    });
  });
  return byLane;
}

describe.each(manifest.map((s) => [s.file, s] as const))('the view of %s', (file, expected) => {
  const text = sample(file);
  const facts = traceFacts(text);

  it('has a lifeline per component, a lane per slot, every message, fault and timer firing', async () => {
    const data = await viewOf(text);
    expect(data.counts).toMatchObject({
      steps: facts.steps,
      lifelines: facts.lifelines,
      lanes: facts.lanes,
      messages: facts.messages,
      faults: facts.faults,
      timers: facts.timers,
    });
    // The columns hold what the counts say.
    expect(data.lifelines.names).toHaveLength(facts.lifelines);
    expect(data.lanes.names).toHaveLength(facts.lanes);
    expect(data.messages.seq).toHaveLength(facts.messages);
    expect(data.rows.line).toHaveLength(facts.steps + 1);
    expect(new Set(deltaDecode(data.messages.seq)).size).toBe(facts.messages);
  });

  it("gives each message the fate the steps' outcomes say, or unobserved where the trace cannot say", async () => {
    const data = await viewOf(text);
    const fates = Object.fromEntries(FATES.map((f) => [f, 0]));
    for (const code of data.messages.fate) {
      const fate = FATES[code] ?? '?';
      fates[fate] = (fates[fate] ?? 0) + 1;
    }
    const o = facts.outcomes;
    expect(fates).toEqual({
      delivered: o['delivered'] ?? 0,
      lateReply: o['lateReply'] ?? 0,
      discarded: o['discarded'] ?? 0,
      dropped: o['dropped'] ?? 0,
      inFlight:
        facts.messages -
        facts.unobserved -
        ['delivered', 'lateReply', 'discarded', 'dropped'].reduce((n, k) => n + (o[k] ?? 0), 0),
      unobserved: facts.unobserved,
    });
    // Only a partial trace has messages whose fate it cannot see.
    expect(facts.unobserved > 0).toBe(expected.kind === 'partial');
  });

  it("shows in every lane, at every row a TaskExecutor's state is recorded, that state's slot", async () => {
    const data = await viewOf(text);
    const lanes = intervalsByLane(data);
    let compared = 0;
    for (const [row, te, state] of facts.taskExecutorStates) {
      const table = state as { taskSlotTable: { slots: Record<string, unknown>[] } } | null;
      for (const [lane, intervals] of lanes) {
        if (!lane.startsWith(`${te}#`)) continue;
        const index = Number(lane.slice(lane.indexOf('#') + 1));
        const slot = table?.taskSlotTable.slots.find((s) => s['index'] === index);
        const shown = intervals.find((i) => i.from <= row && row < i.to);
        const what = `${lane} at row ${row}`;
        if (slot === undefined) expect(shown, what).toBeUndefined();
        else
          expect(shown, what).toMatchObject({
            state: slot['state'],
            allocation: slot['allocationId'],
            job: slot['jobId'],
          });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(0);
    // Between those rows nothing changes: a stretch begins and ends only where its
    // TaskExecutor's state was recorded, or at the end of the trace.
    const endRow = facts.steps + 1;
    for (const [lane, intervals] of lanes) {
      const te = lane.slice(0, lane.indexOf('#'));
      const recorded = new Set(
        facts.taskExecutorStates.filter(([, t]) => t === te).map(([r]) => r),
      );
      for (const { from, to } of intervals) {
        expect(recorded.has(from), `${lane} begins at row ${from}`).toBe(true);
        expect(recorded.has(to) || to === endRow, `${lane} ends at row ${to}`).toBe(true);
      }
    }
  });

  it(
    expected.kind === 'counterexample'
      ? `marks the first violation at line ${expected.line}, in the checker's words`
      : 'marks no violation',
    async () => {
      const data = await viewOf(text, file);
      if (expected.kind !== 'counterexample') {
        expect(data.violation).toBeNull();
        return;
      }
      const v = data.violation;
      expect(v?.line).toBe(expected.line);
      // The marker's row is the step of that line, at that line's time.
      const lines = deltaDecode(data.rows.line);
      const times = deltaDecode(data.rows.time);
      expect(lines[v?.row ?? -1]).toBe(expected.line);
      expect(v?.time).toBe(times[v?.row ?? -1]);
      const caught = expected.caughtBy?.[0] ?? '';
      expect(v?.words[0]).toMatch(
        caught === 'conformance'
          ? new RegExp(`^divergence at line ${expected.line} \\(step ${v?.step}\\): `)
          : new RegExp(
              `^broken invariant ${caught} at line ${expected.line} \\(step ${v?.step}\\)`,
            ),
      );
      expect(data.report.some((l) => l.startsWith('verdict: VIOLATES'))).toBe(true);
    },
  );
});

describe('the view of canary-taskExecutorAcceptsOccupiedSlot.ndjson in detail', () => {
  const text = sample('canary-taskExecutorAcceptsOccupiedSlot.ndjson');

  it('shows te-1#0 ALLOCATED and ACTIVE for alloc-4, then alloc-10 taking it without a free stretch', async () => {
    const lanes = intervalsByLane(await viewOf(text));
    expect(lanes.get('te-1#0')).toEqual([
      { from: 23, to: 33, state: 'ALLOCATED', allocation: 'alloc-4', job: 'job-1' },
      { from: 33, to: 82, state: 'ACTIVE', allocation: 'alloc-4', job: 'job-1' },
      // To the end of the trace: 83 rows (the start and 82 steps).
      { from: 82, to: 83, state: 'ALLOCATED', allocation: 'alloc-10', job: 'job-1' },
    ]);
    expect(lanes.get('te-2#1')).toEqual([
      { from: 56, to: 65, state: 'ALLOCATED', allocation: 'alloc-8', job: 'job-1' },
    ]);
  });

  it('marks the divergence on te-1, the TaskExecutor whose slot diverged', async () => {
    const data = await viewOf(text);
    expect(data.lifelines.names[data.violation?.lifeline ?? -1]).toBe('te-1');
  });

  it('gives the requestSlot that diverged its route, its fate and the ids it carries', async () => {
    const data = await viewOf(text);
    const m = data.messages;
    const i = deltaDecode(m.seq).indexOf(79);
    const sent = deltaDecode(m.sent)[i] ?? -1;
    expect(data.strings[m.type[i] ?? -1]).toBe('requestSlot');
    expect(data.lifelines.names[m.from[i] ?? -1]).toBe('rm');
    expect(data.lifelines.names[m.to[i] ?? -1]).toBe('te-1');
    expect(FATES[m.fate[i] ?? -1]).toBe('delivered');
    expect(sent + (m.span[i] ?? 0)).toBe(82);
    const ids = (data.strings[m.detail[i] ?? -1] ?? '').split(', ');
    expect(ids).toEqual(
      expect.arrayContaining(['slotId=te-1#0', 'allocationId=alloc-10', 'jobId=job-1']),
    );
  });
});

describe('an eventual invariant broken at the end of the trace', () => {
  it("is marked on the last step's row, on no component's lifeline", async () => {
    // The standalone run cut after step 60, in the middle of its faults, as if it had healed.
    const lines = sample('standalone-seed-1.ndjson').split('\n');
    const last = JSON.parse(lines[61] ?? '') as { index: number; time: number };
    const end = { kind: 'end', steps: last.index, time: last.time, reason: 'healed' };
    const text = [...lines.slice(0, 62), JSON.stringify({ ...end, hash: '0', healedMs: 1e7 })];
    const data = await viewOf(`${text.join('\n')}\n`);
    expect(data.violation).toMatchObject({ line: 63, step: 60, row: 60, lifeline: NONE });
    expect(deltaDecode(data.rows.line)[60]).toBe(62);
    expect(data.violation?.words[0]).toMatch(/^broken invariant \w+ at line 63 \(step 60\)/);
  });
});

describe('input the checker cannot use', () => {
  it('gets no view, and the checker says which line', async () => {
    const header = sample('standalone-seed-1.ndjson').split('\n')[0] ?? '';
    const { data, report } = await buildView(chunks(`${header}\n{"kind":"start"\n`), 'bad');
    expect(data).toBeNull();
    expect(report.error?.line).toBe(2);
    expect(report.error?.message).toMatch(/^not JSON/);
  });
});
