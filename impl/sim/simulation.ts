/**
 * A simulation: a system, a configuration, and the world state they evolve. It lists enabled
 * steps, applies chosen ones, and snapshots, restores and hashes the world. All state lives in the
 * plain-data world; this class only binds it to the system's handlers.
 */
import { canonicalHash, canonicalJson, clonePlain, type Json } from './canonical.js';
import type { SimConfig } from './config.js';
import { applyStep, runHandler, type Scene } from './apply.js';
import { enabledSteps } from './enabled.js';
import { seedRng } from './prng.js';
import type { AppliedEffect, StartRecord, StepRecord } from './record.js';
import type { Step } from './step.js';
import type { SimSystem } from './system.js';
import type { EndpointStatus, World } from './world.js';

export class Simulation<S, M, A extends Json> {
  private constructor(
    private readonly scene: Scene<S, M, A>,
    private world: World<S, M>,
  ) {}

  /** A new world whose processes have all started, and what their start did. */
  static start<S, M, A extends Json>(
    system: SimSystem<S, M, A>,
    config: SimConfig,
    seed: number,
  ): { simulation: Simulation<S, M, A>; record: StartRecord<M> } {
    const world: World<S, M> = {
      now: 0,
      nextSeq: 1,
      stepCount: 0,
      rng: seedRng(seed),
      endpoints: Object.fromEntries(
        system.endpoints.map((e): [string, EndpointStatus] =>
          (system.managed ?? []).includes(e)
            ? [e, { up: false, incarnation: 0 }]
            : [e, { up: true, incarnation: 1 }],
        ),
      ),
      messages: [],
      timers: [],
      asks: [],
      blockedLinks: [],
      faultCounts: { drop: 0, duplicate: 0, delay: 0, reorder: 0, crash: 0, partition: 0 },
      system: system.initialState(),
    };
    const scene = { system, config };
    const effects: AppliedEffect<M>[] = [];
    for (const endpoint of system.endpoints) {
      if ((system.managed ?? []).includes(endpoint)) continue;
      runHandler(world, scene, endpoint, effects, (ctx, out) =>
        system.onStart(world.system, ctx, out),
      );
    }
    return { simulation: new Simulation(scene, world), record: { effects } };
  }

  /** A simulation that continues from a snapshot taken with `snapshot()`. */
  static restore<S, M, A extends Json>(
    system: SimSystem<S, M, A>,
    config: SimConfig,
    snapshot: World<S, M>,
  ): Simulation<S, M, A> {
    return new Simulation({ system, config }, clonePlain(snapshot));
  }

  get config(): SimConfig {
    return this.scene.config;
  }

  get system(): SimSystem<S, M, A> {
    return this.scene.system;
  }

  /** The live world. Read it; change it only through `apply`. */
  get state(): Readonly<World<S, M>> {
    return this.world;
  }

  enabledSteps(): Step<A>[] {
    return enabledSteps(this.world, this.scene.system, this.scene.config);
  }

  /** Applies a step, which must be one of `enabledSteps()`. */
  apply(step: Step<A>): StepRecord<M, A> {
    const wanted = canonicalJson(step);
    if (!this.enabledSteps().some((s) => canonicalJson(s) === wanted)) {
      throw new Error(`step ${wanted} is not enabled at step ${this.world.stepCount}`);
    }
    return applyStep(this.world, this.scene, step);
  }

  /** Applies a step just taken from `enabledSteps()` of this same state, without checking it. */
  applyEnabled(step: Step<A>): StepRecord<M, A> {
    return applyStep(this.world, this.scene, step);
  }

  /** A deep copy of the world; `restore` continues from it exactly. */
  snapshot(): World<S, M> {
    return clonePlain(this.world);
  }

  /** The canonical hash of the world. */
  hash(): string {
    return canonicalHash(this.world);
  }
}
