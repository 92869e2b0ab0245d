/**
 * The trace viewer's data (traces/view/viewData.ts) for a log trace, so that `view` draws a
 * cluster's Flink logs as it draws a simulated run: one lifeline for the JobManager and one per
 * TaskManager, one row per recognised line, a lane per TaskManager slot with its state and
 * AllocationID as the lines show them, the messages a pair of lines shows (the ResourceManager's
 * slot request and its arrival, a task's deployment and its arrival), timeouts, restarts and the
 * job's end, and the first violation the log check found, on the row of its last line.
 *
 * A slot whose index no line names (it was never freed, and the slot manager did not log the
 * SlotID) gets a lane of its own, named `<tm>#?1`, `#?2`, ….
 */
import type { StepLine } from '../traces/format.js';
import { MessageTable } from '../traces/view/messageTable.js';
import { SlotLanes } from '../traces/view/slotLanes.js';
import { StringTable } from '../traces/view/stringTable.js';
import {
  deltaEncode,
  EVENT_KINDS,
  NONE,
  VIEW_DATA_VERSION,
  type EventKind,
  type ViewData,
} from '../traces/view/viewData.js';
import { formatLogReport, type LogCheckReport } from './logReport.js';
import { JOB_ENDS, type LogFact } from './logFact.js';
import type { LogTrace } from './logTrace.js';
import { allocationKey, slotFacts } from './slotFacts.js';
import { slotStateName } from './slotLifecycle.js';

export const JOB_MANAGER_LIFELINE = 'jobmanager';
/** Where the lanes of slots with no known index start (renamed `#?k` at the end). */
const UNKNOWN_INDEX = 100_000;

type Envelope = Extract<StepLine['outcome'], { envelope: unknown }>['envelope'];

interface Held {
  index: number;
  state: 'ALLOCATED' | 'ACTIVE' | 'RELEASING';
  readonly jobId: string;
}

export function buildLogView(trace: LogTrace, report: LogCheckReport, name: string): ViewData {
  const strings = new StringTable();
  const lifelines: string[] = [JOB_MANAGER_LIFELINE];
  const lifeline = (who: string): number => {
    let at = lifelines.indexOf(who);
    if (at < 0) at = lifelines.push(who) - 1;
    return at;
  };
  for (const f of trace.header.files) if (f.taskManager !== null) lifeline(f.taskManager);
  const messages = new MessageTable(strings, lifeline);
  const { indexOf, jobOf, releasedLater, configuredSlots } = slotFacts(trace.events);
  // Each TaskManager with a log, with its configured slots where its log names them.
  const slotsOf = new Map<string, number>();
  for (const f of trace.header.files)
    if (f.taskManager !== null) slotsOf.set(f.taskManager, configuredSlots.get(f.taskManager) ?? 0);
  const lanes = new SlotLanes(slotsOf);
  const rows = { line: [0], step: [0], time: [0] };
  const events = {
    row: [] as number[],
    kind: [] as number[],
    lifeline: [] as number[],
    other: [] as number[],
    label: [] as number[],
  };
  let faults = 0;
  let timers = 0;
  const mark = (row: number, kind: EventKind, at: string, label: string, other = NONE) => {
    events.row.push(row);
    events.kind.push(EVENT_KINDS.indexOf(kind));
    events.lifeline.push(lifeline(at));
    events.other.push(other);
    events.label.push(strings.intern(label));
    if (kind === 'timer') timers++;
    else if (kind !== 'client') faults++;
  };

  const unknownIndex = new Map<string, number>();
  const held = new Map<string, Map<string, Held>>();
  const heldAt = (tm: string) => {
    let m = held.get(tm);
    if (m === undefined) held.set(tm, (m = new Map<string, Held>()));
    return m;
  };
  const observeTm = (tm: string, row: number) =>
    lanes.observe(
      tm,
      {
        taskSlotTable: {
          slots: [...heldAt(tm)].map(([allocationId, h]) => ({
            index: h.index,
            allocationId,
            jobId: h.jobId,
            state: h.state,
          })),
        },
      },
      row,
    );
  /** How many allocations of no known index each TaskManager has had: each gets a lane. */
  const unknownCount = new Map<string, number>();
  const slotIndex = (tm: string, allocationId: string): number => {
    const key = allocationKey(tm, allocationId);
    const known = indexOf.get(key) ?? unknownIndex.get(key);
    if (known !== undefined) return known;
    const k = UNKNOWN_INDEX + (unknownCount.get(tm) ?? 0);
    unknownCount.set(tm, k - UNKNOWN_INDEX + 1);
    unknownIndex.set(key, k);
    return k;
  };

  /** A message a pair of lines shows: the JobManager's to a TaskManager, about an allocation. */
  const envelope = (to: string, type: string, ids: Record<string, string>): Envelope =>
    ({
      kind: 'tell',
      seq: messages.count + 1,
      from: JOB_MANAGER_LIFELINE,
      to,
      toIncarnation: 0,
      deliverBy: 0,
      msg: { type, ...ids },
    }) as unknown as Envelope;
  /** Requests and deployments waiting for their arrival, by type and `tm/allocation`. */
  const inFlight = new Map<string, Envelope[]>();
  const keyOf = (to: string, type: string, allocationId: string) =>
    `${type}/${allocationKey(to, allocationId)}`;
  const send = (
    row: number,
    to: string,
    type: string,
    ids: { allocationId: string } & Record<string, string>,
  ) => {
    const sent = envelope(to, type, ids);
    messages.sent(sent, row, 'inferred from the logs');
    const key = keyOf(to, type, ids.allocationId);
    inFlight.set(key, [...(inFlight.get(key) ?? []), sent]);
  };
  /** Its arrival: the oldest sent one, or one whose sending no line shows. */
  const arrive = (
    row: number,
    time: number,
    to: string,
    type: string,
    ids: { allocationId: string } & Record<string, string>,
  ) => {
    const delivered =
      inFlight.get(keyOf(to, type, ids.allocationId))?.shift() ?? envelope(to, type, ids);
    messages.outcome({ kind: 'delivered', envelope: delivered }, row, time);
  };

  const rowOf = new Map<string, number>();
  const t0 = trace.events[0]?.time ?? 0;
  let time = 0;
  const taskManagersStarted = new Set<string>();
  for (const e of trace.events) {
    const row = rows.line.length;
    time = Math.max(time, e.time - t0);
    rows.line.push(e.seq + 1);
    rows.step.push(e.seq);
    rows.time.push(time);
    rowOf.set(`${e.file}:${e.line}`, row);
    const tm = e.taskManager;
    const f = e.fact;
    if (tm !== null) {
      const own = heldAt(tm);
      switch (f.kind) {
        case 'processStarted':
          if (taskManagersStarted.has(tm))
            mark(row, 'restart', tm, 'a new TaskManager process starts');
          taskManagersStarted.add(tm);
          own.clear();
          break;
        case 'slotRequestReceived':
          arrive(row, time, tm, 'requestSlot', { allocationId: f.allocationId, jobId: f.jobId });
          break;
        case 'slotAllocated':
          own.set(f.allocationId, {
            index: slotIndex(tm, f.allocationId),
            state: 'ALLOCATED',
            jobId: jobOf.get(allocationKey(tm, f.allocationId)) ?? 'unknown job',
          });
          break;
        case 'slotActivated':
        case 'taskReceived': {
          if (f.kind === 'taskReceived')
            arrive(row, time, tm, 'submitTask', { allocationId: f.allocationId });
          const h = own.get(f.allocationId) ?? {
            index: slotIndex(tm, f.allocationId),
            state: 'ACTIVE' as const,
            jobId: jobOf.get(allocationKey(tm, f.allocationId)) ?? 'unknown job',
          };
          if (f.kind === 'slotActivated') h.state = 'ACTIVE';
          own.set(f.allocationId, h);
          break;
        }
        case 'slotFreed': {
          // Freed with tasks still running, it is RELEASING until a second line frees it for good.
          const h = own.get(f.allocationId);
          if (
            slotStateName(f.state) !== 'releasing' &&
            releasedLater.has(allocationKey(tm, f.allocationId)) &&
            h !== undefined
          )
            h.state = 'RELEASING';
          else own.delete(f.allocationId);
          break;
        }
        case 'resourceManagerLost':
          mark(
            row,
            'timer',
            tm,
            'the ResourceManager is lost (heartbeat timeout or connection closed)',
          );
          break;
        default:
          break;
      }
      observeTm(tm, row);
    } else {
      switch (f.kind) {
        case 'slotAllocationStarted':
          if (f.taskManager !== null && f.allocationId !== null)
            send(row, f.taskManager, 'requestSlot', {
              allocationId: f.allocationId,
              jobId: f.jobId,
            });
          break;
        case 'taskDeployed':
          send(row, f.taskManager, 'submitTask', { allocationId: f.allocationId, task: f.task });
          break;
        default:
          break;
      }
      const marked = jobManagerMark(f);
      if (marked !== null)
        mark(
          row,
          marked.kind,
          JOB_MANAGER_LIFELINE,
          marked.label,
          marked.taskManager === undefined ? NONE : lifeline(marked.taskManager),
        );
    }
  }
  const endRow = rows.line.length;
  const columns = lanes.columns(strings, lifeline, endRow);
  const laneNames = columns.lanes.names.map((n) =>
    n.replace(/#(\d+)$/, (m, i: string) =>
      Number(i) >= UNKNOWN_INDEX ? `#?${Number(i) - UNKNOWN_INDEX + 1}` : m,
    ),
  );
  const first = report.violations[0];
  const lastLine = first?.lines[first.lines.length - 1];
  const violationRow =
    lastLine === undefined
      ? undefined
      : rowOf.get(
          `${trace.header.files.findIndex((f) => f.path === lastLine.file)}:${lastLine.line}`,
        );
  const violationEvent = violationRow === undefined ? undefined : trace.events[violationRow - 1];
  return {
    version: VIEW_DATA_VERSION,
    name,
    lifelines: {
      names: lifelines,
      secondary: lifelines.map(() => 0),
      observed: lifelines.map(() => 1),
    },
    lanes: { names: laneNames, lifeline: columns.lanes.lifeline },
    rows: {
      line: deltaEncode(rows.line),
      step: deltaEncode(rows.step),
      time: deltaEncode(rows.time),
    },
    messages: messages.columns(Math.max(0, endRow - 1), () => true),
    events: { ...events, row: deltaEncode(events.row) },
    slots: columns.slots,
    down: { lifeline: [], from: [], to: [] },
    violation:
      first === undefined || violationRow === undefined || violationEvent === undefined
        ? null
        : {
            row: violationRow,
            line: violationEvent.seq + 1,
            step: violationEvent.seq,
            time: rows.time[violationRow] ?? 0,
            kind: 'invariant',
            words: [
              `${first.invariant}: ${first.message}`,
              ...first.lines.map((l) => `${l.file}:${l.line}: ${l.text}`),
            ],
            lifeline:
              violationEvent.taskManager === null ? 0 : lifeline(violationEvent.taskManager),
          },
    report: formatLogReport(report),
    counts: {
      steps: Math.max(0, endRow - 1),
      lifelines: lifelines.length,
      lanes: laneNames.length,
      messages: messages.count,
      copies: 0,
      faults,
      timers,
    },
    strings: strings.strings,
  };
}

/** What a JobManager line marks on the JobManager's lifeline (and which TaskManager it is about). */
function jobManagerMark(
  f: LogFact,
): { kind: EventKind; label: string; taskManager?: string } | null {
  switch (f.kind) {
    case 'taskExecutorLost':
      return {
        kind: 'timer',
        label: `ResourceManager: TaskManager ${f.taskManager} lost (${f.reason === 'heartbeatTimeout' ? 'heartbeat timeout' : 'disconnected'})`,
        taskManager: f.taskManager,
      };
    case 'taskManagerLostAtJobMaster':
      return {
        kind: 'timer',
        label: `JobMaster: the heartbeat of TaskManager ${f.taskManager} timed out`,
        taskManager: f.taskManager,
      };
    case 'taskManagerDisconnectedAtJobMaster':
      return {
        kind: 'client',
        label: `JobMaster: disconnects TaskManager ${f.taskManager}`,
        taskManager: f.taskManager,
      };
    case 'jobStatusChanged':
      return JOB_ENDS.has(f.state)
        ? { kind: 'client', label: `job ${f.jobId}'s ExecutionGraph ${f.state}` }
        : null;
    case 'jobReachedTerminalState':
      return { kind: 'client', label: `job ${f.jobId} ${f.state}` };
    case 'resourceManagerLeadershipGranted':
      return { kind: 'client', label: 'the ResourceManager becomes leader' };
    case 'resourceManagerLeadershipRevoked':
      return { kind: 'client', label: 'the ResourceManager loses its leadership' };
    case 'jobMasterLeadershipGranted':
      return { kind: 'client', label: `the JobMaster of ${f.jobId} becomes leader` };
    case 'jobMasterLeadershipRevoked':
      return { kind: 'client', label: `the JobMaster of ${f.jobId} loses its leadership` };
    case 'workerRequested':
      return { kind: 'client', label: 'ResourceManager requests a new worker' };
    case 'workerStopped':
      return {
        kind: 'client',
        label: `worker ${f.taskManager} stopped`,
        taskManager: f.taskManager,
      };
    default:
      return null;
  }
}
