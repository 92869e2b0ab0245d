import { describe, expect, it } from 'vitest';
import { ECHO_DEMO_CONFIG, EchoConfig, echoSystem } from '../demo/echo.js';
import { canonicalHash, canonicalJson, clonePlain, type Json } from './canonical.js';
import { simConfig } from './config.js';
import { pickSeeded } from './policy.js';
import type { StepRecord } from './record.js';
import { Simulation } from './simulation.js';

const echo = EchoConfig.parse({});
const config = simConfig(ECHO_DEMO_CONFIG.sim);

function runFor<S, M, A extends Json>(sim: Simulation<S, M, A>, steps: number) {
  const records: StepRecord<M, A>[] = [];
  for (let i = 0; i < steps; i++) {
    const enabled = sim.enabledSteps();
    if (enabled.length === 0) break;
    records.push(sim.apply(pickSeeded(sim.state.rng, sim.config.weights, enabled)));
  }
  return records;
}

describe('snapshot and restore', () => {
  it('a restored snapshot continues exactly as the original run', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const original = Simulation.start(echoSystem(echo), config, seed).simulation;
      runFor(original, 120);
      const snapshot = original.snapshot();
      const hashAtSnapshot = original.hash();
      const continued = runFor(original, 150);

      const restored = Simulation.restore(echoSystem(echo), config, snapshot);
      expect(restored.hash()).toBe(hashAtSnapshot);
      const replayed = runFor(restored, 150);
      expect(canonicalJson(replayed)).toBe(canonicalJson(continued));
      expect(restored.hash()).toBe(original.hash());
    }
  });

  it('a snapshot is a copy: the running world does not change it', () => {
    const sim = Simulation.start(echoSystem(echo), config, 11).simulation;
    runFor(sim, 30);
    const snapshot = sim.snapshot();
    const before = canonicalJson(snapshot);
    runFor(sim, 30);
    expect(canonicalJson(snapshot)).toBe(before);
    expect(sim.hash()).not.toBe(canonicalHash(snapshot));
  });

  it('the world state survives a JSON round trip unchanged (it is plain data)', () => {
    const sim = Simulation.start(echoSystem(echo), config, 12).simulation;
    runFor(sim, 200);
    const viaJson = JSON.parse(JSON.stringify(sim.state)) as unknown;
    expect(canonicalHash(viaJson)).toBe(sim.hash());
  });
});

describe('canonical encoding', () => {
  it('does not depend on the order in which fields were written', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(canonicalHash({ x: 1, y: 2 })).toBe(canonicalHash({ y: 2, x: 1 }));
    expect(canonicalHash({ x: 1 })).not.toBe(canonicalHash({ x: 2 }));
  });

  it('rejects what is not plain data, naming where it is', () => {
    expect(() => canonicalJson({ a: { m: new Map() } })).toThrow('not plain data at $.a.m: Map');
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('not plain data at $.a[1]: NaN');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('not plain data at $.f: function');
  });

  it('clonePlain copies deeply', () => {
    const value = { a: [{ b: 1 }] };
    const copy = clonePlain(value);
    copy.a[0]!.b = 2;
    expect(value.a[0]!.b).toBe(1);
  });
});
