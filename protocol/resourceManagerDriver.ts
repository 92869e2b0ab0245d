/**
 * What an active ResourceManager asks of its deployment (Flink's `ResourceManagerDriver`, which
 * `KubernetesResourceManagerDriver` and `YarnResourceManagerDriver` implement): start a worker
 * process, stop one, and, when a leadership starts, list the workers an earlier attempt started.
 * The receiver is the resource provider (the Kubernetes API server or YARN's ResourceManager),
 * modelled as its own endpoint so that its answers are messages that can be delayed or lost.
 * Not fenced: the driver belongs to one `ResourceManager` object, i.e. one leadership.
 */
import { ResourceID } from './ids.js';
import { defineAsk, defineTell } from './messageSpec.js';
import { Cause } from './values.js';
import { z } from 'zod';

const gateway = 'ResourceManagerDriver';

export const initialize = defineAsk({
  name: 'initialize',
  gateway,
  from: ['ResourceManager'],
  to: 'ResourceProvider',
  doc: 'A new leadership starts its driver, which reports the workers of earlier attempts (onPreviousAttemptWorkersRecovered).',
  flink: 'ResourceManagerDriver#initialize',
  payload: {},
  timeout: 'indefinite',
  replies: { recovered: { resourceIds: z.array(ResourceID) } },
  replyDocs: {
    recovered: 'The workers requested earlier and not released (pods listed by label).',
  },
  exceptions: [],
});

export const requestResource = defineAsk({
  name: 'requestResource',
  gateway,
  from: ['ResourceManager'],
  to: 'ResourceProvider',
  doc: 'Start a new worker process (a TaskManager pod or YARN container).',
  flink: 'ResourceManagerDriver#requestResource',
  payload: {},
  timeout: 'indefinite',
  replies: { allocated: { resourceId: ResourceID } },
  replyDocs: {
    allocated: 'The worker exists under this ResourceID; its process starts later, or never.',
  },
  exceptions: ['ResourceAllocationException'],
});

export const releaseResource = defineTell({
  name: 'releaseResource',
  gateway,
  from: ['ResourceManager'],
  to: 'ResourceProvider',
  doc: 'Stop a worker process and give its resources back.',
  flink: 'ResourceManagerDriver#releaseResource',
  payload: { resourceId: ResourceID, cause: Cause },
});

export const resourceManagerDriver = [initialize, requestResource, releaseResource] as const;
