/**
 * How the JobMaster's slot pool sends its requirements to the ResourceManager (Flink's
 * `DefaultDeclareResourceRequirementServiceConnectionManager`, flink-protocol.md §2.5.6): dropped
 * while no ResourceManager is connected (on connect the pool declares everything again); otherwise
 * the newest requirements are sent and retried with exponential backoff (1 ms doubling to 10 s,
 * without end) until one attempt is acknowledged. An attempt for requirements that are no longer the
 * newest, or after a disconnect, is cancelled, which ends its retries; earlier sends still in
 * flight may arrive, and the ResourceManager simply replaces the requirements.
 *
 * Each declaration gets an epoch; asks and retry timers carry it, so stale ones are recognised.
 */
import type { ResourceRequirements } from '../../protocol/values.js';
import { checkState } from '../assertions.js';

export const INITIAL_BACKOFF_MS = 1;
export const MAX_BACKOFF_MS = 10_000;

export interface DeclareResourceRequirementsConnection {
  state: 'disconnected' | 'connected' | 'closed';
  /** `currentResourceRequirements` and its epoch. */
  current: {
    readonly requirements: ResourceRequirements;
    readonly epoch: number;
    /** The delay before the last retry (null: none yet). */
    lastDelayMs: number | null;
  } | null;
  nextEpoch: number;
}

export interface DeclareActions {
  /** Send `declareRequiredResources` to the connected ResourceManager; the answer comes back with the epoch. */
  send(requirements: ResourceRequirements, epoch: number): void;
  /** Retry the epoch's send after `delayMs`. */
  armRetry(epoch: number, delayMs: number): void;
}

export function createDeclareConnection(): DeclareResourceRequirementsConnection {
  return { state: 'disconnected', current: null, nextEpoch: 1 };
}

function checkNotClosed(connection: DeclareResourceRequirementsConnection, where: string): void {
  checkState(connection.state !== 'closed', where, 'the connection manager is closed');
}

/** `connect(service)`: requirements are sent from now on. */
export function connect(connection: DeclareResourceRequirementsConnection): void {
  checkNotClosed(connection, 'DeclareResourceRequirementServiceConnectionManager#connect');
  connection.state = 'connected';
}

/** `disconnect()`: sending stops; in-flight retries are cancelled. */
export function disconnect(connection: DeclareResourceRequirementsConnection): void {
  checkNotClosed(connection, 'DeclareResourceRequirementServiceConnectionManager#disconnect');
  connection.state = 'disconnected';
  connection.current = null;
}

/** `close()`: as disconnect, for good. */
export function close(connection: DeclareResourceRequirementsConnection): void {
  connection.state = 'closed';
  connection.current = null;
}

/** `declareResourceRequirements(req)`: dropped unless connected; else the newest, sent at once. */
export function declareResourceRequirements(
  connection: DeclareResourceRequirementsConnection,
  requirements: ResourceRequirements,
  actions: DeclareActions,
): void {
  checkNotClosed(
    connection,
    'DeclareResourceRequirementServiceConnectionManager#declareResourceRequirements',
  );
  if (connection.state !== 'connected') return;
  const epoch = connection.nextEpoch++;
  connection.current = { requirements, epoch, lastDelayMs: null };
  actions.send(requirements, epoch);
}

function isCurrent(connection: DeclareResourceRequirementsConnection, epoch: number): boolean {
  return connection.state === 'connected' && connection.current?.epoch === epoch;
}

/**
 * The answer to an attempt. Acknowledged: done. Failed (an exception or a timeout): retried after
 * the backoff, if the attempt still belongs to the newest requirements (else cancelled).
 */
export function onDeclareAnswer(
  connection: DeclareResourceRequirementsConnection,
  epoch: number,
  acked: boolean,
  actions: DeclareActions,
): void {
  const current = connection.current;
  if (acked || current === null || !isCurrent(connection, epoch)) return;
  current.lastDelayMs = nextBackoff(current.lastDelayMs);
  actions.armRetry(epoch, current.lastDelayMs);
}

/** The retry delay passed: send again if still the newest. */
export function onRetry(
  connection: DeclareResourceRequirementsConnection,
  epoch: number,
  actions: DeclareActions,
): void {
  const current = connection.current;
  if (current === null || !isCurrent(connection, epoch)) return;
  actions.send(current.requirements, epoch);
}

/** `ExponentialBackoffRetryStrategy`: the delay after an attempt that waited `previous` (null: the first). */
export function nextBackoff(previous: number | null): number {
  return previous === null ? INITIAL_BACKOFF_MS : Math.min(previous * 2, MAX_BACKOFF_MS);
}
