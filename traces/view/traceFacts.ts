/**
 * For the view's tests: what a trace holds, counted straight from its text with JSON.parse and
 * nothing of the view's own code (or the checker's), so that the tests compare the view with an
 * independent reading: lifelines and slot lanes from the header's cluster configuration, messages
 * as distinct sequence numbers, fault and timer steps, message outcomes, and the TaskExecutors'
 * slot tables row by row.
 */

interface Json {
  readonly [key: string]: unknown;
}

export interface TraceFacts {
  readonly steps: number;
  readonly lifelines: number;
  readonly lanes: number;
  readonly messages: number;
  readonly faults: number;
  readonly timers: number;
  /** How many step outcomes of each kind (delivered, dropped, …). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Messages that no outcome ended, sent to a component a partial trace does not observe. */
  readonly unobserved: number;
  /** Row by row (0: the start line), the TaskExecutor states the line carries. */
  readonly taskExecutorStates: readonly (readonly [row: number, te: string, state: unknown])[];
}

// The fault kinds again, on purpose: the tests' reading of a trace shares nothing with the view.
const FAULT_STEPS = new Set([
  'drop',
  'duplicate',
  'delay',
  'reorder',
  'crash',
  'restart',
  'partition',
  'heal',
]);

export function traceFacts(text: string): TraceFacts {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
  const header = lines[0] as { config: { system: { cluster: Json } }; observed: unknown };
  const cluster = header.config.system.cluster as {
    taskExecutors: number;
    slotsPerTaskExecutor: number;
    mode: string;
    jobs: unknown[];
  };
  const isTaskExecutor = (e: string) => /^(te|worker)-\d+$/.test(e);
  const observedTes =
    header.observed === 'all'
      ? cluster.taskExecutors
      : (header.observed as string[]).filter(isTaskExecutor).length;
  /** Every message (by sequence number, copies included) and where it went. */
  const receivers = new Map<number, string>();
  const ended = new Set<number>();
  const outcomes: Record<string, number> = {};
  const taskExecutorStates: [number, string, unknown][] = [];
  let steps = 0;
  let faults = 0;
  let timers = 0;
  lines.forEach((line, i) => {
    if (line['kind'] === 'header' || line['kind'] === 'end') return;
    const row = i - 1;
    for (const effect of line['effects'] as { envelope?: { seq: number; to: string } }[])
      if (effect.envelope !== undefined) receivers.set(effect.envelope.seq, effect.envelope.to);
    for (const [endpoint, state] of Object.entries((line['states'] ?? {}) as Json))
      if (isTaskExecutor(endpoint)) taskExecutorStates.push([row, endpoint, state]);
    if (line['kind'] !== 'step') return;
    steps += 1;
    const step = line['step'] as { kind: string };
    const outcome = line['outcome'] as {
      kind: string;
      envelope?: { seq: number; to: string };
      copySeq?: number;
    };
    if (FAULT_STEPS.has(step.kind)) faults += 1;
    if (step.kind === 'fireTimer') timers += 1;
    outcomes[outcome.kind] = (outcomes[outcome.kind] ?? 0) + 1;
    const { envelope, copySeq } = outcome;
    if (envelope === undefined) return;
    receivers.set(envelope.seq, envelope.to);
    if (copySeq !== undefined) receivers.set(copySeq, envelope.to);
    if (['delivered', 'lateReply', 'discarded', 'dropped'].includes(outcome.kind))
      ended.add(envelope.seq);
  });
  const observed = header.observed === 'all' ? null : new Set(header.observed as string[]);
  const unobserved = [...receivers].filter(
    ([seq, to]) => observed !== null && !observed.has(to) && !ended.has(seq),
  ).length;
  return {
    steps,
    // ha, the ResourceManager, a JobMaster per job, the TaskExecutors, and an active cluster's provider.
    lifelines:
      2 + cluster.jobs.length + cluster.taskExecutors + (cluster.mode === 'active' ? 1 : 0),
    lanes: observedTes * cluster.slotsPerTaskExecutor,
    messages: receivers.size,
    faults,
    timers,
    outcomes,
    unobserved,
    taskExecutorStates,
  };
}
