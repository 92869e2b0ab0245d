/**
 * How one JobMaster leadership's slot pool sends its requirements to the ResourceManager
 * (`DefaultDeclareResourceRequirementServiceConnectionManager`, driven by
 * `DeclarativeSlotPoolService`), flink-protocol.md §2.5.6: dropped while no RM is connected;
 * connected, the newest requirements are sent (`declareRequiredResources`) and retried with
 * exponential backoff (1 ms doubling to 10 s, without end) until an attempt is acknowledged. Newer
 * requirements replace the current ones; the attempt of older requirements is cancelled when its
 * retry comes (`CancellationException`), though its answer may still arrive. Flink names no
 * states; ours are disconnected, connected (nothing declared yet), sending (an attempt in flight),
 * acked, waitingToRetry (the backoff of a failed attempt runs) and closed.
 *
 * The context counts the declarations (each newest one is an epoch), the attempt in flight, the
 * attempts of outdated declarations whose answers have not come, the last backoff delay, the epoch
 * the retry timer is armed for, and what the implementation owes within the step it is in: the
 * backoff after a failed attempt, or the attempt after the backoff elapsed.
 */
import { assign, setup } from 'xstate';
import type { RequirementDeclarationEvent } from './events.js';

/** `ExponentialBackoffRetryStrategy`: the first backoff and its cap. */
export const INITIAL_BACKOFF_MS = 1;
export const MAX_BACKOFF_MS = 10_000;

/** The backoff after an attempt whose previous backoff was `previous` (null: none yet). */
export function nextBackoff(previous: number | null): number {
  return previous === null ? INITIAL_BACKOFF_MS : Math.min(previous * 2, MAX_BACKOFF_MS);
}

export interface RequirementDeclarationContext {
  /** Declarations sent in this leadership; the newest is `currentResourceRequirements`. */
  readonly epoch: number;
  /** The ask of the newest requirements' attempt in flight (null: none in flight). */
  readonly attemptAskId: number | null;
  /** Attempts superseded by newer requirements or cut off by a disconnect, still unanswered. */
  readonly outdatedAsks: number;
  /** The newest requirements' last backoff (null: no attempt of them failed yet). */
  readonly lastDelayMs: number | null;
  /** The declaration the retry timer is armed for (null: none armed). */
  readonly retryEpoch: number | null;
  /** Owed within the step: the backoff after a failed attempt, or the attempt after the backoff. */
  readonly owed: 'retryWithDelay' | 'declareRequiredResources' | null;
}

/** An answer to an outdated attempt: nothing changes (its retries end with a cancellation). */
const outdatedAnswer = {
  guard: 'outdated' as const,
  actions: 'forgetOutdated' as const,
  description:
    'The answer to an outdated attempt (older requirements, or before a disconnect): ignored; a failure is not retried (CancellationException).',
};

const outdatedRetry = {
  guard: 'outdatedRetry' as const,
  actions: 'retryFired' as const,
  description:
    'The backoff of older requirements elapsed: the attempt finds newer ones current and is cancelled (CancellationException).',
};

const newerRequirements = {
  target: '#jmRequirementDeclaration.sending' as const,
  reenter: true,
  actions: 'declare' as const,
  description:
    'DeclareResourceRequirementServiceConnectionManager#declareResourceRequirements: newer requirements become current and are sent at once.',
};

const disconnect = {
  target: '#jmRequirementDeclaration.disconnected' as const,
  actions: 'disconnect' as const,
  description:
    'DeclarativeSlotPoolService#disconnectResourceManager → DeclareResourceRequirementServiceConnectionManager#disconnect: no current requirements, the retry cancelled.',
};

export const requirementDeclarationMachine = setup({
  types: {
    context: {} as RequirementDeclarationContext,
    events: {} as RequirementDeclarationEvent,
  },
  guards: {
    /** The answer is to the newest requirements' attempt in flight. */
    currentAttempt: ({ context, event }) =>
      'askId' in event && event.askId === context.attemptAskId,
    /** The answer is to an outdated attempt the model knows is unanswered. */
    outdated: ({ context, event }) =>
      'askId' in event && event.askId !== context.attemptAskId && context.outdatedAsks > 0,
    /** The backoff the failed attempt owes, for the newest requirements, by the strategy. */
    owedBackoff: ({ context, event }) =>
      event.type === 'out.retryWithDelay' &&
      context.owed === 'retryWithDelay' &&
      event.epoch === context.epoch &&
      event.delayMs === nextBackoff(context.lastDelayMs),
    /** The retry timer armed for the newest requirements fired. */
    currentRetry: ({ context, event }) =>
      event.type === 'retryDelay.elapsed' &&
      event.epoch === context.epoch &&
      context.retryEpoch === context.epoch,
    /** The retry timer armed for older requirements fired. */
    outdatedRetry: ({ context, event }) =>
      event.type === 'retryDelay.elapsed' &&
      context.retryEpoch !== null &&
      event.epoch === context.retryEpoch &&
      event.epoch !== context.epoch,
    /** The backoff elapsed: this is its attempt, with the same requirements. */
    owedAttempt: ({ context }) => context.owed === 'declareRequiredResources',
    nothingOwed: ({ context }) => context.owed === null,
  },
  actions: {
    /** Newer requirements: a new epoch, sent at once; an attempt in flight becomes outdated. */
    declare: assign(({ context, event }) =>
      event.type === 'out.declareRequiredResources'
        ? {
            epoch: context.epoch + 1,
            attemptAskId: event.askId,
            outdatedAsks: context.outdatedAsks + (context.attemptAskId === null ? 0 : 1),
            lastDelayMs: null,
            owed: null,
          }
        : {},
    ),
    attempt: assign(({ event }) =>
      event.type === 'out.declareRequiredResources'
        ? { attemptAskId: event.askId, owed: null }
        : {},
    ),
    answered: assign({ attemptAskId: null }),
    failed: assign({ attemptAskId: null, owed: 'retryWithDelay' as const }),
    forgetOutdated: assign(({ context }) => ({ outdatedAsks: context.outdatedAsks - 1 })),
    armRetry: assign(({ event }) =>
      event.type === 'out.retryWithDelay'
        ? { lastDelayMs: event.delayMs, retryEpoch: event.epoch, owed: null }
        : {},
    ),
    retryFired: assign({ retryEpoch: null }),
    retry: assign({ retryEpoch: null, owed: 'declareRequiredResources' as const }),
    disconnect: assign(({ context }) => ({
      attemptAskId: null,
      outdatedAsks: context.outdatedAsks + (context.attemptAskId === null ? 0 : 1),
      lastDelayMs: null,
      retryEpoch: null,
    })),
  },
}).createMachine({
  id: 'jmRequirementDeclaration',
  description: "A JobMaster leadership's sending of its slot pool's requirements to the RM.",
  context: {
    epoch: 0,
    attemptAskId: null,
    outdatedAsks: 0,
    lastDelayMs: null,
    retryEpoch: null,
    owed: null,
  },
  initial: 'disconnected',
  states: {
    disconnected: {
      description:
        'Ours: no RM connection; declarations are dropped (on connect the pool declares everything).',
      on: {
        connect: {
          target: 'connected',
          description:
            'JobMaster#establishResourceManagerConnection → DeclarativeSlotPoolService#connectToResourceManager → DeclareResourceRequirementServiceConnectionManager#connect.',
        },
        close: {
          target: 'closed',
          description:
            'DeclarativeSlotPoolService#close → DeclareResourceRequirementServiceConnectionManager#close: the JobMaster stops.',
        },
        'declareRequiredResources.acked': outdatedAnswer,
        'declareRequiredResources.failed': outdatedAnswer,
      },
    },
    connected: {
      description: 'Ours: connected, nothing declared yet (the pool declares at once).',
      on: {
        'out.declareRequiredResources': {
          target: 'sending',
          actions: 'declare',
          description:
            'DeclarativeSlotPoolService#connectToResourceManager: the full current requirements are declared (declareRequiredResources).',
        },
      },
    },
    sending: {
      description:
        "Ours: the newest requirements' attempt (declareRequiredResources) is in flight, or owed.",
      on: {
        'out.declareRequiredResources': [
          {
            guard: 'owedAttempt',
            actions: 'attempt',
            description:
              'FutureUtils.retryWithDelay: the next attempt with the same requirements, still current and connected.',
          },
          newerRequirements,
        ],
        'declareRequiredResources.acked': [
          {
            guard: 'currentAttempt',
            target: 'acked',
            actions: 'answered',
            description: 'The RM took the requirements: the retries end.',
          },
          outdatedAnswer,
        ],
        'declareRequiredResources.failed': [
          {
            guard: 'currentAttempt',
            target: 'waitingToRetry',
            actions: 'failed',
            description:
              'The attempt failed (an exception or a timeout): retried after the next ExponentialBackoffRetryStrategy delay.',
          },
          outdatedAnswer,
        ],
        'retryDelay.elapsed': outdatedRetry,
        disconnect,
      },
    },
    acked: {
      description: 'Ours: the RM acknowledged the newest requirements; nothing is retried.',
      on: {
        'out.declareRequiredResources': newerRequirements,
        'declareRequiredResources.acked': outdatedAnswer,
        'declareRequiredResources.failed': outdatedAnswer,
        'retryDelay.elapsed': outdatedRetry,
        disconnect,
      },
    },
    waitingToRetry: {
      description:
        "Ours: the newest requirements' last attempt failed; the backoff timer runs before the next.",
      on: {
        'out.retryWithDelay': {
          guard: 'owedBackoff',
          actions: 'armRetry',
          description:
            'FutureUtils.retryWithDelay: the backoff timer armed, 1 ms doubling to 10 s (declareResourceRequirements/retry).',
        },
        'retryDelay.elapsed': {
          guard: 'currentRetry',
          target: 'sending',
          actions: 'retry',
          description:
            'The backoff elapsed and the requirements are still the newest, connected: the attempt is sent again.',
        },
        'out.declareRequiredResources': { guard: 'nothingOwed', ...newerRequirements },
        'declareRequiredResources.acked': outdatedAnswer,
        'declareRequiredResources.failed': outdatedAnswer,
        disconnect,
      },
    },
    closed: {
      description: 'Ours: the JobMaster stopped; the connection manager is closed for good.',
    },
  },
});
