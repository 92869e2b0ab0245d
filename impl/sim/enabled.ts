/**
 * The scheduler's view of a state: every step the environment may take next, as plain data, in a
 * canonical order (by kind as in STEP_KINDS, then by message, timer or endpoint). A seed-driven
 * policy and a choice sequence both pick from this list, so the list is the whole of the
 * nondeterminism of a run.
 */
import type { Json } from './canonical.js';
import type { FaultKind, SimConfig } from './config.js';
import { deliverable, isBlocked } from './network.js';
import type { Step } from './step.js';
import type { SimSystem } from './system.js';
import { dueTimers } from './timers.js';
import type { EndpointId, World } from './world.js';

export function hasBudget(
  world: World<unknown, unknown>,
  config: SimConfig,
  kind: FaultKind,
): boolean {
  return world.faultCounts[kind] < config.faults[kind];
}

export function enabledSteps<S, M, A extends Json>(
  world: World<S, M>,
  system: SimSystem<S, M, A>,
  config: SimConfig,
): Step<A>[] {
  const faultFree = system.faultFree ?? [];
  return [
    ...messageSteps(world, config, faultFree),
    ...dueTimers(world).map((t): Step<A> => ({
      kind: 'fireTimer',
      endpoint: t.endpoint,
      name: t.name,
    })),
    ...processSteps(world, system, config),
    ...partitionSteps(world, system, config),
    ...clientSteps(world, system),
  ];
}

function messageSteps(
  world: World<unknown, unknown>,
  config: SimConfig,
  faultFree: readonly EndpointId[],
): Step<never>[] {
  const { inOrder, outOfOrder } = deliverable(world);
  const steps: Step<never>[] = inOrder.map((e) => ({ kind: 'deliver', seq: e.seq }));
  const disturbable = (e: { from: EndpointId; to: EndpointId }) =>
    !faultFree.includes(e.from) && !faultFree.includes(e.to);
  if (hasBudget(world, config, 'reorder')) {
    for (const e of outOfOrder) if (disturbable(e)) steps.push({ kind: 'reorder', seq: e.seq });
  }
  for (const kind of ['drop', 'duplicate', 'delay'] as const) {
    if (!hasBudget(world, config, kind)) continue;
    for (const e of world.messages) if (disturbable(e)) steps.push({ kind, seq: e.seq });
  }
  return steps;
}

function processSteps<S, M, A extends Json>(
  world: World<S, M>,
  system: SimSystem<S, M, A>,
  config: SimConfig,
): Step<A>[] {
  const steps: Step<A>[] = [];
  const canCrash = hasBudget(world, config, 'crash');
  for (const endpoint of system.endpoints) {
    const status = world.endpoints[endpoint];
    if (status === undefined) continue;
    const managed = (system.managed ?? []).includes(endpoint);
    if (!status.up) {
      if (!managed) steps.push({ kind: 'restart', endpoint });
    } else if (canCrash && system.crashable(endpoint)) steps.push({ kind: 'crash', endpoint });
  }
  // Crashes are listed before restarts, as in STEP_KINDS.
  return steps.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'crash' ? -1 : 1));
}

function partitionSteps<S, M, A extends Json>(
  world: World<S, M>,
  system: SimSystem<S, M, A>,
  config: SimConfig,
): Step<A>[] {
  const partitions: Step<A>[] = [];
  const heals: Step<A>[] = [];
  const canPartition = hasBudget(world, config, 'partition');
  const endpoints = system.endpoints.filter((e) => !(system.faultFree ?? []).includes(e));
  for (let i = 0; i < endpoints.length; i++) {
    for (let j = i + 1; j < endpoints.length; j++) {
      const a = endpoints[i] ?? '';
      const b = endpoints[j] ?? '';
      const ab = isBlocked(world, a, b);
      const ba = isBlocked(world, b, a);
      if (ab || ba) heals.push({ kind: 'heal', a, b });
      if (!canPartition) continue;
      if (!ab) partitions.push({ kind: 'partition', from: a, to: b, twoWay: false });
      if (!ba) partitions.push({ kind: 'partition', from: b, to: a, twoWay: false });
      if (!ab && !ba) partitions.push({ kind: 'partition', from: a, to: b, twoWay: true });
    }
  }
  return [...partitions, ...heals];
}

function clientSteps<S, M, A extends Json>(
  world: World<S, M>,
  system: SimSystem<S, M, A>,
): Step<A>[] {
  return system
    .clientActions(world.system)
    .filter(({ endpoint }) => world.endpoints[endpoint]?.up === true)
    .map(({ endpoint, action }) => ({ kind: 'client', endpoint, action }));
}
