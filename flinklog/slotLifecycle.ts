/**
 * The model's TaskSlot machine (machines/taskExecutor/taskSlot.machine.ts) as a log sees it. A
 * log shows some of a slot's transitions (TaskSlotTableImpl logs allocating, activating and
 * freeing a slot) and hides the others: `markSlotInactive` (ACTIVE → ALLOCATED when the job's
 * JobMaster disconnects) logs nothing. So a slot's observed history is checked against the
 * machine in the relaxed way of a partial observation: the slot may be in any of a set of machine
 * states, a hidden transition may happen between two lines, and each line must be a transition
 * the machine has from one of those states. The edges are read from the machine itself, so a
 * change to the model changes what the log check allows.
 */
import { taskSlotMachine } from '../machines/taskExecutor/taskSlot.machine.js';

export const SLOT_STATE_NAMES = ['free', 'allocated', 'active', 'releasing'] as const;
export type SlotStateName = (typeof SLOT_STATE_NAMES)[number];

export interface SlotEdge {
  readonly from: SlotStateName;
  readonly event: string;
  readonly to: SlotStateName;
}

/** Every transition of the machine, a targetless one as a self-loop. */
export const SLOT_EDGES: readonly SlotEdge[] = Object.entries(taskSlotMachine.root.states).flatMap(
  ([from, node]) =>
    [...node.transitions].flatMap(([event, transitions]) =>
      transitions.flatMap((t) =>
        (t.target ?? [node]).map((target) => ({
          from: from as SlotStateName,
          event,
          to: target.key as SlotStateName,
        })),
      ),
    ),
);

/**
 * The state changes a TaskManager's log shows, and the template of the line
 * (TaskExecutor#allocateSlot or TaskSlotTableImpl#allocateSlot, #markSlotActive,
 * #freeSlotInternal, which logs on every call, releasing or freeing).
 */
const LOGGED: Readonly<Record<string, 'allocated' | 'activated' | 'freed'>> = {
  'free>allocated': 'allocated',
  'allocated>active': 'activated',
  'active>active': 'activated',
  'allocated>free': 'freed',
  'allocated>releasing': 'freed',
  'active>free': 'freed',
  'active>releasing': 'freed',
  'releasing>free': 'freed',
  // Freeing a RELEASING slot again (another freeSlot call while its tasks end) logs again.
  'releasing>releasing': 'freed',
};

/** Transitions that change the state without a line: a log can never rule them out. */
export const HIDDEN_EDGES: readonly SlotEdge[] = SLOT_EDGES.filter(
  (e) => e.from !== e.to && LOGGED[`${e.from}>${e.to}`] === undefined,
);

/** The states the slot may be in, given hidden transitions may have happened. */
export function closure(states: ReadonlySet<SlotStateName>): Set<SlotStateName> {
  const out = new Set(states);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of HIDDEN_EDGES)
      if (out.has(e.from) && !out.has(e.to)) {
        out.add(e.to);
        grew = true;
      }
  }
  return out;
}

export type SlotObservation =
  | { readonly kind: 'allocated' }
  | { readonly kind: 'activated' }
  /** `from`: the TaskSlot's state the line prints (null when it printed none we know). */
  | { readonly kind: 'freed'; readonly from: SlotStateName | null };

export interface Observed {
  /** The states after the line, or null: the machine has no such transition from any possible state. */
  readonly next: Set<SlotStateName> | null;
  /** The states the slot may have been in just before the line. */
  readonly before: Set<SlotStateName>;
  /** The machine events that explain the line. */
  readonly events: readonly string[];
}

export function observe(states: ReadonlySet<SlotStateName>, line: SlotObservation): Observed {
  const before = closure(states);
  const edges = SLOT_EDGES.filter(
    (e) =>
      before.has(e.from) &&
      LOGGED[`${e.from}>${e.to}`] === line.kind &&
      (line.kind !== 'freed' || line.from === null || e.from === line.from),
  );
  if (edges.length === 0) return { next: null, before, events: [] };
  return {
    next: new Set(edges.map((e) => e.to)),
    before,
    events: [...new Set(edges.map((e) => e.event))],
  };
}

/** Whether the slot may be free now (after hidden transitions). */
export function mayBeFree(states: ReadonlySet<SlotStateName>): boolean {
  return closure(states).has('free');
}

/** The machine's state name for the TaskSlotState a line prints. */
export function slotStateName(
  state: 'ALLOCATED' | 'ACTIVE' | 'RELEASING' | null,
): SlotStateName | null {
  return state === null ? null : (state.toLowerCase() as SlotStateName);
}
