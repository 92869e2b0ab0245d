// Ports of Flink's DefaultDeclareResourceRequirementServiceConnectionManagerTest (§6.6).
import { describe, expect, it } from 'vitest';
import type { JobID } from '../../protocol/ids.js';
import type { ResourceRequirements } from '../../protocol/values.js';
import * as conn from './declareResourceRequirementsConnection.js';

const req = (n: number): ResourceRequirements => ({
  jobId: 'job-1' as JobID,
  targetAddress: 'jm-job-1',
  resourceRequirements: [{ resourceProfile: 'UNKNOWN', numberOfRequiredSlots: n }],
});

function setUp() {
  const c = conn.createDeclareConnection();
  const log: string[] = [];
  const actions: conn.DeclareActions = {
    send: (r, epoch) =>
      log.push(`send ${r.resourceRequirements[0]?.numberOfRequiredSlots} #${epoch}`),
    armRetry: (epoch, ms) => log.push(`retry #${epoch} in ${ms}`),
  };
  return { c, log, actions };
}

describe('DefaultDeclareResourceRequirementServiceConnectionManagerTest', () => {
  it('testIgnoreDeclareResourceRequirementsIfNotConnected', () => {
    const t = setUp();
    conn.declareResourceRequirements(t.c, req(1), t.actions);
    expect(t.log).toEqual([]);
    conn.connect(t.c);
    conn.declareResourceRequirements(t.c, req(2), t.actions);
    expect(t.log).toEqual(['send 2 #1']);
  });

  it('testRetryDeclareResourceRequirementsIfTransmissionFailed: retried with a doubling backoff up to 10 s', () => {
    const t = setUp();
    conn.connect(t.c);
    conn.declareResourceRequirements(t.c, req(1), t.actions);
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) {
      conn.onDeclareAnswer(t.c, 1, false, {
        ...t.actions,
        armRetry: (_epoch, ms) => delays.push(ms),
      });
      conn.onRetry(t.c, 1, t.actions);
    }
    expect(delays.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(delays.at(-1)).toBe(10_000);
    conn.onDeclareAnswer(t.c, 1, true, t.actions);
    expect(t.log.at(-1)).toBe('send 1 #1');
  });

  it('testDisconnectStopsSendingResourceRequirements', () => {
    const t = setUp();
    conn.connect(t.c);
    conn.declareResourceRequirements(t.c, req(1), t.actions);
    conn.disconnect(t.c);
    conn.onDeclareAnswer(t.c, 1, false, t.actions);
    conn.onRetry(t.c, 1, t.actions);
    expect(t.log).toEqual(['send 1 #1']);
  });

  it('testNewResourceRequirementsOverrideOldRequirements: the older send is cancelled', () => {
    const t = setUp();
    conn.connect(t.c);
    conn.declareResourceRequirements(t.c, req(1), t.actions);
    conn.declareResourceRequirements(t.c, req(2), t.actions);
    conn.onDeclareAnswer(t.c, 1, false, t.actions); // the old one failed: not retried
    conn.onDeclareAnswer(t.c, 2, false, t.actions);
    conn.onRetry(t.c, 2, t.actions);
    expect(t.log).toEqual(['send 1 #1', 'send 2 #2', 'retry #2 in 1', 'send 2 #2']);
  });

  it('testCloseStopsSendingResourceRequirements', () => {
    const t = setUp();
    conn.connect(t.c);
    conn.declareResourceRequirements(t.c, req(1), t.actions);
    conn.close(t.c);
    conn.onDeclareAnswer(t.c, 1, false, t.actions);
    expect(t.log).toEqual(['send 1 #1']);
    expect(() => conn.declareResourceRequirements(t.c, req(2), t.actions)).toThrow(/closed/);
  });
});
