/**
 * The resource provider of an active deployment (the Kubernetes API server with its kubelets, or
 * YARN's ResourceManager and NodeManagers), reduced to what the slot protocol sees: it creates a
 * worker on request under a new ResourceID, starts the worker's TaskExecutor process after a
 * start-up delay (or never, for a worker configured never to start), stops it on release, and lists
 * the workers it still runs for a new ResourceManager leadership.
 *
 * Workers are the simulation's managed endpoints, used once each: like a Kubernetes pod name, a
 * released worker's ResourceID never comes back. An exhausted pool fails the request, as a
 * provider out of quota does.
 */
import type { ResourceID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Out } from '../sim/effects.js';
import type { Delivery } from '../sim/system.js';

export interface ResourceProviderConfig {
  /** The managed endpoints that become workers, in the order requests take them. */
  readonly pool: readonly ResourceID[];
  /** From a worker's creation until its process starts (pod scheduling, image pull, JVM start). */
  readonly workerStartupMs: number;
  /** Workers that are created but whose process never starts (a pod stuck in Pending). */
  readonly neverStart: readonly ResourceID[];
}

export interface ResourceProviderState {
  /** Workers created and not released, in creation order. */
  workers: ResourceID[];
  /** How many pool entries requests have taken. */
  used: number;
}

export const WORKER_STARTUP_PREFIX = 'workerStartup/';

export function startResourceProvider(): ResourceProviderState {
  return { workers: [], used: 0 };
}

export function onResourceProviderMessage(
  state: ResourceProviderState,
  config: ResourceProviderConfig,
  delivery: Delivery<ClusterMessage>,
  out: Out<ClusterMessage>,
): void {
  const { msg, ask } = delivery;
  switch (msg.type) {
    case 'initialize':
      if (ask !== null)
        out.reply(ask, { type: 'initialize.recovered', resourceIds: [...state.workers] });
      return;
    case 'requestResource': {
      const resourceId = config.pool[state.used];
      if (resourceId === undefined) {
        if (ask !== null)
          out.reply(ask, {
            type: 'requestResource.failed',
            exception: 'ResourceAllocationException',
            reason: `No capacity left: all ${config.pool.length} workers of the pool were used.`,
          });
        return;
      }
      state.used++;
      state.workers.push(resourceId);
      if (ask !== null) out.reply(ask, { type: 'requestResource.allocated', resourceId });
      if (!config.neverStart.includes(resourceId))
        out.armTimer(`${WORKER_STARTUP_PREFIX}${resourceId}`, config.workerStartupMs);
      return;
    }
    case 'releaseResource': {
      const i = state.workers.indexOf(msg.resourceId);
      if (i < 0) return;
      state.workers.splice(i, 1);
      out.cancelTimer(`${WORKER_STARTUP_PREFIX}${msg.resourceId}`);
      out.stopProcess(msg.resourceId);
      return;
    }
    default:
      throw new Error(`resource provider: no handler for message ${msg.type}`);
  }
}

/** A worker's start-up delay passed: its TaskExecutor process starts. */
export function onResourceProviderTimer(name: string, out: Out<ClusterMessage>): void {
  if (!name.startsWith(WORKER_STARTUP_PREFIX))
    throw new Error(`resource provider: no handler for timer ${name}`);
  out.startProcess(name.slice(WORKER_STARTUP_PREFIX.length));
}
