/**
 * An error in what the user gave (an argument, a file): reported as one clear line naming what
 * and where, with exit code 2, never as a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a non-negative integer option, naming the option when it is not one. */
export function parseNonNegativeInt(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) > max) {
      throw new UsageError(`${option} must be an integer from 0 to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}

/** Parses a positive integer option, naming the option when it is not one. */
export function parsePositiveInt(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
      throw new UsageError(`${option} must be an integer from 1 to ${max}, got "${value}"`);
    }
    return Number(value);
  };
}
