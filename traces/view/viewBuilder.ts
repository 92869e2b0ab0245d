/**
 * Builds the trace view's data (traces/view/viewData.ts) from a trace's lines, one at a time, as
 * they are read: rows (one per step), lifelines, messages and their fates, faults, timer firings
 * and client actions on the lifeline they hit, the slot lanes, and when components were down.
 * Lines arrive already accepted by the checker (traces/view/buildView.ts feeds it first), so the
 * builder does not judge them; the checker's report gives it the first violation at the end.
 */
import type { ClusterMessage } from '../../impl/cluster/clusterMessage.js';
import {
  clusterRouting,
  FlinkClusterConfig,
  type ClusterAction,
} from '../../impl/cluster/flinkCluster.js';
import { PROVIDER_ENDPOINT, RM_ENDPOINT } from '../../impl/cluster/clusterProcesses.js';
import type { StepRecord } from '../../impl/sim/record.js';
import { HA_ENDPOINT } from '../../protocol/leaderRetrieval.js';
import { formatReport, type CheckReport } from '../check/report.js';
import { describeEvent } from '../check/lineFacts.js';
import {
  headerCluster,
  type StartLine,
  type StepLine,
  type TraceHeader,
  type TraceLine,
} from '../format.js';
import { firstFinding } from './firstFinding.js';
import { MessageTable } from './messageTable.js';
import { SlotLanes } from './slotLanes.js';
import { StringTable } from './stringTable.js';
import {
  deltaEncode,
  EVENT_KINDS,
  FAULT_KINDS,
  NONE,
  VIEW_DATA_VERSION,
  type EventKind,
  type ViewData,
  type ViolationData,
} from './viewData.js';

const SECONDARY: ReadonlySet<string> = new Set([HA_ENDPOINT, PROVIDER_ENDPOINT]);

export class ViewBuilder {
  private readonly strings = new StringTable();
  private readonly lifelines: string[] = [];
  private readonly lifelineIndex = new Map<string, number>();
  private readonly messages = new MessageTable(this.strings, (e) => this.lifeline(e));
  private lanes = new SlotLanes(new Map());
  private readonly rows = { line: [] as number[], step: [] as number[], time: [] as number[] };
  /** The lifeline each row's step hit (not embedded: it places the violation's marker). */
  private readonly hit: number[] = [];
  private readonly events = {
    row: [] as number[],
    kind: [] as number[],
    lifeline: [] as number[],
    other: [] as number[],
    label: [] as number[],
  };
  /** The endpoints a partial trace observed; null: all of them. */
  private observed: ReadonlySet<string> | null = null;
  private readonly downSince = new Map<string, number>();
  private readonly down: { lifeline: number; from: number; to: number }[] = [];
  private faults = 0;
  private timers = 0;
  /** The start line has been taken (after it, only step lines matter to the view). */
  started = false;

  constructor(private readonly name: string) {}

  /** One line the checker accepted; `number` is its line number in the trace. */
  take(number: number, line: TraceLine): void {
    switch (line.kind) {
      case 'header':
        this.onHeader(line);
        return;
      case 'start':
        this.onStart(number, line);
        return;
      case 'step':
        this.onStep(number, line);
        return;
      case 'end':
        return;
    }
  }

  /**
   * The lifelines, left to right: ha and provider (secondary: they only elect leaders and start
   * workers), the JobMasters, the ResourceManager, the TaskExecutors — so that the slot lanes,
   * drawn right of the lifelines, sit beside the TaskExecutors that hold them.
   */
  private onHeader(header: TraceHeader): void {
    // The checker accepted this header, so its cluster configuration parses.
    const routing = clusterRouting(FlinkClusterConfig.parse(headerCluster(header)));
    const endpoints = routing.endpoints;
    this.lifeline(HA_ENDPOINT);
    if (endpoints.includes(PROVIDER_ENDPOINT)) this.lifeline(PROVIDER_ENDPOINT);
    for (const e of endpoints.filter((e) => routing.isJobMaster(e))) this.lifeline(e);
    if (endpoints.includes(RM_ENDPOINT)) this.lifeline(RM_ENDPOINT);
    const observed = header.observed === 'all' ? null : new Set(header.observed);
    this.observed = observed;
    const slots = new Map<string, number>();
    for (const te of routing.topology.taskExecutors) {
      this.lifeline(te.resourceId);
      if (observed === null || observed.has(te.resourceId))
        slots.set(te.resourceId, te.numberOfSlots);
    }
    this.lanes = new SlotLanes(slots);
  }

  private lifeline(endpoint: string): number {
    const found = this.lifelineIndex.get(endpoint);
    if (found !== undefined) return found;
    this.lifelines.push(endpoint);
    this.lifelineIndex.set(endpoint, this.lifelines.length - 1);
    return this.lifelines.length - 1;
  }

  private addRow(line: number, step: number, time: number): number {
    this.rows.line.push(line);
    this.rows.step.push(step);
    this.rows.time.push(time);
    return this.rows.line.length - 1;
  }

  private onStart(number: number, line: StartLine): void {
    this.started = true;
    const row = this.addRow(number, 0, 0);
    this.hit.push(NONE);
    for (const effect of line.effects)
      if (effect.kind === 'sent') this.messages.sent(effect.envelope, row);
    this.observe(row, line.states ?? {});
  }

  private onStep(number: number, line: StepLine): void {
    const row = this.addRow(number, line.index, line.time);
    this.messages.outcome(line.outcome, row, line.time);
    for (const effect of line.effects)
      if (effect.kind === 'sent') this.messages.sent(effect.envelope, row);
    this.mark(row, line);
    this.observe(row, line.states ?? {});
  }

  /** Faults, timer firings and client actions, on the lifeline of the component they hit. */
  private mark(row: number, line: StepLine): void {
    const { step, outcome } = line;
    const envelope = 'envelope' in outcome ? outcome.envelope : null;
    let at: string;
    let other: string | null = null;
    let kind: EventKind | null = null;
    switch (step.kind) {
      case 'deliver':
        at = envelope?.to ?? '';
        break;
      case 'drop':
      case 'duplicate':
      case 'delay':
      case 'reorder':
        // A fault on a message hits the receiver, which does not get it (or gets it twice, late, early).
        [at, other, kind] = [envelope?.to ?? '', envelope?.from ?? null, step.kind];
        break;
      case 'crash':
      case 'restart':
        [at, kind] = [step.endpoint, step.kind];
        break;
      case 'partition':
        [at, other, kind] = [step.from, step.to, 'partition'];
        break;
      case 'heal':
        [at, other, kind] = [step.a, step.b, 'heal'];
        break;
      case 'fireTimer':
        [at, kind] = [step.endpoint, outcome.kind === 'askTimedOut' ? 'askTimeout' : 'timer'];
        this.timers += 1;
        break;
      case 'client':
        [at, kind] = [step.endpoint, 'client'];
        break;
    }
    this.hit.push(at === '' ? NONE : this.lifeline(at));
    if (kind === null || at === '') return;
    if ((FAULT_KINDS as readonly string[]).includes(kind)) this.faults += 1;
    const record = line as unknown as StepRecord<ClusterMessage, ClusterAction>;
    this.events.row.push(row);
    this.events.kind.push(EVENT_KINDS.indexOf(kind));
    this.events.lifeline.push(this.lifeline(at));
    this.events.other.push(other === null ? NONE : this.lifeline(other));
    this.events.label.push(this.strings.intern(describeEvent(record)));
  }

  /** The states the row's step changed: slot lanes, and who is down (state null). */
  private observe(row: number, states: Readonly<Record<string, unknown>>): void {
    for (const [endpoint, state] of Object.entries(states)) {
      if (this.lanes.isTaskExecutor(endpoint)) this.lanes.observe(endpoint, state, row);
      // A standalone cluster records the provider it does not have as down: not a lifeline.
      const lifeline = this.lifelineIndex.get(endpoint);
      if (lifeline === undefined) continue;
      const since = this.downSince.get(endpoint);
      if (state === null && since === undefined) this.downSince.set(endpoint, row);
      if (state !== null && since !== undefined) {
        this.downSince.delete(endpoint);
        this.down.push({ lifeline, from: since, to: row });
      }
    }
  }

  /** The view, with the first violation of the checker's report marked (the trace was usable). */
  finish(report: CheckReport): ViewData {
    const endRow = this.rows.line.length;
    for (const [endpoint, since] of this.downSince)
      this.down.push({ lifeline: this.lifeline(endpoint), from: since, to: endRow });
    this.down.sort((a, b) => a.lifeline - b.lifeline || a.from - b.from);
    const { lanes, slots } = this.lanes.columns(this.strings, (e) => this.lifeline(e), endRow);
    const observed = this.observed;
    const messages = this.messages.columns(
      Math.max(0, endRow - 1),
      (lifeline) => observed === null || observed.has(this.lifelines[lifeline] ?? ''),
    );
    return {
      version: VIEW_DATA_VERSION,
      name: this.name,
      lifelines: {
        names: [...this.lifelines],
        secondary: this.lifelines.map((e) => (SECONDARY.has(e) ? 1 : 0)),
        observed: this.lifelines.map((e) => (observed === null || observed.has(e) ? 1 : 0)),
      },
      lanes,
      rows: {
        line: deltaEncode(this.rows.line),
        step: deltaEncode(this.rows.step),
        time: deltaEncode(this.rows.time),
      },
      messages,
      events: { ...this.events, row: deltaEncode(this.events.row) },
      slots,
      down: {
        lifeline: this.down.map((d) => d.lifeline),
        from: this.down.map((d) => d.from),
        to: this.down.map((d) => d.to),
      },
      violation: this.violation(report),
      report: formatReport(this.name, report),
      counts: {
        steps: Math.max(0, endRow - 1),
        lifelines: this.lifelines.length,
        lanes: lanes.names.length,
        messages: this.messages.count,
        copies: this.messages.copies,
        faults: this.faults,
        timers: this.timers,
      },
      strings: this.strings.strings,
    };
  }

  private violation(report: CheckReport): ViolationData | null {
    const finding = firstFinding(report, this.name);
    if (finding === null) return null;
    const row = this.rowOfLine(finding.line);
    const named = finding.component?.split(' ')[0];
    const lifeline = named === undefined ? undefined : this.lifelineIndex.get(named);
    // A finding on the end line (an eventual invariant) is about the cluster at rest, not about
    // the component the last step happened to hit.
    const onItsRow = this.rows.line[row] === finding.line;
    return {
      row,
      line: finding.line,
      step: finding.step,
      time: this.rows.time[row] ?? 0,
      kind: finding.kind,
      words: finding.words,
      lifeline: lifeline ?? (onItsRow ? this.hit[row] : undefined) ?? NONE,
    };
  }

  /** The row of a trace line: the last row at or before it (an end line's finding: the last step). */
  private rowOfLine(line: number): number {
    const lines = this.rows.line;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lines[mid] ?? 0) <= line) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }
}
