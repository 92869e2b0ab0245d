/**
 * Every conformance monitor of a cluster in one place: the TaskExecutors', the ResourceManager's and
 * each JobMaster's, fed every step of a run. The main job and the property suite watch their runs
 * through this, and so does the scenario harness, whose topology may leave the ResourceManager or
 * the JobMasters scripted.
 */
import {
  jobMasterEndpoint,
  RM_ENDPOINT,
  type ClusterProcesses,
  type ClusterTopology,
} from '../impl/cluster/clusterProcesses.js';
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { AppliedEffect, StepRecord } from '../impl/sim/record.js';
import { JobMasterMonitor } from './jobMaster/jobMasterMonitor.js';
import type { CoverageSink } from './machineInstance.js';
import { ResourceManagerMonitor } from './resourceManager/resourceManagerMonitor.js';
import { TaskExecutorMonitor } from './taskExecutor/taskExecutorMonitor.js';

export class ClusterMonitors {
  readonly taskExecutors: TaskExecutorMonitor;
  /** The real ResourceManager's monitor (none when the ResourceManager is scripted). */
  readonly resourceManager: ResourceManagerMonitor | null;
  /** A monitor per real JobMaster, by endpoint. */
  readonly jobMasters: ReadonlyMap<string, JobMasterMonitor>;

  constructor(
    topology: ClusterTopology,
    processes: () => ClusterProcesses,
    coverage: CoverageSink = () => undefined,
  ) {
    this.taskExecutors = new TaskExecutorMonitor(
      new Map(
        topology.taskExecutors.map((c) => [
          c.resourceId as string,
          { numberOfSlots: c.numberOfSlots, rpcFailureThreshold: c.heartbeat.rpcFailureThreshold },
        ]),
      ),
      (endpoint) => processes().taskExecutors[endpoint] ?? null,
      coverage,
    );
    const rm = topology.resourceManager;
    this.resourceManager =
      rm === null
        ? null
        : new ResourceManagerMonitor(
            RM_ENDPOINT,
            () => processes().resourceManager,
            coverage,
            rm.workerMode === 'active',
          );
    this.jobMasters = new Map(
      topology.jobMasters.map((c) => {
        const endpoint = jobMasterEndpoint(c.jobId);
        const monitor = new JobMasterMonitor(
          endpoint,
          () => processes().jobMasters[endpoint] ?? null,
          coverage,
          c.heartbeat.rpcFailureThreshold,
        );
        return [endpoint, monitor];
      }),
    );
  }

  observeStart(effects: readonly AppliedEffect<ClusterMessage>[]): void {
    this.taskExecutors.observeStart(effects);
  }

  /** Feeds one step to every monitor; throws the first ConformanceError. */
  observe(record: StepRecord<ClusterMessage, unknown>): void {
    this.taskExecutors.observe(record);
    this.resourceManager?.observe(record);
    for (const monitor of this.jobMasters.values()) monitor.observe(record);
  }
}
