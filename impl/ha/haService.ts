/**
 * The high-availability services of a simulated cluster (ZooKeeper or Kubernetes behind Flink's
 * `LeaderElectionService` and `LeaderRetrievalService`), standing alone at `ha`: it elects a leader
 * for the ResourceManager and for each job's JobMaster among their contenders, tells the elected
 * contender (`grantLeadership`) and then every listener (`notifyLeaderAddress`), and on a change
 * revokes the old leader and announces that there is none until the next election.
 *
 * HA checks its services every `HA_TICK_MS` (a timer at `ha`): a service without a leader whose
 * contender runs gets one elected; a leader whose process is gone loses its leadership (its
 * ZooKeeper session expired); a job that ended is removed (the Dispatcher's cleanup). Taking
 * leadership from a live leader (a leader change: the RM's, or a JobMaster failover) is the
 * environment's choice, a client step at `ha` within a budget. Every election gets a fresh session
 * id, the fencing token of the new leader.
 *
 * Simplification (docs/simplifications.md): one contender per service (the process at a fixed
 * endpoint); a new leadership is a new session of that process, as after a JobMaster failover
 * or a ResourceManager restart in place.
 */
import type { JobID } from '../../protocol/ids.js';
import type { ClusterMessage } from '../cluster/clusterMessage.js';
import type { Out } from '../sim/effects.js';
import type { Delivery } from '../sim/system.js';
import type { EndpointId } from '../sim/world.js';

/** A service whose leader HA elects: the ResourceManager (`rm`) or a job (its JobID). */
export type Service = string;

export const RESOURCE_MANAGER_SERVICE: Service = 'rm';

export interface Leader {
  readonly leaderAddress: EndpointId;
  readonly leaderSessionId: string;
}

/** An elected leader, with the process start it was elected in (its ZooKeeper session). */
interface Election extends Leader {
  readonly incarnation: number;
}

export interface HaState {
  /** The elected leader per service; absent or null: none. */
  leaders: Record<Service, Election | null>;
  /** Who retrieves each service's leader, in the order they asked. */
  listeners: Record<Service, EndpointId[]>;
  /** Elections so far per service (numbers the session ids). */
  elections: Record<Service, number>;
  /** Leader changes of live leaders taken so far (against the budget). */
  leaderChanges: number;
  /** The jobs the Dispatcher has been given (only they get a leader). */
  submitted: Service[];
}

export type HaAction =
  | { readonly kind: 'electLeader'; readonly service: Service }
  | { readonly kind: 'changeLeader'; readonly service: Service }
  | { readonly kind: 'expireLeader'; readonly service: Service }
  | { readonly kind: 'removeJob'; readonly service: Service }
  /** A client submits a job to the Dispatcher: from now on HA elects its JobMaster. */
  | { readonly kind: 'submitJob'; readonly service: Service };

/** How often HA checks its services (and how long a dead leader's session outlives it, at most). */
export const HA_TICK_MS = 2_000;
export const HA_TICK_TIMER = 'ha/tick';

/** HA before anything happened; `submitted`: the jobs submitted with the cluster's start. */
export function createHaState(submitted: readonly Service[] = []): HaState {
  return {
    leaders: {},
    listeners: {},
    elections: {},
    leaderChanges: 0,
    submitted: [RESOURCE_MANAGER_SERVICE, ...submitted],
  };
}

/** The service of a retrieval request (`jobId` null: the ResourceManager). */
export function serviceOf(jobId: string | null): Service {
  return jobId === null ? RESOURCE_MANAGER_SERVICE : jobId;
}

function jobIdOf(service: Service): string | null {
  return service === RESOURCE_MANAGER_SERVICE ? null : service;
}

/** `startLeaderRetrieval` / `stopLeaderRetrieval`: a listener comes or goes. */
export function onHaMessage(
  state: HaState,
  delivery: Delivery<ClusterMessage>,
  out: Out<ClusterMessage>,
): void {
  const { msg, from } = delivery;
  if (msg.type === 'startLeaderRetrieval') {
    const service = serviceOf(msg.jobId);
    const listeners = (state.listeners[service] ??= []);
    if (!listeners.includes(from)) listeners.push(from);
    const leader = state.leaders[service] ?? null;
    // The election's incarnation is HA's own bookkeeping, not part of the notification.
    if (leader !== null)
      out.tell(from, {
        type: 'notifyLeaderAddress',
        jobId: msg.jobId,
        leaderAddress: leader.leaderAddress,
        leaderSessionId: leader.leaderSessionId,
      });
    return;
  }
  if (msg.type === 'stopLeaderRetrieval') {
    const listeners = state.listeners[serviceOf(msg.jobId)] ?? [];
    const i = listeners.indexOf(from);
    if (i >= 0) listeners.splice(i, 1);
    return;
  }
  throw new Error(`HA: no handler for message ${msg.type}`);
}

/** A listener's process died: its retrieval ends with it. */
export function onListenerCrashed(state: HaState, endpoint: EndpointId): void {
  for (const listeners of Object.values(state.listeners)) {
    const i = listeners.indexOf(endpoint);
    if (i >= 0) listeners.splice(i, 1);
  }
}

/** What the world looks like to HA when it decides which elections may happen. */
export interface Contenders {
  /** The services and where their single contender runs, in a stable order. */
  readonly services: readonly { readonly service: Service; readonly contender: EndpointId }[];
  isUp(endpoint: EndpointId): boolean;
  /** How many times the process at the endpoint started (a restart is a new ZooKeeper session). */
  incarnation(endpoint: EndpointId): number;
  /** A job that reached a globally terminal state: it is never led again. */
  isFinished(service: Service): boolean;
  /** How many leader changes of live leaders the run may still have. */
  readonly leaderChangeBudget: number;
}

/** What HA's periodic check does now: elections, expiries of dead leaders, removals of ended jobs. */
export function dueHaActions(state: HaState, contenders: Contenders): HaAction[] {
  const actions: HaAction[] = [];
  for (const { service, contender } of contenders.services) {
    const leader = state.leaders[service] ?? null;
    const finished = contenders.isFinished(service);
    if (leader === null) {
      if (!finished && state.submitted.includes(service) && contenders.isUp(contender))
        actions.push({ kind: 'electLeader', service });
    } else if (finished) {
      actions.push({ kind: 'removeJob', service });
    } else if (
      !contenders.isUp(leader.leaderAddress) ||
      contenders.incarnation(leader.leaderAddress) !== leader.incarnation
    ) {
      // The leader's process died (and maybe started again): its session expired.
      actions.push({ kind: 'expireLeader', service });
    }
  }
  return actions;
}

/** The leader changes the environment may cause now (client steps at `ha`), within the budget. */
export function leaderChanges(state: HaState, contenders: Contenders): HaAction[] {
  if (state.leaderChanges >= contenders.leaderChangeBudget) return [];
  return contenders.services.flatMap(({ service }) => {
    const leader = state.leaders[service] ?? null;
    return leader !== null &&
      contenders.isUp(leader.leaderAddress) &&
      !contenders.isFinished(service)
      ? [{ kind: 'changeLeader' as const, service }]
      : [];
  });
}

/** HA's periodic check: carry out what is due, then check again after `HA_TICK_MS`. */
export function onHaTick(
  state: HaState,
  contenders: Contenders,
  contenderOf: (service: Service) => EndpointId,
  out: Out<ClusterMessage>,
): void {
  for (const action of dueHaActions(state, contenders))
    onHaAction(state, action, contenderOf, out, contenders);
  out.armTimer(HA_TICK_TIMER, HA_TICK_MS);
}

/** Carries out an HA step. */
export function onHaAction(
  state: HaState,
  action: HaAction,
  contenderOf: (service: Service) => EndpointId,
  out: Out<ClusterMessage>,
  contenders: Pick<Contenders, 'incarnation'>,
): void {
  const { service } = action;
  switch (action.kind) {
    case 'electLeader': {
      const n = (state.elections[service] = (state.elections[service] ?? 0) + 1);
      const address = contenderOf(service);
      const leader: Election = {
        leaderAddress: address,
        leaderSessionId: `${service}-leader-${n}`,
        incarnation: contenders.incarnation(address),
      };
      state.leaders[service] = leader;
      // The contender confirms its leadership before the address is published.
      out.tell(leader.leaderAddress, {
        type: 'grantLeadership',
        leaderSessionId: leader.leaderSessionId,
      });
      announce(state, service, leader, out);
      return;
    }
    case 'changeLeader':
    case 'expireLeader': {
      const leader = state.leaders[service] ?? null;
      if (leader === null) return;
      if (action.kind === 'changeLeader') state.leaderChanges += 1;
      out.tell(leader.leaderAddress, { type: 'revokeLeadership' });
      state.leaders[service] = null;
      announce(state, service, null, out);
      return;
    }
    case 'removeJob':
      state.leaders[service] = null;
      announce(state, service, null, out);
      return;
    case 'submitJob':
      // JobManagerRunner's leader election starts; the next check elects its JobMaster.
      if (!state.submitted.includes(service)) state.submitted.push(service);
      return;
  }
}

function announce(
  state: HaState,
  service: Service,
  leader: Leader | null,
  out: Out<ClusterMessage>,
): void {
  for (const listener of state.listeners[service] ?? [])
    out.tell(listener, {
      type: 'notifyLeaderAddress',
      jobId: jobIdOf(service) as JobID | null,
      leaderAddress: leader?.leaderAddress ?? null,
      leaderSessionId: leader?.leaderSessionId ?? null,
    });
}
