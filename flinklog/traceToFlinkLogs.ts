/**
 * A recorded trace of the simulator (traces/FORMAT.md) written as the Flink logs its cluster
 * would have written (renderFlinkLogs.ts): the TaskExecutors' slot tables are read from the
 * trace's observed states, the rest from its steps.
 */
import type { ClusterProcesses } from '../impl/cluster/clusterProcesses.js';
import type { TaskExecutorState } from '../impl/taskexecutor/taskExecutorState.js';
import { parseLine } from '../traces/check/parseLine.js';
import { headerCluster } from '../traces/format.js';
import { FlinkLogRenderer } from './renderFlinkLogs.js';
import type { FlinkVersion } from './versions.js';

/** A trace line the renderer cannot read. */
export class TraceToLogsError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const isTaskExecutor = (endpoint: string) => /^(te|worker)-\d+$/.test(endpoint);

export async function traceToFlinkLogs(
  lines: AsyncIterable<string> | Iterable<string>,
  version: FlinkVersion,
): Promise<ReadonlyMap<string, readonly string[]>> {
  let renderer: FlinkLogRenderer | null = null;
  const taskExecutors: Record<string, TaskExecutorState | null> = {};
  const processes = { taskExecutors } as unknown as ClusterProcesses;
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    const parsed = parseLine(text);
    if (!parsed.ok) throw new TraceToLogsError(number, parsed.error);
    const line = parsed.line;
    if (line.kind === 'header') {
      const cluster = headerCluster(line) as { slotsPerTaskExecutor?: number } | null;
      renderer = new FlinkLogRenderer(version, cluster?.slotsPerTaskExecutor ?? 1);
      continue;
    }
    if (renderer === null)
      throw new TraceToLogsError(number, 'no header line before it: not a trace');
    if (line.kind === 'end') break;
    for (const [endpoint, state] of Object.entries(line.states ?? {}))
      if (isTaskExecutor(endpoint)) taskExecutors[endpoint] = state as TaskExecutorState | null;
    if (line.kind === 'start') {
      renderer.clusterStarted(processes);
      continue;
    }
    renderer.step(line as never, processes);
  }
  return renderer?.files ?? new Map();
}
