/**
 * Records a property case's run as a trace: the header names the case (cluster, fault profile,
 * decisions, canaries switched on), every line carries the states its step changed, and the end
 * line says how long the run healed. The counterexample writer and the round-trip tests of the
 * trace checker record through this.
 */
import type { ClusterMessage } from '../impl/cluster/clusterMessage.js';
import type { ClusterAction, FlinkClusterState } from '../impl/cluster/flinkCluster.js';
import type { Mutant } from '../impl/mutants.js';
import type { StartRecord, StepRecord } from '../impl/sim/record.js';
import { ChangedStates } from '../traces/componentStates.js';
import { TraceRecorder, type LineSink } from '../traces/recorder.js';
import type { PropertyCase } from './generators.js';
import { caseSimConfig, type PropertyRunResult } from './propertyRun.js';

export class CaseTrace {
  private readonly recorder: TraceRecorder<ClusterMessage, ClusterAction>;
  private readonly states = new ChangedStates();

  constructor(c: PropertyCase, mutants: readonly Mutant[], sink: LineSink) {
    this.recorder = new TraceRecorder(
      {
        system: 'flink-cluster',
        config: {
          sim: caseSimConfig(c),
          system: {
            cluster: c.cluster,
            profile: c.profile,
            decisions: c.decisions.map((d) => ({ ...d })),
            mutants: [...mutants],
          },
        },
        seed: 0,
        choices: null,
      },
      sink,
    );
  }

  start(record: StartRecord<ClusterMessage>, state: FlinkClusterState): void {
    this.recorder.start(record, this.states.changed(state));
  }

  step(record: StepRecord<ClusterMessage, ClusterAction>, state: FlinkClusterState): void {
    this.recorder.step(record, this.states.changed(state));
  }

  end(result: PropertyRunResult): void {
    const { run } = result;
    const world = run.simulation.state;
    this.recorder.end(
      {
        steps: world.stepCount,
        time: world.now,
        reason: run.failure === null ? 'healed' : 'checkFailed',
        hash: run.simulation.hash(),
      },
      run.failure === null ? world.now - run.healStartedAt : undefined,
    );
  }
}
