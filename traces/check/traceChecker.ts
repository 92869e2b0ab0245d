/**
 * Checks a recorded trace against the model, one line at a time: each step is fed to the
 * conformance monitors (the machines of every component instance, compared with the component's
 * observed state) and the always-invariants judge the observed states after it; at the end of a
 * healed run the eventual invariants judge the cluster at rest. What it keeps is the machines, the
 * latest state of each component and the live messages and timers (traces/check/ledger.ts), so
 * memory does not grow with the trace.
 *
 * It reports the first divergence (after it the machines no longer follow the trace, since they
 * and the trace disagree about where the component is), every invariant broken (first line and
 * how many lines), and what it could not check. Input it cannot use ends the check with a one-line
 * error naming the line.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import {
  clusterRouting,
  FlinkClusterConfig,
  type ClusterAction,
} from '../../impl/cluster/flinkCluster.js';
import type { ClusterRouting, ClusterTopology } from '../../impl/cluster/clusterProcesses.js';
import type { StartRecord, StepRecord } from '../../impl/sim/record.js';
import type { EndpointId } from '../../impl/sim/world.js';
import { ClusterMonitors } from '../../conformance/clusterMonitors.js';
import { ConformanceError, type CoverageSink } from '../../conformance/machineInstance.js';
import type { PendingDelivery, StateInvariant, StepInvariant } from '../../properties/invariant.js';
import { eventualViolations, InvariantChecker } from '../../properties/invariantChecker.js';
import {
  headerCluster,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  type EndLine,
  type StartLine,
  type StepLine,
  type TraceHeader,
} from '../format.js';
import { describeEvent, receiverProblem, unknownEndpoint } from './lineFacts.js';
import { Ledger } from './ledger.js';
import type { RawLine } from './lineReader.js';
import { ObservedCluster } from './observedCluster.js';
import { parseLine } from './parseLine.js';
import { projectHeader, projectStart, projectStep } from './projection.js';
import {
  exitCodeOf,
  type CheckReport,
  type DivergenceFinding,
  type InvariantFinding,
} from './report.js';
import { scopeCheckable, uncheckedInRelaxedMode } from './relaxed.js';

export interface CheckOptions {
  /** Check only what these endpoints observed (relaxed mode), as `check --only`. */
  readonly only?: readonly EndpointId[];
  /** Told of every machine instance and every event the machines take (the inspector). */
  readonly machines?: CoverageSink;
  /** Told of every step line (as checked: projected in relaxed mode) before the machines take it. */
  readonly onStep?: (line: StepLine) => void;
}

type Record_ = StepRecord<ClusterMessage, ClusterAction>;

/** Input the checker cannot use; ends the check. */
class Unusable extends Error {}

interface Setup {
  readonly header: TraceHeader;
  readonly cluster: FlinkClusterConfig;
  readonly routing: ClusterRouting;
  /** null: every endpoint (full mode). */
  readonly keep: ReadonlySet<EndpointId> | null;
  readonly observedCluster: ObservedCluster;
  readonly ledger: Ledger;
  readonly invariants: InvariantChecker;
}

export class TraceChecker {
  private setup: Setup | null = null;
  private monitors: ClusterMonitors | null = null;
  private started = false;
  private end: EndLine | null = null;
  private lastIndex = 0;
  private lastTime = 0;
  private lineCount = 0;
  private steps = 0;
  private divergence: DivergenceFinding | null = null;
  private readonly violations = new Map<string, InvariantFinding>();
  private readonly unchecked: string[] = [];
  private error: { line: number; message: string } | null = null;

  constructor(private readonly options: CheckOptions = {}) {}

  /** Checks one line; false once the input is unusable (stop reading). */
  feed(raw: RawLine): boolean {
    if (this.error !== null) return false;
    this.lineCount = raw.number;
    try {
      this.take(raw);
      return true;
    } catch (error) {
      if (error instanceof Unusable) {
        this.error = { line: raw.number, message: error.message };
        return false;
      }
      throw error;
    }
  }

  /** The input could not be read from this line on (see lineReader.ts). */
  fail(line: number, message: string): void {
    this.error ??= { line, message };
  }

  finish(): CheckReport {
    if (this.error === null && this.setup === null)
      this.error = { line: 1, message: 'empty: a trace starts with its header line' };
    if (this.error === null && this.end === null)
      this.unchecked.push(
        'the end of the run: the trace has no end line (cut short?), so the eventual properties were not judged',
      );
    const violations = [...this.violations.values()].sort((a, b) => a.line - b.line);
    const setup = this.setup;
    const report: CheckReport = {
      verdict:
        this.error !== null
          ? 'unusable'
          : this.divergence !== null || violations.length > 0
            ? 'violates'
            : 'conforms',
      exitCode: 0,
      mode: setup === null ? null : setup.keep === null ? 'full' : 'relaxed',
      observed: setup === null ? null : setup.keep === null ? 'all' : [...setup.keep],
      lines: this.lineCount,
      steps: this.steps,
      ended: this.end?.reason ?? null,
      divergence: this.divergence,
      violations,
      unchecked: [...this.unchecked],
      error: this.error,
    };
    return { ...report, exitCode: exitCodeOf(report.verdict) };
  }

  private take(raw: RawLine): void {
    if (raw.text.trim() === '') return;
    const parsed = parseLine(raw.text);
    if (!parsed.ok) {
      if (raw.number === 1) this.headerProblem(raw.text);
      throw new Unusable(
        raw.terminated
          ? parsed.error
          : `truncated: the input ends inside this line (${parsed.error})`,
      );
    }
    const line = parsed.line;
    if (this.end !== null) throw new Unusable(`a ${line.kind} line after the end line`);
    switch (line.kind) {
      case 'header':
        if (this.setup !== null) throw new Unusable('a second header line');
        this.setup = this.readHeader(line);
        return;
      case 'start':
        this.onStart(this.needSetup(line.kind), line);
        return;
      case 'step':
        this.onStep(this.needSetup(line.kind), raw.number, line);
        return;
      case 'end':
        this.onEnd(this.needSetup(line.kind), raw.number, line);
        return;
    }
  }

  private needSetup(kind: string): Setup {
    if (this.setup === null)
      throw new Unusable(`a ${kind} line before the header: a trace starts with its header line`);
    return this.setup;
  }

  /** A first line that is no valid header: say why in the words a user needs. */
  private headerProblem(text: string): void {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof data !== 'object' || data === null) return;
    const h = data as Record<string, unknown>;
    if (h['kind'] !== 'header')
      throw new Unusable(
        `no header: a trace starts with its header line, this is ${typeof h['kind'] === 'string' ? `a ${h['kind'].slice(0, 40)}` : 'no'} line`,
      );
    if (h['format'] !== TRACE_FORMAT)
      throw new Unusable(
        `unknown format ${JSON.stringify(h['format'] ?? null).slice(0, 60)}: not a flink-slot-model trace`,
      );
    const version = h['formatVersion'];
    if (typeof version === 'number' && version > TRACE_FORMAT_VERSION)
      throw new Unusable(
        `format version ${version} is newer than this checker reads (${TRACE_FORMAT_VERSION}): update flink-slot-model`,
      );
    if (typeof version === 'number' && version < TRACE_FORMAT_VERSION)
      throw new Unusable(
        `format version ${version} records no component states; record the run again to check it`,
      );
  }

  private readHeader(header: TraceHeader): Setup {
    if (header.system !== 'flink-cluster')
      throw new Unusable(
        `system "${header.system}": only traces of the Flink cluster (flink-cluster) have a model to be checked against`,
      );
    const parsed = FlinkClusterConfig.safeParse(headerCluster(header));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Unusable(
        `header: config.system.cluster${issue === undefined || issue.path.length === 0 ? '' : `.${issue.path.join('.')}`}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const cluster = parsed.data;
    const routing = clusterRouting(cluster);
    const observedCluster = new ObservedCluster(routing);
    const endpoints = new Set(observedCluster.endpoints);
    const declared = header.observed === 'all' ? null : header.observed;
    for (const endpoint of [...(declared ?? []), ...(this.options.only ?? [])])
      if (!endpoints.has(endpoint))
        throw new Unusable(
          `${endpoint} is not an endpoint of this cluster (${[...endpoints].join(', ')})`,
        );
    if (declared !== null && this.options.only !== undefined)
      for (const endpoint of this.options.only)
        if (!declared.includes(endpoint))
          throw new Unusable(`--only ${endpoint}: the trace did not observe it`);
    const keepList = this.options.only ?? declared;
    const keep = keepList === null ? null : new Set(keepList);
    const include = (inv: StateInvariant | StepInvariant) =>
      keep === null || scopeCheckable(inv.scope, keep, routing);
    const effective = keep === null ? header : projectHeader(header, [...keep]);
    return {
      header: effective,
      cluster,
      routing,
      keep,
      observedCluster,
      ledger: keep === null ? new Ledger(() => true) : new Ledger((e) => keep.has(e), true),
      invariants: new InvariantChecker(include),
    };
  }

  private onStart(setup: Setup, given: StartLine): void {
    if (this.started) throw new Unusable('a second start line');
    this.started = true;
    const line = setup.keep === null ? given : projectStart(given, setup.keep);
    const states = line.states ?? {};
    this.observeStates(setup, states);
    const expected = setup.keep === null ? setup.observedCluster.endpoints : [];
    const missing = expected.filter((e) => !(e in states));
    if (missing.length > 0)
      throw new Unusable(
        `the start line has no state for ${missing.join(', ')}: a full trace starts with every component's state`,
      );
    for (const effect of line.effects) this.checkEffect(setup, effect);
    const reused = setup.ledger.newSeqProblem({
      outcome: { kind: 'clientActed', endpoint: '' },
      effects: line.effects as StartRecord<ClusterMessage>['effects'],
    });
    if (reused !== null) throw new Unusable(reused);
    const topology = this.monitoredTopology(setup, states);
    this.monitors = new ClusterMonitors(
      topology,
      () => setup.observedCluster.state,
      this.options.machines,
    );
    if (setup.keep !== null)
      this.unchecked.push(...uncheckedInRelaxedMode(setup.keep, setup.routing, topology));
    const record = line as unknown as StartRecord<ClusterMessage>;
    this.conform(0, 0, 'the processes start', () => this.monitors?.observeStart(record.effects));
    setup.ledger.applyEffects(record.effects);
  }

  /** The machines to run: all of them, or in relaxed mode the observed components' (see relaxed.ts). */
  private monitoredTopology(
    setup: Setup,
    states: Readonly<Record<string, unknown>>,
  ): ClusterTopology {
    const { topology } = setup.routing;
    const keep = setup.keep;
    if (keep === null) return topology;
    return {
      taskExecutors: topology.taskExecutors.filter((c) => keep.has(c.resourceId)),
      resourceManager: keep.has('rm') ? topology.resourceManager : null,
      resourceProvider: null,
      // A JobMaster's machines read which slots its pool reserved from its state.
      jobMasters: topology.jobMasters.filter((c) => {
        const endpoint = `jm-${c.jobId}`;
        return keep.has(endpoint) && endpoint in states;
      }),
    };
  }

  private onStep(setup: Setup, number: number, given: StepLine): void {
    if (!this.started) throw new Unusable('a step line before the start line');
    const line = setup.keep === null ? given : projectStep(given, setup.keep);
    if (line === null) return;
    if (setup.keep === null ? line.index !== this.lastIndex + 1 : line.index <= this.lastIndex)
      throw new Unusable(
        `step ${line.index} follows step ${this.lastIndex}: ${line.index <= this.lastIndex ? 'steps out of order' : 'a step is missing'}`,
      );
    if (line.time < this.lastTime)
      throw new Unusable(`time goes back from ${this.lastTime} to ${line.time} ms`);
    const stranger = unknownEndpoint(line, setup.observedCluster.endpoints);
    if (stranger !== null) throw new Unusable(`${stranger} is not an endpoint of this cluster`);
    const record = line as unknown as Record_;
    const problem = setup.ledger.problem(record);
    if (problem !== null) throw new Unusable(problem);
    for (const effect of line.effects) this.checkEffect(setup, effect);
    this.lastIndex = line.index;
    this.lastTime = line.time;
    this.steps += 1;

    this.options.onStep?.(line);
    const state = setup.observedCluster.state;
    this.reading(line, () => setup.invariants.before(state, record.step, pendingOf(record)));
    this.observeStates(setup, line.states ?? {});
    this.conform(number, line.index, describeEvent(record), () => this.monitors?.observe(record));
    const context = { config: setup.cluster, now: line.time, healedMs: 0 };
    const violations = this.reading(line, () => setup.invariants.after(record, state, context));
    for (const v of violations) this.broken(number, line.index, v.invariant, v.problems);
    setup.ledger.apply(record);
  }

  private onEnd(setup: Setup, number: number, line: EndLine): void {
    if (!this.started) throw new Unusable('an end line before the start line');
    if (setup.keep === null && line.steps !== this.lastIndex)
      throw new Unusable(
        `the end line counts ${line.steps} steps, the trace has ${this.lastIndex}`,
      );
    this.end = line;
    if (setup.keep !== null) return;
    if (line.reason !== 'healed' || line.healedMs === undefined) {
      this.unchecked.push(
        `the eventual properties: the run ended ${line.reason}${line.reason === 'healed' ? ' without saying how long it healed' : ''}, not at rest after healing`,
      );
      return;
    }
    const context = { config: setup.cluster, now: line.time, healedMs: line.healedMs };
    const state = setup.observedCluster.state;
    const violations = this.reading(line, () => eventualViolations(state, context));
    for (const v of violations) this.broken(number, this.lastIndex, v.invariant, v.problems);
  }

  private observeStates(setup: Setup, states: Readonly<Record<string, unknown>>): void {
    for (const [endpoint, value] of Object.entries(states))
      if (!setup.observedCluster.observe(endpoint, value))
        throw new Unusable(`a state for ${endpoint}, which is not an endpoint of this cluster`);
  }

  private checkEffect(setup: Setup, effect: StepLine['effects'][number]): void {
    if (effect.kind !== 'sent') return;
    const problem = receiverProblem(effect.envelope, setup.routing);
    if (problem !== null) throw new Unusable(problem);
  }

  /** Feeds the machines; the first divergence is recorded and ends their part of the check. */
  private conform(line: number, step: number, event: string, feed: () => void): void {
    if (this.monitors === null) return;
    try {
      feed();
    } catch (error) {
      if (!(error instanceof ConformanceError)) throw this.unreadable(error);
      this.divergence = {
        line,
        step,
        event,
        message: error.message.replace(/^step \d+: /, ''),
        detail: error.divergence,
      };
      this.monitors = null;
      this.unchecked.push(
        `conformance after line ${line}: the machines stop at the first divergence`,
      );
    }
  }

  /** Runs a check over observed states that may not have the shape of the components' states. */
  private reading<T>(line: { kind: string }, check: () => T): T {
    try {
      return check();
    } catch (error) {
      throw this.unreadable(error, line.kind);
    }
  }

  private unreadable(error: unknown, kind = 'step'): Unusable {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Unusable(
      `the observed states of this ${kind} line cannot be read as the components' states (${what.slice(0, 160)})`,
    );
  }

  private broken(line: number, step: number, invariant: string, problems: readonly string[]): void {
    const found = this.violations.get(invariant);
    if (found !== undefined) {
      this.violations.set(invariant, { ...found, lines: found.lines + 1 });
      return;
    }
    this.violations.set(invariant, { invariant, line, step, problems: [...problems], lines: 1 });
  }
}

/** The message a deliver or reorder step hands over, read from its outcome. */
function pendingOf(record: Record_): PendingDelivery | null {
  if (record.step.kind !== 'deliver' && record.step.kind !== 'reorder') return null;
  const { outcome } = record;
  if (outcome.kind === 'delivered' || outcome.kind === 'discarded')
    return { envelope: outcome.envelope, lateReply: false };
  if (outcome.kind === 'lateReply') return { envelope: outcome.envelope, lateReply: true };
  return null;
}
