/**
 * Records a run as a trace (traces/format.ts): one canonical JSON line per record, handed to a
 * sink (an array in tests, a file writer in the CLI). The same run always yields the same bytes.
 * A Flink cluster's recorders pass the states each step changed (traces/componentStates.ts).
 */
import { canonicalJson, type Json } from '../impl/sim/canonical.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import type { RunEnd, RunObserver } from '../impl/sim/run.js';
import {
  PROTOCOL_VERSION,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  type Observed,
  type TraceHeader,
} from './format.js';

export type LineSink = (line: string) => void;
type States = Record<string, Json>;

/** What a recorder writes in the header besides the format's own fields. */
export interface HeaderFields {
  readonly system: string;
  readonly config: TraceHeader['config'];
  readonly seed: number;
  readonly choices: readonly number[] | null;
  readonly observed?: Observed;
}

export class TraceRecorder<M, A> implements RunObserver<M, A> {
  constructor(
    header: HeaderFields,
    private readonly sink: LineSink,
  ) {
    this.write({
      kind: 'header',
      format: TRACE_FORMAT,
      formatVersion: TRACE_FORMAT_VERSION,
      protocol: PROTOCOL_VERSION,
      system: header.system,
      config: header.config,
      seed: header.seed,
      choices: header.choices === null ? null : [...header.choices],
      observed: header.observed ?? 'all',
    });
  }

  start(record: StartRecord<M>, states?: States): void {
    this.write({ kind: 'start', effects: record.effects, states });
  }

  step(record: StepRecord<M, A>, states?: States): void {
    this.write({ kind: 'step', ...record, states: nonEmpty(states) });
  }

  end(end: RunEnd, healedMs?: number): void {
    this.write({ kind: 'end', ...end, healedMs });
  }

  private write(line: object): void {
    this.sink(canonicalJson(line));
  }
}

function nonEmpty(states: States | undefined): States | undefined {
  return states === undefined || Object.keys(states).length === 0 ? undefined : states;
}
