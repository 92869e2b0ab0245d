/**
 * Checks a log trace (logTrace.ts) against the model, relaxed: a log observes only some of what
 * happened (partial observation, as `check --only` of the simulator's traces), so each slot is
 * followed through the model's TaskSlot machine with hidden transitions allowed (slotLifecycle.ts),
 * and the invariants are judged only on what the lines establish:
 *
 * - `oneAllocationPerSlot` (the TaskSlot machine; TaskSlotTableImpl#allocateSlot): a slot of a
 *   TaskManager takes a new AllocationID only when free, so a slot allocated to a second
 *   AllocationID without a `Free slot` line for the first is a violation, as is any line the
 *   machine has no transition for (activating or freeing an allocation the slot no longer holds).
 * - `allocationAtOneTaskManager` (the RM's AllocationIDs are unique per request since 1.13's
 *   declarative slot manager): an AllocationID held at, or deployed to, two TaskManagers.
 * - `noSlotOfEndedJob` (JobMaster#jobStatusChanged releases the job's slots; the TaskExecutor frees
 *   them at once, at the latest after its slot timeout): a slot still allocated to a job at a
 *   TaskManager that kept logging `grace` ms after the job ended and was not lost.
 *
 * Which TaskSlot index an allocation occupies, and its job, are known from the lines that name
 * them (`Free slot TaskSlot(index:…)`, the slot request); they are collected first (slotFacts.ts),
 * since an allocation keeps both for its life. One TaskManager's lines are taken in its own
 * file's order, never reordered by another host's clock.
 */
import { JOB_ENDS, type LogFact } from './logFact.js';
import { allocationKey, slotFacts } from './slotFacts.js';
import type { LogEvent, LogTrace } from './logTrace.js';
import {
  mayBeFree,
  observe,
  SLOT_STATE_NAMES,
  slotStateName,
  type SlotObservation,
  type SlotStateName,
} from './slotLifecycle.js';

/** Heartbeat timeout (50 s) plus slot timeout (10 s), Flink's defaults. */
export const DEFAULT_GRACE_MS = 60_000;

export const LOG_INVARIANTS = {
  oneAllocationPerSlot:
    'a TaskManager slot takes a new AllocationID only when free, and every line is a transition of the TaskSlot machine',
  allocationAtOneTaskManager: 'an AllocationID is held at one TaskManager only',
  noSlotOfEndedJob:
    'a slot of a job that ended is freed at its TaskManager (unless the TaskManager was lost)',
} as const;
export type LogInvariant = keyof typeof LOG_INVARIANTS;

export interface LineRef {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export interface LogViolation {
  readonly invariant: LogInvariant;
  readonly message: string;
  /** The log lines behind it, in trace order. */
  readonly lines: readonly LineRef[];
}

export interface LogCheckOptions {
  readonly graceMs?: number;
}

interface Holding {
  readonly allocationId: string;
  readonly taskManager: string;
  readonly jobId: string | null;
  readonly index: number | null;
  states: Set<SlotStateName>;
  readonly evidence: LogEvent[];
  /** A violation was reported on it: it is no longer followed (one fault, one report). */
  diverged: boolean;
}

const ANY_HELD: ReadonlySet<SlotStateName> = new Set(SLOT_STATE_NAMES.filter((s) => s !== 'free'));

export function checkLogTrace(trace: LogTrace, options: LogCheckOptions = {}): LogViolation[] {
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  const ref = (e: LogEvent): LineRef => ({
    file: trace.header.files[e.file]?.path ?? `file ${e.file}`,
    line: e.line,
    text: e.text,
  });
  const violations: LogViolation[] = [];
  const { indexOf: slotIndex, jobOf, configuredSlots: slotsOf } = slotFacts(trace.events);
  /**
   * Files holding a JobManager's and TaskManagers' lines (a MiniCluster): their TaskManagers
   * cannot be told apart, so slot indexes and slot counts are not judged there.
   */
  const shared = new Set(trace.header.files.flatMap((f, i) => (f.role === 'both' ? [i] : [])));

  // Per TaskManager: its allocations (held or maybe held) and which holds each slot index.
  const holdings = new Map<string, Map<string, Holding>>();
  const bySlot = new Map<string, Holding>();
  const slotKey = (tm: string, index: number) => `${tm}#${index}`;
  const holdingsOf = (tm: string) => {
    let m = holdings.get(tm);
    if (m === undefined) holdings.set(tm, (m = new Map<string, Holding>()));
    return m;
  };

  const diverge = (h: Holding, e: LogEvent, message: string) =>
    violations.push({
      invariant: 'oneAllocationPerSlot',
      message,
      lines: [...h.evidence.slice(-4), e].map(ref),
    });

  /** A line about an allocation at its TaskManager, taken through the TaskSlot machine. */
  const step = (e: LogEvent, tm: string, allocationId: string, line: SlotObservation | null) => {
    const own = holdingsOf(tm);
    let h = own.get(allocationId);
    if (h === undefined) {
      const index = slotIndex.get(allocationKey(tm, allocationId)) ?? null;
      // First seen being allocated: it starts free. First seen later (the log began after its
      // allocation): it may be in any state that holds an allocation.
      h = {
        allocationId,
        taskManager: tm,
        jobId: jobOf.get(allocationKey(tm, allocationId)) ?? null,
        index,
        states: new Set(line?.kind === 'allocated' ? ['free'] : ANY_HELD),
        evidence: [],
        diverged: false,
      };
      own.set(allocationId, h);
      if (index !== null && !shared.has(e.file)) {
        const key = slotKey(tm, index);
        const previous = bySlot.get(key);
        if (
          previous !== undefined &&
          previous !== h &&
          !previous.diverged &&
          !mayBeFree(previous.states)
        ) {
          previous.diverged = true;
          violations.push({
            invariant: 'oneAllocationPerSlot',
            message: `slot ${index} of TaskManager ${tm} is allocated to ${allocationId} while it still holds ${previous.allocationId} (job ${previous.jobId ?? 'unknown'}, ${describe(previous.states)}); no Free slot line for ${previous.allocationId} comes between, and a TaskSlot takes an allocation only when free (TaskSlotTableImpl#allocateSlot)`,
            lines: [...previous.evidence.slice(-3), e].map(ref),
          });
        }
        bySlot.set(key, h);
      }
    }
    if (line !== null && !h.diverged) {
      const seen = observe(h.states, line);
      // The same allocation requested again is idempotent (requestSlot on an ALLOCATED or ACTIVE
      // slot: a self-loop of the machine); 1.14–1.17 log a dynamic slot's duplicate as allocated.
      const again =
        line.kind === 'allocated' && (h.states.has('allocated') || h.states.has('active'));
      if (seen.next === null && again) {
        // stays as it is
      } else if (seen.next === null) {
        h.diverged = true;
        diverge(
          h,
          e,
          `TaskManager ${tm}: "${e.text}" is no transition of the TaskSlot machine: allocation ${allocationId}${h.index === null ? '' : ` (slot ${h.index})`} is ${describe(seen.before)} there, and the machine ${line.kind === 'freed' && line.from !== null ? `frees no ${line.from.toUpperCase()} slot from there` : `allows no "${line.kind}" line from there`}`,
        );
      } else h.states = seen.next;
    }
    h.evidence.push(e);
  };

  // Where each AllocationID was seen held or deployed, for allocationAtOneTaskManager.
  const seenAt = new Map<string, Map<string, LogEvent>>();
  const place = (allocationId: string, tm: string, e: LogEvent) => {
    // A MiniCluster's TaskManager lines do not say which TaskManager wrote them.
    if (e.process === 'taskmanager' && shared.has(e.file)) return;
    let at = seenAt.get(allocationId);
    if (at === undefined) seenAt.set(allocationId, (at = new Map<string, LogEvent>()));
    if (at.has(tm)) return;
    at.set(tm, e);
    if (at.size === 2) {
      const [first, second] = [...at.entries()];
      violations.push({
        invariant: 'allocationAtOneTaskManager',
        message: `allocation ${allocationId} is at TaskManager ${first?.[0]} and at TaskManager ${second?.[0]}`,
        lines: [first?.[1], second?.[1]].filter((x): x is LogEvent => x !== undefined).map(ref),
      });
    }
  };

  const jobEnded = new Map<string, LogEvent>();
  /**
   * With fine-grained resource requirements a TaskManager cuts dynamic slots of any size, so its
   * configured number of slots bounds nothing; with the default (UNKNOWN) profile it does.
   */
  const fineGrained = trace.events.some(
    (e) =>
      e.fact.kind === 'resourceRequirementsReceived' &&
      /resourceProfile=ResourceProfile\{(?!UNKNOWN\})/.test(e.fact.requirements),
  );
  const lost = new Map<string, LogEvent>();
  /** TaskManagers that freed a slot beyond their configured ones: dynamic slots, no fixed count. */
  const dynamic = new Set(
    trace.events.flatMap((e) =>
      e.taskManager !== null &&
      e.fact.kind === 'slotFreed' &&
      e.fact.slotIndex !== null &&
      e.fact.slotIndex >= (slotsOf.get(e.taskManager) ?? Infinity)
        ? [e.taskManager]
        : [],
    ),
  );
  /**
   * From 1.14 the Dispatcher writes a line for every job that ends, so only that line ends a job
   * (an ExecutionGraph the AdaptiveScheduler cancels may wait long for its successor); before, or
   * with no release known and no such line, an ExecutionGraph's end does.
   */
  const release = trace.header.flinkVersion;
  const dispatcherEnds =
    trace.events.some((e) => e.fact.kind === 'jobReachedTerminalState') ||
    (release !== null && release !== '1.13');
  /** A job runs (again): a state change that is not an end, or a slot request for it. */
  const running = (jobId: string) => jobEnded.delete(jobId);

  for (const e of trace.events) {
    const f: LogFact = e.fact;
    const tm = e.taskManager;
    if (e.process === 'taskmanager' && tm !== null) {
      switch (f.kind) {
        case 'processStarted':
          // A new TaskManager process: its table starts empty.
          for (const h of holdingsOf(tm).values()) h.states = new Set(['free']);
          holdings.delete(tm);
          break;
        case 'slotAllocated': {
          const capacity = shared.has(e.file) || dynamic.has(tm) ? undefined : slotsOf.get(tm);
          const held = [...holdingsOf(tm).values()].filter(
            (h) => h.allocationId !== f.allocationId && !mayBeFree(h.states),
          );
          if (capacity !== undefined && !fineGrained && held.length >= capacity)
            violations.push({
              invariant: 'oneAllocationPerSlot',
              message: `TaskManager ${tm} has ${capacity} slot(s) and allocates ${f.allocationId} while it holds ${held.map((h) => h.allocationId).join(', ')}, none of them freed: two allocations share a slot (a TaskSlot takes an allocation only when free, TaskSlotTableImpl#allocateSlot)`,
              lines: [...held.flatMap((h) => h.evidence.slice(-1)), e].map(ref),
            });
          step(e, tm, f.allocationId, { kind: 'allocated' });
          place(f.allocationId, tm, e);
          break;
        }
        case 'slotRequestReceived':
          running(f.jobId);
          break;
        case 'slotActivated':
          step(e, tm, f.allocationId, { kind: 'activated' });
          place(f.allocationId, tm, e);
          break;
        case 'slotFreed':
          step(e, tm, f.allocationId, { kind: 'freed', from: slotStateName(f.state) });
          place(f.allocationId, tm, e);
          break;
        case 'taskReceived':
          step(e, tm, f.allocationId, null);
          place(f.allocationId, tm, e);
          break;
        default:
          break;
      }
    } else {
      switch (f.kind) {
        case 'taskDeployed':
          place(f.allocationId, f.taskManager, e);
          break;
        case 'jobReachedTerminalState':
          if (f.state !== 'SUSPENDED' && !jobEnded.has(f.jobId)) jobEnded.set(f.jobId, e);
          break;
        case 'jobStatusChanged':
          // An ExecutionGraph that ends may be one the AdaptiveScheduler cancels to restart the
          // job in a new one: the new one's first state change says the job goes on. Where the
          // Dispatcher writes its own line (1.14 on), only that line ends a job.
          if (JOB_ENDS.has(f.state)) {
            if (dispatcherEnds) break;
            if (!jobEnded.has(f.jobId)) jobEnded.set(f.jobId, e);
          } else if (f.state !== 'SUSPENDED') running(f.jobId);
          break;
        // Lost to the cluster (the ResourceManager's view): its process may be gone with its log
        // cut short. A JobMaster's own heartbeat timeout or disconnect is not: the TaskExecutor
        // then frees the job's slots itself, within the grace.
        case 'taskExecutorLost':
        case 'workerStopped':
          lost.set(f.taskManager, e);
          break;
        case 'taskExecutorRegistered':
          // Registered (again): it is no longer lost, and its slots are judged again.
          lost.delete(f.taskManager);
          break;
        default:
          break;
      }
    }
  }

  // noSlotOfEndedJob: judged at the end of the logs.
  const tmLastTime = new Map<string, number>();
  for (const file of trace.header.files)
    if (file.taskManager !== null && file.lastTime !== null)
      tmLastTime.set(
        file.taskManager,
        Math.max(tmLastTime.get(file.taskManager) ?? 0, file.lastTime),
      );
  for (const [tm, own] of holdings)
    for (const h of own.values()) {
      if (h.jobId === null || h.diverged || mayBeFree(h.states)) continue;
      const ended = jobEnded.get(h.jobId);
      if (ended === undefined) continue;
      const last = tmLastTime.get(tm);
      if (last === undefined || last - ended.time < grace) continue;
      if (lost.has(tm)) continue;
      violations.push({
        invariant: 'noSlotOfEndedJob',
        message: `TaskManager ${tm} still holds allocation ${h.allocationId}${h.index === null ? '' : ` (slot ${h.index})`} of job ${h.jobId} (${describe(h.states)}) ${Math.round((last - ended.time) / 1000)} s after the job ended; its log goes on, it was not lost, and no Free slot line came`,
        lines: [ended, ...h.evidence.slice(-3)].map(ref),
      });
    }
  return violations;
}

function describe(states: ReadonlySet<SlotStateName>): string {
  const names = SLOT_STATE_NAMES.filter((s) => states.has(s)).map((s) => s.toUpperCase());
  return names.length === 1 ? (names[0] ?? '') : `one of ${names.join(', ')}`;
}
