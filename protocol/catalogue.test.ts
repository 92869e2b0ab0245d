import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALL_SPECS,
  GATEWAYS,
  decodeMessage,
  decodeReply,
  specFor,
  type ReplyFrom,
  type TaskExecutorMessage,
} from './catalogue.js';
import { renderCatalogueMarkdown } from './describe.js';
import type { AllocationID, JobID } from './ids.js';

// flink-protocol.md §1.3, receiver by receiver; `tell` where Flink's gateway method is void.
const EXPECTED = {
  TaskExecutor: {
    requestSlot: 'ask',
    freeSlot: 'ask',
    freeInactiveSlots: 'tell',
    heartbeatFromResourceManager: 'ask',
    heartbeatFromJobManager: 'ask',
    disconnectJobManager: 'tell',
    disconnectResourceManager: 'tell',
    submitTask: 'ask',
    canBeReleased: 'ask',
  },
  ResourceManager: {
    registerTaskExecutor: 'ask',
    sendSlotReport: 'ask',
    notifySlotAvailable: 'tell',
    registerJobMaster: 'ask',
    declareRequiredResources: 'ask',
    heartbeatFromTaskManager: 'ask',
    heartbeatFromJobManager: 'ask',
    disconnectTaskManager: 'tell',
    disconnectJobManager: 'tell',
  },
  JobMaster: {
    registerTaskManager: 'ask',
    offerSlots: 'ask',
    failSlot: 'tell',
    heartbeatFromTaskManager: 'ask',
    heartbeatFromResourceManager: 'ask',
    disconnectTaskManager: 'ask',
    disconnectResourceManager: 'tell',
    notifyNotEnoughResourcesAvailable: 'tell',
    notifyAllocationFailure: 'tell',
  },
  // Not in §1.3: the active deployment's driver (§2.2.5), modelled as messages to the provider.
  ResourceProvider: { initialize: 'ask', requestResource: 'ask', releaseResource: 'tell' },
} as const;

describe('protocol catalogue', () => {
  it('declares exactly the messages of flink-protocol.md §1.3, each as ask or tell as in Flink', () => {
    for (const [receiver, specs] of Object.entries(GATEWAYS)) {
      const declared = Object.fromEntries(specs.map((s) => [s.name, s.kind]));
      expect(declared).toEqual(EXPECTED[receiver as keyof typeof EXPECTED]);
      for (const spec of specs) expect(spec.to).toBe(receiver);
    }
  });

  it('says what a timeout means: tells have none, canBeReleased is definite, other asks are not', () => {
    for (const spec of ALL_SPECS) {
      const expected =
        spec.kind === 'tell' ? 'none' : spec.name === 'canBeReleased' ? 'definite' : 'indefinite';
      expect([spec.to, spec.name, spec.timeout]).toEqual([spec.to, spec.name, expected]);
    }
  });

  it('derives the ids each message carries from its schema', () => {
    expect(specFor('TaskExecutor', 'requestSlot')?.ids).toEqual([
      'SlotID',
      'JobID',
      'AllocationID',
      'ResourceManagerId',
    ]);
    // Messages to fenced gateways carry the fencing token first.
    expect(specFor('ResourceManager', 'notifySlotAvailable')?.ids).toEqual([
      'ResourceManagerId',
      'InstanceID',
      'SlotID',
      'AllocationID',
    ]);
    expect(specFor('ResourceManager', 'sendSlotReport')?.ids).toEqual([
      'ResourceManagerId',
      'ResourceID',
      'InstanceID',
      'SlotID',
      'JobID',
      'AllocationID',
    ]);
    expect(specFor('JobMaster', 'registerTaskManager')?.ids).toEqual([
      'JobMasterId',
      'JobID',
      'ResourceID',
      'TaskManagerSessionId',
    ]);
    expect(specFor('ResourceManager', 'declareRequiredResources')?.ids).toEqual([
      'ResourceManagerId',
      'JobMasterId',
      'JobID',
    ]);
    expect(specFor('TaskExecutor', 'disconnectResourceManager')?.ids).toEqual([]);
  });

  it('every spec has a doc line and cites the Flink method it models', () => {
    for (const spec of ALL_SPECS) {
      expect(spec.doc.length).toBeGreaterThan(10);
      // The driver is an interface of the ResourceManager, not an RPC gateway of its receiver.
      const owner = spec.to === 'ResourceProvider' ? 'ResourceManagerDriver' : spec.to;
      expect(spec.flink).toBe(`${owner}#${spec.name}`);
      expect(spec.gateway).toBe(spec.to === 'ResourceProvider' ? owner : `${spec.to}Gateway`);
    }
  });

  it('fenced gateways carry the fencing token and add FencingTokenException; the TaskExecutor gateway and the driver do not', () => {
    for (const spec of ALL_SPECS) {
      const fenced = spec.to === 'ResourceManager' || spec.to === 'JobMaster';
      expect('fencingToken' in spec.payload).toBe(fenced);
      if (spec.kind !== 'ask') continue;
      expect(spec.allExceptions).toContain('RecipientUnreachableException');
      expect(spec.allExceptions.includes('FencingTokenException')).toBe(fenced);
    }
  });
});

describe('decoding', () => {
  const requestSlot = {
    type: 'requestSlot',
    slotId: { resourceId: 'te-1', slotNumber: 0 },
    jobId: 'job-1',
    allocationId: 'alloc-1',
    resourceProfile: 'UNKNOWN',
    targetAddress: 'jm-job-1',
    resourceManagerId: 'rm-leader-1',
  };

  it('accepts a well-formed message', () => {
    expect(decodeMessage('TaskExecutor', requestSlot)).toEqual({ ok: true, value: requestSlot });
  });

  it('names the receiver, the message and the field that is wrong', () => {
    expect(decodeMessage('TaskExecutor', { ...requestSlot, allocationId: '' })).toEqual({
      ok: false,
      error:
        'TaskExecutor.requestSlot: allocationId: Too small: expected string to have >=1 characters',
    });
    const missing = decodeMessage('TaskExecutor', { type: 'freeSlot', cause: 'x' });
    expect(missing.ok ? '' : missing.error).toMatch(/^TaskExecutor\.freeSlot: allocationId: /);
    const extra = decodeMessage('TaskExecutor', { ...requestSlot, extra: 1 });
    expect(extra.ok ? '' : extra.error).toMatch(/Unrecognized key: "extra"/);
  });

  it('refuses a message the receiver does not take, or data without a type', () => {
    expect(decodeMessage('ResourceManager', requestSlot)).toEqual({
      ok: false,
      error: 'ResourceManager takes no message "requestSlot"',
    });
    expect(decodeMessage('JobMaster', 42)).toEqual({
      ok: false,
      error: 'message has no string field "type"',
    });
  });

  it('decodes replies against the ask they answer', () => {
    expect(
      decodeReply('TaskExecutor', 'requestSlot', {
        type: 'requestSlot.occupied',
        allocationId: 'a',
        jobId: 'j',
      }).ok,
    ).toBe(true);
    expect(
      decodeReply('TaskExecutor', 'requestSlot', {
        type: 'requestSlot.failed',
        exception: 'SlotAllocationException',
        reason: 'x',
      }).ok,
    ).toBe(true);
    const wrongException = decodeReply('TaskExecutor', 'requestSlot', {
      type: 'requestSlot.failed',
      exception: 'FencingTokenException',
      reason: 'x',
    });
    expect(wrongException.ok).toBe(false);
    expect(decodeReply('TaskExecutor', 'requestSlot', { type: 'freeSlot.acked' })).toEqual({
      ok: false,
      error:
        'reply to TaskExecutor.requestSlot must be one of requestSlot.acked, requestSlot.occupied, requestSlot.failed',
    });
    expect(decodeReply('TaskExecutor', 'freeInactiveSlots', {}).ok).toBe(false);
  });

  it('gives typed messages and replies with branded ids', () => {
    type RequestSlot = Extract<TaskExecutorMessage, { type: 'requestSlot' }>;
    expectTypeOf<RequestSlot['allocationId']>().toEqualTypeOf<AllocationID>();
    expectTypeOf<RequestSlot['jobId']>().toEqualTypeOf<JobID>();
    const jobId = 'job-1' as JobID;
    // @ts-expect-error a JobID is not an AllocationID
    const wrong: AllocationID = jobId;
    expect(wrong).toBe('job-1');
    type Occupied = Extract<ReplyFrom<'TaskExecutor'>, { type: 'requestSlot.occupied' }>;
    expectTypeOf<Occupied['allocationId']>().toEqualTypeOf<AllocationID>();
  });
});

describe('docs/protocol.md', () => {
  it('is what `npm run docs` generates from the catalogue (run it after changing protocol/)', () => {
    const committed = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderCatalogueMarkdown());
  });
});
