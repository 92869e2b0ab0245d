/**
 * Heartbeats between two endpoints (Flink's `heartbeat/HeartbeatManagerImpl.java`, its sender
 * variant `HeartbeatManagerSenderImpl.java`, and `DefaultHeartbeatMonitor`), as plain data plus
 * functions. flink-protocol.md §2.6.
 *
 * - `monitorTarget` starts one monitor per target, unless the target is already monitored; the
 *   monitor's timeout is reset each time a heartbeat from the target is reported.
 * - A monitor ends in TIMEOUT (its timer fired), UNREACHABLE (`rpcFailureThreshold` consecutive
 *   heartbeat RPCs failed with RecipientUnreachableException; any successful one resets the count;
 *   other failures, such as ask timeouts, do not count) or CANCELED (`unmonitorTarget`). Each is
 *   terminal: the monitor is removed, and a new `monitorTarget` is needed.
 * - The sender side asks every monitored target for a heartbeat every `intervalMs`; the receiver
 *   answers only a monitored origin.
 */
import type { ResourceID } from '../../protocol/ids.js';
import type { EndpointId } from '../sim/world.js';

export interface HeartbeatConfig {
  /** `heartbeat.interval` */
  readonly intervalMs: number;
  /** `heartbeat.timeout` */
  readonly timeoutMs: number;
  /** `heartbeat.rpc-failure-threshold`; -1 disables unreachable detection. */
  readonly rpcFailureThreshold: number;
}

export const DEFAULT_HEARTBEAT_CONFIG: HeartbeatConfig = {
  intervalMs: 10_000,
  timeoutMs: 50_000,
  rpcFailureThreshold: 2,
};

export interface HeartbeatTarget {
  readonly resourceId: ResourceID;
  readonly endpoint: EndpointId;
  consecutiveFailedRpcs: number;
}

export interface HeartbeatManager {
  /** Prefix of this manager's timers, unique within its endpoint (`resourceManagerHeartbeat`). */
  readonly name: string;
  /** Monitored targets, in the order they were added. */
  targets: HeartbeatTarget[];
}

/** Where a heartbeat manager arms and cancels its timers (its owner's `Out`). */
export interface HeartbeatTimers {
  armTimer(name: string, delayMs: number): void;
  cancelTimer(name: string): void;
}

export function createHeartbeatManager(name: string): HeartbeatManager {
  return { name, targets: [] };
}

function timeoutTimer(manager: HeartbeatManager, resourceId: ResourceID): string {
  return `${manager.name}/timeout/${resourceId}`;
}

export function intervalTimer(manager: HeartbeatManager): string {
  return `${manager.name}/interval`;
}

/** The target whose timeout timer this is, if the timer belongs to this manager. */
export function targetOfTimeoutTimer(
  manager: HeartbeatManager,
  timerName: string,
): ResourceID | undefined {
  const prefix = `${manager.name}/timeout/`;
  return timerName.startsWith(prefix) ? (timerName.slice(prefix.length) as ResourceID) : undefined;
}

export function findTarget(
  manager: HeartbeatManager,
  resourceId: ResourceID,
): HeartbeatTarget | undefined {
  return manager.targets.find((t) => t.resourceId === resourceId);
}

/** `monitorTarget`: ignored when the target is already monitored. */
export function monitorTarget(
  manager: HeartbeatManager,
  resourceId: ResourceID,
  endpoint: EndpointId,
  config: HeartbeatConfig,
  timers: HeartbeatTimers,
): void {
  if (findTarget(manager, resourceId) !== undefined) return;
  manager.targets.push({ resourceId, endpoint, consecutiveFailedRpcs: 0 });
  timers.armTimer(timeoutTimer(manager, resourceId), config.timeoutMs);
}

/** `unmonitorTarget`: the monitor is CANCELED. */
export function unmonitorTarget(
  manager: HeartbeatManager,
  resourceId: ResourceID,
  timers: HeartbeatTimers,
): void {
  if (findTarget(manager, resourceId) === undefined) return;
  manager.targets = manager.targets.filter((t) => t.resourceId !== resourceId);
  timers.cancelTimer(timeoutTimer(manager, resourceId));
}

/**
 * `reportHeartbeat`: a heartbeat from the target arrived (a request on the receiver side, an
 * answer on the sender side). Returns false, changing nothing, for an unmonitored origin, whose
 * heartbeat Flink ignores.
 */
export function reportHeartbeat(
  manager: HeartbeatManager,
  resourceId: ResourceID,
  config: HeartbeatConfig,
  timers: HeartbeatTimers,
): boolean {
  if (findTarget(manager, resourceId) === undefined) return false;
  timers.armTimer(timeoutTimer(manager, resourceId), config.timeoutMs);
  return true;
}

/** How one heartbeat RPC ended, as unreachable detection counts it. */
export type HeartbeatRpcOutcome = 'delivered' | 'unreachable' | 'otherFailure';

/**
 * Reads the answer to a heartbeat ask: a normal reply is delivered; `unreachable` (the receiver
 * was down) or a `RecipientUnreachableException` counts towards unreachability; anything else
 * (a timeout, another exception) does not.
 */
export function heartbeatRpcOutcome(
  answer: { readonly type: string } | 'timeout' | 'unreachable',
): HeartbeatRpcOutcome {
  if (answer === 'unreachable') return 'unreachable';
  if (answer === 'timeout') return 'otherFailure';
  if (!answer.type.endsWith('.failed')) return 'delivered';
  return 'exception' in answer && answer.exception === 'RecipientUnreachableException'
    ? 'unreachable'
    : 'otherFailure';
}

/**
 * The outcome of one heartbeat RPC to the target. Returns `unreachable` when this failure makes
 * the target UNREACHABLE (the monitor is then removed, and the owner reacts as to a timeout).
 */
export function onHeartbeatRpcOutcome(
  manager: HeartbeatManager,
  resourceId: ResourceID,
  outcome: HeartbeatRpcOutcome,
  config: HeartbeatConfig,
  timers: HeartbeatTimers,
): 'unreachable' | null {
  const target = findTarget(manager, resourceId);
  if (target === undefined || outcome === 'otherFailure') return null;
  if (outcome === 'delivered') {
    target.consecutiveFailedRpcs = 0;
    return null;
  }
  target.consecutiveFailedRpcs += 1;
  if (config.rpcFailureThreshold <= 0 || target.consecutiveFailedRpcs < config.rpcFailureThreshold)
    return null;
  unmonitorTarget(manager, resourceId, timers);
  return 'unreachable';
}

/** The target's timeout fired: the monitor ends in TIMEOUT. False if it was not monitored. */
export function onHeartbeatTimeout(manager: HeartbeatManager, resourceId: ResourceID): boolean {
  if (findTarget(manager, resourceId) === undefined) return false;
  manager.targets = manager.targets.filter((t) => t.resourceId !== resourceId);
  return true;
}

/** Sender side: start the periodic heartbeat requests. */
export function startSending(
  manager: HeartbeatManager,
  config: HeartbeatConfig,
  timers: HeartbeatTimers,
): void {
  timers.armTimer(intervalTimer(manager), config.intervalMs);
}

/** Sender side: the interval elapsed; returns the targets to ask for a heartbeat now. */
export function onIntervalTimer(
  manager: HeartbeatManager,
  config: HeartbeatConfig,
  timers: HeartbeatTimers,
): readonly HeartbeatTarget[] {
  timers.armTimer(intervalTimer(manager), config.intervalMs);
  return [...manager.targets];
}

/** `stop`: every monitor is cancelled and no more requests are sent. */
export function stopHeartbeats(manager: HeartbeatManager, timers: HeartbeatTimers): void {
  for (const target of [...manager.targets]) unmonitorTarget(manager, target.resourceId, timers);
  timers.cancelTimer(intervalTimer(manager));
}
