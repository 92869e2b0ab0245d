/**
 * The events the model's machines take in one run of the main job's cluster, each with the
 * snapshot it was taken in: the benchmark replays them with xstate's own `transition()` as the
 * baseline of what one machine step costs, without the simulator, the components or the monitors
 * around it.
 */
import { transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { ClusterMonitors } from '../conformance/clusterMonitors.js';
import type { MachineEvent, MachineInstance } from '../conformance/machineInstance.js';
import { clusterRouting, flinkCluster } from '../impl/cluster/flinkCluster.js';
import { pickSeeded } from '../impl/sim/policy.js';
import { Simulation } from '../impl/sim/simulation.js';
import type { MainJobConfig } from '../cli/mainJobConfig.js';

export interface MachineStep {
  readonly machine: AnyStateMachine;
  readonly before: AnyMachineSnapshot;
  readonly event: MachineEvent;
}

/** The machine steps of `steps` seeded steps of the cluster. */
export function machineSteps(config: MainJobConfig, seed: number, steps: number): MachineStep[] {
  const system = flinkCluster(config.cluster);
  const { simulation, record } = Simulation.start(system, config.sim, seed);
  const last = new Map<MachineInstance, AnyMachineSnapshot>();
  const taken: MachineStep[] = [];
  const monitors = new ClusterMonitors(
    clusterRouting(config.cluster).topology,
    () => simulation.state.system,
    (machine, _keys, _state, { instance, event }) => {
      const before = last.get(instance);
      if (event !== null && before !== undefined) taken.push({ machine, before, event });
      last.set(instance, instance.snapshot);
    },
  );
  monitors.observeStart(record.effects);
  for (let i = 0; i < steps; i++) {
    const enabled = simulation.enabledSteps();
    if (enabled.length === 0) break;
    monitors.observe(
      simulation.applyEnabled(pickSeeded(simulation.state.rng, config.sim.weights, enabled)),
    );
  }
  return taken;
}

/** Replays the machine steps with xstate's pure `transition()`; how many it took. */
export function replayTransitions(steps: readonly MachineStep[]): number {
  for (const { machine, before, event } of steps) transition(machine, before, event);
  return steps.length;
}
