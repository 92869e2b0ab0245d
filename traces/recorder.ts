/**
 * Records a run as a trace (traces/format.ts): one canonical JSON line per record, handed to a
 * sink (an array in tests, a file writer in the CLI). The same run always yields the same bytes.
 */
import { canonicalJson } from '../impl/sim/canonical.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import type { RunEnd, RunObserver } from '../impl/sim/run.js';
import type { TraceHeader } from './format.js';

export type LineSink = (line: string) => void;

export class TraceRecorder<M, A> implements RunObserver<M, A> {
  constructor(
    header: Omit<TraceHeader, 'kind'>,
    private readonly sink: LineSink,
  ) {
    this.write({ kind: 'header', ...header });
  }

  start(record: StartRecord<M>): void {
    this.write({ kind: 'start', effects: record.effects });
  }

  step(record: StepRecord<M, A>): void {
    this.write({ kind: 'step', ...record });
  }

  end(end: RunEnd): void {
    this.write({ kind: 'end', ...end });
  }

  private write(line: object): void {
    this.sink(canonicalJson(line));
  }
}
