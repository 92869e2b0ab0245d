import { describe, expect, it } from 'vitest';
import { ECHO_DEMO_CONFIG, EchoConfig, echoSystem } from '../impl/demo/echo.js';
import { simConfig } from '../impl/sim/config.js';
import { pickSeeded } from '../impl/sim/policy.js';
import { Simulation } from '../impl/sim/simulation.js';
import { probeSystem } from '../impl/sim/testing/probe.js';
import { checkDeterminism } from './determinism.js';
import { traceText } from './recordRun.js';

const echo = EchoConfig.parse({});
const config = { sim: simConfig(ECHO_DEMO_CONFIG.sim), system: echo };
const seeds = Array.from({ length: 100 }, (_, i) => i);

describe('determinism self-check', () => {
  it('every one of 100 seeds of the echo demonstration replays byte for byte', () => {
    const result = checkDeterminism(() => echoSystem(echo), config, seeds);
    expect(result.failure).toBeNull();
    expect(result.steps).toBe(100 * config.sim.maxSteps);
  });

  it('the runs it compares are not trivial: seeds differ, and faults and timeouts happen', () => {
    const traces = seeds
      .slice(0, 20)
      .map((seed) => traceText(echoSystem(echo), config, { seed }).text);
    expect(new Set(traces).size).toBe(20);
    const all = traces.join('');
    for (const outcome of [
      'dropped',
      'duplicated',
      'delayed',
      'crashed',
      'restarted',
      'partitioned',
      'healed',
      'askTimedOut',
      'lateReply',
      'discarded',
    ]) {
      expect(all).toContain(`"kind":"${outcome}"`);
    }
  });

  it('catches a system whose behaviour depends on something outside the world state', () => {
    let leaked = 0;
    const leaky = () =>
      probeSystem({
        onStart: (ctx, out) => {
          // A counter kept outside the world: the second run of a seed starts from another value.
          leaked += 1;
          if (ctx.endpoint === 'a') out.armTimer('t', leaked);
        },
      });
    const result = checkDeterminism(leaky, { sim: simConfig(), system: null }, [7]);
    expect(result.failure).toMatchObject({ seed: 7, line: 2 });
  });

  it('a choice sequence replays the steps of the seeded run it was taken from', () => {
    // Record, at each step of a seeded run, the index of the chosen step among the enabled ones.
    const simulation = Simulation.start(echoSystem(echo), config.sim, 42).simulation;
    const choices: number[] = [];
    for (let i = 0; i < config.sim.maxSteps; i++) {
      const enabled = simulation.enabledSteps();
      const step = pickSeeded(simulation.state.rng, config.sim.weights, enabled);
      choices.push(enabled.indexOf(step));
      simulation.applyEnabled(step);
    }
    const seeded = traceText(echoSystem(echo), config, { seed: 42 }).text.split('\n');
    const replayed = traceText(echoSystem(echo), config, { seed: 42, choices }).text.split('\n');
    // Header (which names the choices) and end line (whose hash covers the PRNG state, untouched
    // by a choice-driven run) differ; every start and step line is the same.
    expect(replayed.slice(1, -2)).toEqual(seeded.slice(1, -2));
    expect(replayed.length).toBe(seeded.length);
  });

  it('a choice-driven run stops when its choices run out', () => {
    const run = traceText(echoSystem(echo), config, { seed: 0, choices: [0, 0, 0] });
    expect(run.result).toMatchObject({ steps: 3, reason: 'choicesExhausted' });
  });
});
