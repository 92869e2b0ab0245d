/**
 * Test support: drives a probe simulation step by step by the readable names of its steps
 * (`deliver #1`, `fireTimer a/t`), so tests read as the story of a run.
 */
import { simConfig, type SimConfigInput } from '../config.js';
import type { StepRecord } from '../record.js';
import { Simulation } from '../simulation.js';
import { describeStep } from '../step.js';
import {
  probeSystem,
  type ProbeAction,
  type ProbeHooks,
  type ProbeMessage,
  type ProbeState,
} from './probe.js';

export class ProbeDriver {
  readonly simulation: Simulation<ProbeState, ProbeMessage, ProbeAction>;

  constructor(hooks: ProbeHooks = {}, config: SimConfigInput = {}, seed = 1) {
    this.simulation = Simulation.start(probeSystem(hooks), simConfig(config), seed).simulation;
  }

  /** The enabled steps, by name, in the scheduler's canonical order. */
  steps(): string[] {
    return this.simulation.enabledSteps().map(describeStep);
  }

  /** Applies the enabled step of that name; fails the test if it is not enabled. */
  take(name: string): StepRecord<ProbeMessage, ProbeAction> {
    const step = this.simulation.enabledSteps().find((s) => describeStep(s) === name);
    if (step === undefined)
      throw new Error(`"${name}" is not enabled; enabled: ${this.steps().join(', ')}`);
    return this.simulation.apply(step);
  }

  get log(): readonly string[] {
    return this.simulation.state.system.log;
  }

  get now(): number {
    return this.simulation.state.now;
  }
}
