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
    if (!parsed.ok) throw new Error(`trace line ${number}: ${parsed.error}`);
    const line = parsed.line;
    if (line.kind === 'header') {
      const cluster = headerCluster(line) as { slotsPerTaskExecutor?: number } | null;
      renderer = new FlinkLogRenderer(version, cluster?.slotsPerTaskExecutor ?? 1);
      continue;
    }
    if (renderer === null) throw new Error(`trace line ${number}: no header before it`);
    if (line.kind === 'end') break;
    for (const [endpoint, state] of Object.entries(line.states ?? {}))
      if (isTaskExecutor(endpoint)) taskExecutors[endpoint] = state as TaskExecutorState | null;
    if (line.kind === 'start') {
      renderer.processStarted('rm', 0);
      for (const [endpoint, te] of Object.entries(taskExecutors))
        if (te !== null) renderer.processStarted(endpoint, 0);
      renderer.observeSlots(0, processes);
      continue;
    }
    renderer.step(line as never, processes);
  }
  return renderer?.files ?? new Map();
}
