import { Option } from 'commander';
import { parseNonNegativeInt } from './usageError.js';

/** The largest seed: seeds are 32-bit. */
export const MAX_SEED = 0xffffffff;

/** `--seed`: any 32-bit seed, 1 by default (every command that runs something seeded). */
export function seedOption(description: string): Option {
  return new Option('--seed <n>', description)
    .argParser(parseNonNegativeInt('--seed', MAX_SEED))
    .default(1);
}
