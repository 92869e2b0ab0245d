import { describe, expect, it } from 'vitest';
import { ProbeDriver } from './testing/drive.js';

describe('timers', () => {
  it('fire in deadline order and move the clock to each deadline', () => {
    const d = new ProbeDriver({
      endpoints: ['a'],
      onStart: (_ctx, out) => {
        out.armTimer('late', 300);
        out.armTimer('early', 100, { note: 'x' });
      },
    });
    expect(d.steps()).toEqual(['fireTimer a/early']);
    d.take('fireTimer a/early');
    expect(d.now).toBe(100);
    expect(d.steps()).toEqual(['fireTimer a/late']);
    d.take('fireTimer a/late');
    expect(d.now).toBe(300);
    expect(d.log.slice(1)).toEqual([
      'a timer early fired at 100 (data {"note":"x"})',
      'a timer late fired at 300 (data null)',
    ]);
    expect(d.steps()).toEqual([]);
  });

  it('arming a timer again replaces it (one timer per name)', () => {
    const d = new ProbeDriver({
      endpoints: ['a'],
      onStart: (_ctx, out) => {
        out.armTimer('t', 100);
        out.armTimer('t', 500);
      },
    });
    expect(d.simulation.state.timers).toHaveLength(1);
    d.take('fireTimer a/t');
    expect(d.now).toBe(500);
    expect(d.steps()).toEqual([]);
  });

  it('a cancelled timer never fires', () => {
    const d = new ProbeDriver({
      endpoints: ['a'],
      onStart: (_ctx, out) => {
        out.armTimer('keep', 200);
        out.armTimer('cancel', 100);
        out.cancelTimer('cancel');
        out.cancelTimer('never-armed');
      },
    });
    expect(d.steps()).toEqual(['fireTimer a/keep']);
  });

  it('timers due at the same instant may fire in either order', () => {
    const d = new ProbeDriver({
      onStart: (ctx, out) => out.armTimer(`t-${ctx.endpoint}`, 100),
    });
    expect(d.steps()).toEqual(['fireTimer a/t-a', 'fireTimer b/t-b']);
    d.take('fireTimer b/t-b');
    expect(d.steps()).toEqual(['fireTimer a/t-a']);
  });

  it('a timer cannot fire before a deliverable message whose deadline comes first', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') {
            out.tell('b', { type: 'hello' });
            out.armTimer('soon', 3);
            out.armTimer('later', 10);
          }
        },
      },
      { network: { latencyMs: 5 } },
    );
    // The message must arrive by t=5: the timer at 3 may fire first, the one at 10 may not.
    expect(d.steps()).toEqual(['deliver #1', 'fireTimer a/soon']);
    d.take('fireTimer a/soon');
    expect(d.steps()).toEqual(['deliver #1']);
    d.take('deliver #1');
    expect(d.steps()).toEqual(['fireTimer a/later']);
  });

  it('components may not use the prefix of the ask-timeout timers', () => {
    expect(() => new ProbeDriver({ onStart: (_ctx, out) => out.armTimer('ask#1', 5) })).toThrow(
      /reserved prefix/,
    );
  });
});

describe('asks', () => {
  it('a reply cancels the ask timeout and reaches the caller with its context', () => {
    const d = new ProbeDriver({
      onStart: (ctx, out) => {
        if (ctx.endpoint === 'a') out.ask('b', { type: 'ping', n: 1 }, 1000, { attempt: 1 });
      },
    });
    d.take('deliver #1');
    d.take('deliver #2');
    expect(d.log).toContain('a got reply ping.replied#1 to ping#1 (context {"attempt":1})');
    expect(d.simulation.state.timers).toEqual([]);
    expect(d.simulation.state.asks).toEqual([]);
  });

  it('an ask times out at the caller; the late reply is then ignored', () => {
    const d = new ProbeDriver(
      {
        onStart: (ctx, out) => {
          if (ctx.endpoint === 'a') out.ask('b', { type: 'ping' }, 1000);
        },
      },
      { faults: { delay: 1 } },
    );
    d.take('delay #1');
    d.take('fireTimer a/ask#1');
    expect(d.now).toBe(1000);
    expect(d.log).toContain('a ask ping failed: timeout');
    // The request still arrives and takes effect at b: the timeout was indefinite.
    d.take('deliver #1');
    expect(d.log).toContain('b got ask ping from a');
    const late = d.take('deliver #2');
    expect(late.outcome.kind).toBe('lateReply');
    expect(d.log.filter((l) => l.startsWith('a got reply'))).toEqual([]);
  });

  it('a receiver may answer an ask later, from another handler', () => {
    let pending: { askId: number; caller: string } | null = null;
    const d = new ProbeDriver({
      onStart: (ctx, out) => {
        if (ctx.endpoint === 'a') out.ask('b', { type: 'slow' }, 5000);
      },
      onMessage: (ctx, delivery, out) => {
        if (ctx.endpoint === 'b' && delivery.ask !== null) {
          pending = delivery.ask;
          out.armTimer('answer', 100);
        }
      },
      onTimer: (_ctx, name, out) => {
        if (name === 'answer' && pending !== null) out.reply(pending, { type: 'slow.replied' });
      },
    });
    d.take('deliver #1');
    d.take('fireTimer b/answer');
    d.take('deliver #2');
    expect(d.log).toContain('a got reply slow.replied to slow (context null)');
  });
});
