import type { ProbeHooks } from './testing/probe.js';
import { describe, expect, it } from 'vitest';
import type { Out } from './effects.js';
import type { ProbeMessage } from './testing/probe.js';
import { ProbeDriver } from './testing/drive.js';

/** a sends two tells to b, and b one tell to a. */
function twoLinks(ctx: { endpoint: string }, out: Out<ProbeMessage>): void {
  if (ctx.endpoint === 'a') {
    out.tell('b', { type: 'm', n: 1 });
    out.tell('b', { type: 'm', n: 2 });
  } else {
    out.tell('a', { type: 'm', n: 3 });
  }
}

describe('network: per-link FIFO', () => {
  it('only the oldest message of a link is deliverable; links are independent', () => {
    const d = new ProbeDriver({ onStart: twoLinks });
    expect(d.steps()).toEqual(['deliver #1', 'deliver #3']);
    d.take('deliver #3');
    d.take('deliver #1');
    expect(d.steps()).toEqual(['deliver #2']);
    d.take('deliver #2');
    expect(d.log.filter((l) => l.includes('got'))).toEqual([
      'a got tell m#3 from b',
      'b got tell m#1 from a',
      'b got tell m#2 from a',
    ]);
  });
});

describe('network: faults', () => {
  it('reorder delivers a message ahead of older ones, within its budget', () => {
    const d = new ProbeDriver({ onStart: twoLinks }, { faults: { reorder: 1 } });
    expect(d.steps()).toContain('reorder #2');
    d.take('reorder #2');
    expect(d.simulation.state.faultCounts.reorder).toBe(1);
    expect(d.log).toContain('b got tell m#2 from a');
    expect(d.steps().filter((s) => s.startsWith('reorder'))).toEqual([]);
  });

  it('drop loses the message', () => {
    const d = new ProbeDriver({ onStart: twoLinks }, { faults: { drop: 1 } });
    expect(d.take('drop #1').outcome.kind).toBe('dropped');
    expect(d.steps()).toEqual(['deliver #2', 'deliver #3']);
  });

  it('duplicate delivers the message twice, the copy queued behind the link', () => {
    const d = new ProbeDriver({ onStart: twoLinks }, { faults: { duplicate: 1 } });
    const record = d.take('duplicate #1');
    expect(record.outcome).toMatchObject({ kind: 'duplicated', copySeq: 4 });
    d.take('deliver #1');
    d.take('deliver #2');
    d.take('deliver #4');
    expect(d.log.filter((l) => l.startsWith('b got'))).toEqual([
      'b got tell m#1 from a',
      'b got tell m#2 from a',
      'b got tell m#1 from a',
    ]);
  });

  it('delay lets time pass before the message arrives', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') {
            out.tell('b', { type: 'late' });
            out.armTimer('t', 1000);
          }
        },
      },
      { faults: { delay: 1 }, network: { latencyMs: 5, delayMs: 2000 } },
    );
    expect(d.steps()).not.toContain('fireTimer a/t');
    d.take('delay #1');
    d.take('fireTimer a/t');
    d.take('deliver #1');
    expect(d.now).toBe(1000);
    expect(d.log.at(-1)).toBe('b got tell late from a');
  });

  it('no fault step is listed without a budget', () => {
    const d = new ProbeDriver({ onStart: twoLinks });
    expect(d.steps().filter((s) => !s.startsWith('deliver'))).toEqual([]);
  });
});

describe('network: partitions', () => {
  it('a one-way partition holds messages in one direction only; heal releases them', () => {
    const d = new ProbeDriver({ onStart: twoLinks }, { faults: { partition: 1 } });
    d.take('partition a->b');
    expect(d.steps().filter((s) => s.startsWith('deliver'))).toEqual(['deliver #3']);
    expect(d.steps()).toContain('heal a<->b');
    expect(d.steps().filter((s) => s.startsWith('partition'))).toEqual([]);
    d.take('heal a<->b');
    expect(d.steps()).toEqual(['deliver #1', 'deliver #3']);
  });

  it('a two-way partition holds both directions', () => {
    const d = new ProbeDriver({ onStart: twoLinks }, { faults: { partition: 1 } });
    d.take('partition a<->b');
    expect(d.simulation.state.blockedLinks).toEqual(['a->b', 'b->a']);
    expect(d.steps()).toEqual(['heal a<->b']);
  });

  it('held messages do not hold back the clock', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') {
            out.tell('b', { type: 'held' });
            out.armTimer('t', 1000);
          }
        },
      },
      { faults: { partition: 1 } },
    );
    d.take('partition a->b');
    d.take('fireTimer a/t');
    expect(d.now).toBe(1000);
  });
});

describe('network: crashes and restarts', () => {
  it('a tell to a crashed process is discarded; an ask fails as unreachable at the caller', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a' && ctx.incarnation === 1) {
            out.tell('b', { type: 'note' });
            out.ask('b', { type: 'ping' }, 1000);
          }
        },
      },
      { faults: { crash: 1 } },
    );
    d.take('crash b');
    expect(d.take('deliver #1').outcome).toMatchObject({
      kind: 'discarded',
      reason: 'receiver down',
    });
    d.take('deliver #2');
    d.take('deliver #3');
    expect(d.log).toContain('a ask ping failed: unreachable');
    expect(d.simulation.state.timers).toEqual([]);
  });

  it('a message sent to an old incarnation is not delivered to the restarted process', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) =>
          ctx.endpoint === 'a' && ctx.incarnation === 1
            ? out.tell('b', { type: 'old' })
            : undefined,
      },
      { faults: { crash: 1 } },
    );
    d.take('crash b');
    d.take('restart b');
    expect(d.take('deliver #1').outcome).toMatchObject({
      kind: 'discarded',
      reason: 'receiver restarted since',
    });
    expect(d.log).toContain('b started (incarnation 2)');
  });

  it('a crash loses the process timers and pending asks; replies to them are ignored', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a' && ctx.incarnation === 1) {
            out.armTimer('t', 100);
            out.ask('b', { type: 'ping' }, 1000);
          }
        },
      },
      { faults: { crash: 1 } },
    );
    d.take('deliver #1');
    d.take('crash a');
    expect(d.simulation.state.timers).toEqual([]);
    expect(d.simulation.state.asks).toEqual([]);
    d.take('restart a');
    expect(d.take('deliver #2').outcome.kind).toBe('discarded');
    expect(d.steps().filter((s) => s.startsWith('crash'))).toEqual([]);
  });

  it('a process that terminates itself goes down without spending the crash budget', () => {
    const d = new ProbeDriver({
      onStart: (ctx, out) => {
        if (ctx.endpoint === 'a' && ctx.incarnation === 1) out.armTimer('fatal', 10);
      },
      onTimer: (_ctx, name, out) => {
        if (name !== 'fatal') return;
        out.tell('b', { type: 'before' });
        out.terminate('registration timeout');
        out.tell('b', { type: 'after' });
      },
    });
    const record = d.take('fireTimer a/fatal');
    expect(record.effects.map((e) => e.kind)).toEqual(['sent', 'terminated']);
    expect(d.simulation.state.endpoints['a']).toEqual({ up: false, incarnation: 1 });
    expect(d.simulation.state.faultCounts.crash).toBe(0);
    expect(d.steps()).toEqual(['deliver #1', 'restart a']);
  });

  it('a managed process starts down, only a component starts or stops it, and it is never restarted by the environment', () => {
    const d = new ProbeDriver({
      endpoints: ['provider', 'w'],
      managed: ['w'],
      onStart: (ctx, out) => {
        if (ctx.endpoint === 'provider') out.armTimer('start', 10);
      },
      onTimer: (_ctx, name, out) => {
        if (name === 'start') {
          out.startProcess('w');
          out.armTimer('stop', 10);
        } else if (name === 'stop') out.stopProcess('w');
      },
    });
    expect(d.simulation.state.endpoints['w']).toEqual({ up: false, incarnation: 0 });
    expect(d.steps()).toEqual(['fireTimer provider/start']);
    const started = d.take('fireTimer provider/start');
    expect(started.effects.map((e) => e.kind)).toEqual(['processStarted', 'timerArmed']);
    expect(d.log).toContain('w started (incarnation 1)');
    d.take('fireTimer provider/stop');
    expect(d.simulation.state.endpoints['w']).toEqual({ up: false, incarnation: 1 });
    expect(d.steps()).toEqual([]);
  });
});

describe('minimum latency', () => {
  // Two endpoints that answer every message at once: without a minimum latency they could talk
  // forever at one instant; with one, each hop takes time and the timer gets its turn.
  const pingPong: ProbeHooks = {
    onStart: (ctx, out) => {
      if (ctx.endpoint !== 'a') return;
      out.tell('b', { type: 'ping' });
      out.armTimer('t', 10);
    },
    onMessage: (_ctx, delivery, out) => out.tell(delivery.from, { type: 'ping' }),
  };

  it('without one, the timer waits while messages keep arriving at the same instant', () => {
    const d = new ProbeDriver(pingPong);
    for (let i = 0; i < 50; i++) d.take(d.steps()[0] ?? '');
    expect(d.now).toBe(0);
    expect(d.steps()).toEqual([expect.stringMatching(/^deliver #/)]);
  });

  it('with one, every delivery moves the clock and a timer due before the next arrival fires first', () => {
    const d = new ProbeDriver(pingPong, { network: { minLatencyMs: 1 } });
    const fired: number[] = [];
    for (let i = 0; i < 30 && fired.length === 0; i++) {
      const [next] = d.steps();
      const record = d.take(next ?? '');
      if (record.outcome.kind === 'timerFired') fired.push(d.now);
    }
    expect(fired).toEqual([10]);
    expect(d.log.filter((l) => l.includes(' got ')).length).toBe(10);
  });
});
