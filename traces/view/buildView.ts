/**
 * The view's one pass over a trace (a file, standard input, or text in memory): the checker reads
 * every line (traces/check/checkStream.ts feedLines) and hands each step line it parsed and
 * accepted to the view builder (its onStep hook), so a step is parsed once; the header and start
 * lines, which the checker keeps to itself, are parsed again with the same schema (parseLine).
 * The checker's report decides the rest: input it cannot use gets no view (its one-line error says
 * why), a trace that violates the model gets a view with the first violation marked.
 */
import { feedLines } from '../check/checkStream.js';
import { parseLine } from '../check/parseLine.js';
import type { CheckReport } from '../check/report.js';
import { TraceChecker } from '../check/traceChecker.js';
import type { StepLine } from '../format.js';
import { ViewBuilder } from './viewBuilder.js';
import type { ViewData } from './viewData.js';

export interface BuiltView {
  readonly report: CheckReport;
  /** Null when the report is an error (the input is unusable). */
  readonly data: ViewData | null;
}

export async function buildView(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  name: string,
): Promise<BuiltView> {
  const builder = new ViewBuilder(name);
  let step: StepLine | null = null;
  const checker = new TraceChecker({ onStep: (line) => void (step = line) });
  const report = await feedLines(source, checker, (raw) => {
    // feedLines calls this after each line the checker took; a step line came through onStep.
    if (step !== null) builder.take(raw.number, step);
    else if (!builder.started) {
      const parsed = parseLine(raw.text);
      if (parsed.ok) builder.take(raw.number, parsed.line);
    }
    step = null;
    return Promise.resolve();
  });
  return { report, data: report.error === null ? builder.finish(report) : null };
}
