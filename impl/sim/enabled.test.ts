import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation.js';
import { simConfig } from './config.js';
import { probeSystem } from './testing/probe.js';
import { ProbeDriver } from './testing/drive.js';
import { pickByChoice, pickSeeded } from './policy.js';
import { seedRng } from './prng.js';
import { STEP_KINDS } from './step.js';

const everyFault = { drop: 1, duplicate: 1, delay: 1, reorder: 1, crash: 1, partition: 1 };

describe('enabled steps', () => {
  it('lists every step the environment may take, in canonical order', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') {
            out.tell('b', { type: 'm', n: 1 });
            out.tell('b', { type: 'm', n: 2 });
            out.armTimer('t', 0);
          }
        },
        clientActions: () => [{ endpoint: 'b', action: { type: 'go' } }],
      },
      { faults: everyFault },
    );
    expect(d.steps()).toEqual([
      'deliver #1',
      'reorder #2',
      'drop #1',
      'drop #2',
      'duplicate #1',
      'duplicate #2',
      'delay #1',
      'delay #2',
      'fireTimer a/t',
      'crash a',
      'crash b',
      'partition a->b',
      'partition b->a',
      'partition a<->b',
      'client b {"type":"go"}',
    ]);
  });

  it('drops spent fault kinds, offers restart for a crashed process, and skips its client actions', () => {
    const d = new ProbeDriver(
      {
        clientActions: () => [
          { endpoint: 'a', action: { type: 'go' } },
          { endpoint: 'b', action: { type: 'go' } },
        ],
      },
      { faults: { crash: 1 } },
    );
    d.take('crash a');
    expect(d.steps()).toEqual(['restart a', 'client b {"type":"go"}']);
    d.take('restart a');
    expect(d.steps()).toEqual(['client a {"type":"go"}', 'client b {"type":"go"}']);
  });

  it('never disturbs the links of a fault-free endpoint', () => {
    const d = new ProbeDriver(
      {
        endpoints: ['a', 'b', 'ha'],
        faultFree: ['ha'],
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') {
            out.tell('ha', { type: 'm', n: 1 });
            out.tell('ha', { type: 'm', n: 2 });
            out.tell('b', { type: 'm', n: 3 });
          }
        },
      },
      { faults: { drop: 1, duplicate: 1, delay: 1, reorder: 1, partition: 1 } },
    );
    expect(d.steps()).toEqual([
      'deliver #1',
      'deliver #3',
      'drop #3',
      'duplicate #3',
      'delay #3',
      'partition a->b',
      'partition b->a',
      'partition a<->b',
    ]);
  });

  it('a quiescent world has no enabled step', () => {
    expect(new ProbeDriver().steps()).toEqual([]);
  });

  it('refuses a step that is not enabled', () => {
    const d = new ProbeDriver();
    expect(() => d.simulation.apply({ kind: 'deliver', seq: 99 })).toThrow(/not enabled/);
    expect(() => d.simulation.apply({ kind: 'crash', endpoint: 'a' })).toThrow(/not enabled/);
  });
});

describe('policies', () => {
  const steps = new ProbeDriver(
    {
      onStart: (ctx, out) => {
        out.tell(ctx.endpoint === 'a' ? 'b' : 'a', { type: 'm' });
        out.armTimer('t', 0);
      },
    },
    { faults: everyFault },
  ).simulation.enabledSteps();

  it('a choice indexes the enabled steps, wrapping around', () => {
    expect(pickByChoice(0, steps)).toEqual(steps[0]);
    expect(pickByChoice(steps.length + 2, steps)).toEqual(steps[2]);
    expect(() => pickByChoice(-1, steps)).toThrow(/non-negative integer/);
  });

  it('the seeded policy follows the kind weights', () => {
    const weights = simConfig().weights;
    const rng = seedRng(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const kind = pickSeeded(rng, weights, steps).kind;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const present = STEP_KINDS.filter((k) => steps.some((s) => s.kind === k));
    const total = present.reduce((sum, k) => sum + weights[k], 0);
    for (const kind of present) {
      const expected = (20_000 * weights[kind]) / total;
      // Within 15% of the expectation: far more than the sampling error, far less than a bug.
      expect(Math.abs((counts.get(kind) ?? 0) - expected)).toBeLessThan(expected * 0.15 + 20);
    }
  });

  it('a kind with weight zero is never picked', () => {
    const weights = { ...simConfig().weights, deliver: 0 };
    const rng = seedRng(9);
    for (let i = 0; i < 500; i++) expect(pickSeeded(rng, weights, steps).kind).not.toBe('deliver');
  });

  it('the world carries the PRNG, seeded from the run seed', () => {
    const start = () => Simulation.start(probeSystem(), simConfig(), 3).simulation;
    expect(start().state.rng).toEqual(seedRng(3));
  });
});
