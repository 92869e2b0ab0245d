/**
 * One lane per TaskExecutor slot (`te-1#0`, `te-1#1`, …): what each slot was over the trace, read
 * from the TaskExecutors' observed states (their `TaskSlotTable`, impl/taskexecutor/taskSlotTable.ts).
 * An interval is a stretch of rows in which the slot kept its TaskSlotState (ALLOCATED, ACTIVE,
 * RELEASING) and AllocationID; a free slot has no TaskSlot in Flink's table, so a free stretch is
 * the gap between intervals. A TaskExecutor that is down (state null) holds no slot.
 *
 * The states are the trace's, which is user input: they are read with shape checks, and what does
 * not have the table's shape shows as no slot rather than breaking the view.
 */
import type { TaskExecutorState } from '../../impl/taskexecutor/taskExecutorState.js';
import type { TaskSlot } from '../../impl/taskexecutor/taskSlot.js';
import type { StringTable } from './stringTable.js';
import { SLOT_STATES, type SlotState, type ViewData } from './viewData.js';

type ObservedSlot = Pick<TaskSlot, 'index' | 'allocationId' | 'jobId' | 'state'>;

interface Open {
  readonly from: number;
  readonly slot: ObservedSlot;
}

interface Interval extends Open {
  readonly lane: string;
  readonly to: number;
}

/** The allocated slots of an observed TaskExecutor state; empty when it is down or unreadable. */
export function observedSlots(state: unknown): ObservedSlot[] {
  const table = (state as Partial<TaskExecutorState> | null)?.taskSlotTable;
  const slots = (table as { slots?: unknown } | undefined)?.slots;
  if (!Array.isArray(slots)) return [];
  return slots.flatMap((s: unknown): ObservedSlot[] => {
    if (typeof s !== 'object' || s === null) return [];
    const { index, allocationId, jobId, state: slotState } = s as Record<string, unknown>;
    return typeof index === 'number' &&
      typeof allocationId === 'string' &&
      typeof jobId === 'string' &&
      SLOT_STATES.includes(slotState as SlotState)
      ? [{ index, allocationId, jobId, state: slotState } as ObservedSlot]
      : [];
  });
}

export class SlotLanes {
  /** Lane names by TaskExecutor, in the order lanes appear. */
  private readonly lanesOf = new Map<string, Set<number>>();
  private readonly open = new Map<string, Open>();
  private readonly closed: Interval[] = [];

  /** `taskExecutors`: each observed TaskExecutor and its number of (static) slots. */
  constructor(taskExecutors: ReadonlyMap<string, number>) {
    for (const [te, slots] of taskExecutors)
      this.lanesOf.set(te, new Set(Array.from({ length: slots }, (_, i) => i)));
  }

  isTaskExecutor(endpoint: string): boolean {
    return this.lanesOf.has(endpoint);
  }

  /** The TaskExecutor's state after the row's step. */
  observe(taskExecutor: string, state: unknown, row: number): void {
    const indices = this.lanesOf.get(taskExecutor);
    if (indices === undefined) return;
    const now = new Map(observedSlots(state).map((s) => [s.index, s]));
    for (const index of indices) {
      const lane = `${taskExecutor}#${index}`;
      const was = this.open.get(lane);
      const is = now.get(index);
      if (was !== undefined && !sameSlot(was.slot, is)) this.close(lane, was, row);
      if (is !== undefined && (was === undefined || !sameSlot(was.slot, is)))
        this.open.set(lane, { from: row, slot: is });
    }
    // A dynamic slot (an index beyond the static ones) gets its lane when it first appears.
    for (const [index, slot] of now)
      if (!indices.has(index)) {
        indices.add(index);
        this.open.set(`${taskExecutor}#${index}`, { from: row, slot });
      }
  }

  private close(lane: string, open: Open, row: number): void {
    this.open.delete(lane);
    this.closed.push({ ...open, lane, to: row });
  }

  /** The lanes (grouped by TaskExecutor, by slot index) and their intervals, open ones ending at `endRow`. */
  columns(
    strings: StringTable,
    lifeline: (endpoint: string) => number,
    endRow: number,
  ): { lanes: ViewData['lanes']; slots: ViewData['slots'] } {
    for (const [lane, open] of [...this.open]) this.close(lane, open, endRow);
    const names: string[] = [];
    const lifelines: number[] = [];
    const laneIndex = new Map<string, number>();
    const taskExecutors = [...this.lanesOf.keys()].sort((a, b) => lifeline(a) - lifeline(b));
    for (const te of taskExecutors)
      for (const index of [...(this.lanesOf.get(te) ?? [])].sort((a, b) => a - b)) {
        laneIndex.set(`${te}#${index}`, names.length);
        names.push(`${te}#${index}`);
        lifelines.push(lifeline(te));
      }
    const lane = (i: Interval) => laneIndex.get(i.lane) ?? 0;
    const intervals = this.closed.sort((a, b) => lane(a) - lane(b) || a.from - b.from);
    return {
      lanes: { names, lifeline: lifelines },
      slots: {
        lane: intervals.map(lane),
        from: intervals.map((i) => i.from),
        to: intervals.map((i) => i.to),
        state: intervals.map((i) => SLOT_STATES.indexOf(i.slot.state)),
        allocation: intervals.map((i) => strings.intern(i.slot.allocationId)),
        job: intervals.map((i) => strings.intern(i.slot.jobId)),
      },
    };
  }
}

function sameSlot(a: ObservedSlot, b: ObservedSlot | undefined): boolean {
  return (
    b !== undefined &&
    a.allocationId === b.allocationId &&
    a.state === b.state &&
    a.jobId === b.jobId
  );
}
