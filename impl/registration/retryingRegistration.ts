/**
 * One registration attempt loop (Flink's `registration/RetryingRegistration.java`, as owned by a
 * `RegisteredRpcConnection`), used for TaskExecutor → ResourceManager, TaskExecutor → JobMaster and
 * JobMaster → ResourceManager. Plain data plus functions; the owner sends the registration ask and
 * arms the retry timer through a port, and maps each answer to a `RegistrationResult`.
 *
 * The retry rules (flink-protocol.md §2.4), with the defaults of §7:
 * - success or rejection ends the loop (the owner decides what a rejection means);
 * - a `RegistrationResponse.Failure` (declined) waits `refusedDelayMs` (30 s), then starts over
 *   with the initial timeout;
 * - an ask timeout retries at once with the timeout doubled, up to `maxTimeoutMs` (30 s);
 * - any other error (fencing, unreachable, an exception) waits `errorDelayMs` (10 s), then starts
 *   over with the initial timeout (`initialTimeoutMs`, 100 ms).
 *
 * Simplification: Flink first resolves the target's gateway (`rpcService.connect`) and retries a
 * failed connect after the error delay; the simulator has no connect step, so an unreachable
 * target shows up as an error of the registration ask itself, with the same delay.
 */
import { numberField, type Json } from '../sim/canonical.js';

export interface RetryingRegistrationConfig {
  /** `cluster.registration.initial-timeout` */
  readonly initialTimeoutMs: number;
  /** `cluster.registration.max-timeout` */
  readonly maxTimeoutMs: number;
  /** `cluster.registration.error-delay` */
  readonly errorDelayMs: number;
  /** `cluster.registration.refused-registration-delay` */
  readonly refusedDelayMs: number;
}

export const DEFAULT_REGISTRATION_CONFIG: RetryingRegistrationConfig = {
  initialTimeoutMs: 100,
  maxTimeoutMs: 30_000,
  errorDelayMs: 10_000,
  refusedDelayMs: 30_000,
};

export type RegistrationStatus =
  'registering' | 'waitingToRetry' | 'succeeded' | 'rejected' | 'cancelled';

export interface RetryingRegistration {
  /** Which registration this is; answers tagged with another id are outdated and ignored. */
  readonly id: number;
  status: RegistrationStatus;
  /** 1-based attempt number since the last start-over. */
  attempt: number;
  /** The ask timeout of the current attempt. */
  timeoutMs: number;
}

/** How one registration ask ended, as the owner read it. */
export type RegistrationResult = 'succeeded' | 'rejected' | 'declined' | 'timeout' | 'error';

/**
 * Reads the answer to a registration ask: its reply's suffix (`.succeeded`, `.rejected`,
 * `.declined`; anything else, such as a fencing failure, is an error), or how the ask failed (a
 * timeout, or an unreachable receiver, which is an error).
 */
export function registrationResultOf(
  answer: { readonly type: string } | 'timeout' | 'unreachable',
): RegistrationResult {
  if (answer === 'timeout') return 'timeout';
  if (answer === 'unreachable') return 'error';
  if (answer.type.endsWith('.succeeded')) return 'succeeded';
  if (answer.type.endsWith('.rejected')) return 'rejected';
  if (answer.type.endsWith('.declined')) return 'declined';
  return 'error';
}

/** What the loop needs from its owner. */
export interface RegistrationPort {
  /** Send the registration ask with this timeout; the answer must come back with `context`. */
  sendRegistration(timeoutMs: number, context: RegistrationContext): void;
  armRetry(delayMs: number): void;
  cancelRetry(): void;
}

/** Carried by every registration ask so that its answer can be matched to its loop. */
export interface RegistrationContext extends Record<string, Json> {
  registration: number;
  attempt: number;
}

/** `RetryingRegistration#startRegistration`: the first attempt goes out at once. */
export function startRegistration(
  id: number,
  config: RetryingRegistrationConfig,
  port: RegistrationPort,
): RetryingRegistration {
  const registration: RetryingRegistration = {
    id,
    status: 'registering',
    attempt: 1,
    timeoutMs: config.initialTimeoutMs,
  };
  port.sendRegistration(registration.timeoutMs, { registration: id, attempt: 1 });
  return registration;
}

/** Whether an answer carrying `context` belongs to the current attempt of `registration`. */
export function isCurrentAttempt(
  registration: RetryingRegistration | null,
  context: Json,
): boolean {
  if (registration === null || registration.status !== 'registering') return false;
  return (
    numberField(context, 'registration') === registration.id &&
    numberField(context, 'attempt') === registration.attempt
  );
}

/**
 * Takes the result of the current attempt. Returns `succeeded` or `rejected` when the loop ends
 * with it, and `retrying` otherwise (the next attempt is sent or its delay armed).
 */
export function onRegistrationResult(
  registration: RetryingRegistration,
  result: RegistrationResult,
  config: RetryingRegistrationConfig,
  port: RegistrationPort,
): 'succeeded' | 'rejected' | 'retrying' {
  if (registration.status !== 'registering') {
    throw new Error(`RetryingRegistration: result ${result} while ${registration.status}`);
  }
  switch (result) {
    case 'succeeded':
    case 'rejected':
      registration.status = result;
      return result;
    case 'timeout':
      registration.attempt += 1;
      registration.timeoutMs = Math.min(2 * registration.timeoutMs, config.maxTimeoutMs);
      port.sendRegistration(registration.timeoutMs, {
        registration: registration.id,
        attempt: registration.attempt,
      });
      return 'retrying';
    case 'declined':
      waitToStartOver(registration, config, config.refusedDelayMs, port);
      return 'retrying';
    case 'error':
      waitToStartOver(registration, config, config.errorDelayMs, port);
      return 'retrying';
  }
}

function waitToStartOver(
  registration: RetryingRegistration,
  config: RetryingRegistrationConfig,
  delayMs: number,
  port: RegistrationPort,
): void {
  registration.status = 'waitingToRetry';
  registration.attempt = 1;
  registration.timeoutMs = config.initialTimeoutMs;
  port.armRetry(delayMs);
}

/** The retry delay elapsed (`registerLater`): the next attempt goes out. */
export function onRetryTimer(registration: RetryingRegistration, port: RegistrationPort): void {
  if (registration.status !== 'waitingToRetry') return;
  registration.status = 'registering';
  port.sendRegistration(registration.timeoutMs, {
    registration: registration.id,
    attempt: registration.attempt,
  });
}

/** `RetryingRegistration#cancel`: nothing more is sent, and later answers are ignored. */
export function cancelRegistration(
  registration: RetryingRegistration,
  port: RegistrationPort,
): void {
  if (registration.status === 'waitingToRetry') port.cancelRetry();
  if (registration.status === 'registering' || registration.status === 'waitingToRetry')
    registration.status = 'cancelled';
}
