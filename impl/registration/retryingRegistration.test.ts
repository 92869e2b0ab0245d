// Ports of Flink's RetryingRegistrationTest (flink-protocol.md §6.7) onto the registration loop.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGISTRATION_CONFIG as config,
  cancelRegistration,
  isCurrentAttempt,
  onRegistrationResult,
  onRetryTimer,
  registrationResultOf,
  startRegistration,
  type RegistrationPort,
} from './retryingRegistration.js';

class Port implements RegistrationPort {
  readonly log: string[] = [];
  sendRegistration(timeoutMs: number, context: { registration: number; attempt: number }): void {
    this.log.push(`send attempt ${context.attempt} timeout ${timeoutMs}`);
  }
  armRetry(delayMs: number): void {
    this.log.push(`retry in ${delayMs}`);
  }
  cancelRetry(): void {
    this.log.push('cancel retry');
  }
}

describe('RetryingRegistrationTest', () => {
  it('testRetriesOnTimeouts: each timeout retries at once with the timeout doubled, capped at the maximum', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    for (let i = 0; i < 10; i++)
      expect(onRegistrationResult(r, 'timeout', config, port)).toBe('retrying');
    expect(port.log).toEqual([
      'send attempt 1 timeout 100',
      'send attempt 2 timeout 200',
      'send attempt 3 timeout 400',
      'send attempt 4 timeout 800',
      'send attempt 5 timeout 1600',
      'send attempt 6 timeout 3200',
      'send attempt 7 timeout 6400',
      'send attempt 8 timeout 12800',
      'send attempt 9 timeout 25600',
      'send attempt 10 timeout 30000',
      'send attempt 11 timeout 30000',
    ]);
    expect(onRegistrationResult(r, 'succeeded', config, port)).toBe('succeeded');
  });

  it('testRetryOnError: an error waits the error delay and starts over with the initial timeout', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    onRegistrationResult(r, 'timeout', config, port);
    onRegistrationResult(r, 'error', config, port);
    expect(r.status).toBe('waitingToRetry');
    onRetryTimer(r, port);
    expect(port.log).toEqual([
      'send attempt 1 timeout 100',
      'send attempt 2 timeout 200',
      'retry in 10000',
      'send attempt 1 timeout 100',
    ]);
  });

  it('a declined registration (RegistrationResponse.Failure) waits the refused delay', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    onRegistrationResult(r, 'declined', config, port);
    expect(port.log.at(-1)).toBe('retry in 30000');
  });

  it('testRegistrationRejection: a rejection ends the loop', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    expect(onRegistrationResult(r, 'rejected', config, port)).toBe('rejected');
    expect(r.status).toBe('rejected');
    expect(port.log).toEqual(['send attempt 1 timeout 100']);
  });

  it('testCancellation: a cancelled loop sends nothing more and takes no answer', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    onRegistrationResult(r, 'error', config, port);
    cancelRegistration(r, port);
    onRetryTimer(r, port);
    expect(port.log).toEqual(['send attempt 1 timeout 100', 'retry in 10000', 'cancel retry']);
    expect(isCurrentAttempt(r, { registration: 1, attempt: 1 })).toBe(false);
  });

  it('answers are matched to the current attempt of the current registration only', () => {
    const port = new Port();
    const r = startRegistration(7, config, port);
    expect(isCurrentAttempt(r, { registration: 7, attempt: 1 })).toBe(true);
    onRegistrationResult(r, 'timeout', config, port);
    expect(isCurrentAttempt(r, { registration: 7, attempt: 1 })).toBe(false);
    expect(isCurrentAttempt(r, { registration: 7, attempt: 2 })).toBe(true);
    expect(isCurrentAttempt(r, { registration: 6, attempt: 2 })).toBe(false);
    expect(isCurrentAttempt(null, { registration: 7, attempt: 2 })).toBe(false);
    expect(isCurrentAttempt(r, null)).toBe(false);
  });

  it('a result after the loop ended is a programming error', () => {
    const port = new Port();
    const r = startRegistration(1, config, port);
    onRegistrationResult(r, 'succeeded', config, port);
    expect(() => onRegistrationResult(r, 'timeout', config, port)).toThrow(/while succeeded/);
  });
});

describe('registrationResultOf', () => {
  it('reads a reply by its suffix and an ask failure by its kind', () => {
    expect(registrationResultOf({ type: 'registerJobMaster.succeeded' })).toBe('succeeded');
    expect(registrationResultOf({ type: 'registerTaskManager.rejected' })).toBe('rejected');
    expect(registrationResultOf({ type: 'registerTaskExecutor.declined' })).toBe('declined');
    expect(registrationResultOf({ type: 'registerJobMaster.failed' })).toBe('error');
    expect(registrationResultOf('timeout')).toBe('timeout');
    expect(registrationResultOf('unreachable')).toBe('error');
  });
});
