import { describe, expect, it } from 'vitest';
import { nextBelow, nextUint32, seedRng, type RngState } from './prng.js';

// Expected values were printed by the reference C code of xoshiro128** 1.0 (Blackman and Vigna)
// and of SplitMix32, compiled with gcc; the TypeScript port must produce the same stream.
describe('xoshiro128**', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    const state: RngState = [1, 2, 3, 4];
    const outputs = Array.from({ length: 6 }, () => nextUint32(state));
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it.each([
    [
      0,
      [2462723854, 1020716019, 454327756, 1275600319],
      [3809008728, 1133695204, 53579671, 2891528803, 139681546],
    ],
    [
      42,
      [939911724, 3948730756, 321366731, 3317318717],
      [2837322924, 544945897, 479756282, 3500138142, 339756180],
    ],
    [
      4294967295,
      [920564995, 4230986166, 697614773, 1778835764],
      [835879718, 1921286648, 2356205009, 1885780724, 980451116],
    ],
  ])('seed %i expands and draws as the reference does', (seed, expectedState, expectedOutputs) => {
    const state = seedRng(seed);
    expect(state).toEqual(expectedState);
    expect(Array.from({ length: 5 }, () => nextUint32(state))).toEqual(expectedOutputs);
  });

  it('rejects seeds outside 0..2^32-1', () => {
    expect(() => seedRng(-1)).toThrow(/seed must be an integer/);
    expect(() => seedRng(2 ** 32)).toThrow(/seed must be an integer/);
    expect(() => seedRng(1.5)).toThrow(/seed must be an integer/);
  });
});

describe('nextBelow', () => {
  it('stays in range and covers every value', () => {
    const state = seedRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = nextBelow(state, 7);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(7);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
  });

  it('is close to uniform (chi-square over 60 000 draws of 6 values)', () => {
    const state = seedRng(2024);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[nextBelow(state, 6)]! += 1;
    const chiSquare = counts.reduce((sum, c) => sum + (c - 10_000) ** 2 / 10_000, 0);
    // 5 degrees of freedom: 20.5 is the 0.999 quantile. The stream is fixed, so this cannot flake.
    expect(chiSquare).toBeLessThan(20.5);
  });

  it('rejects the draws that would bias the result', () => {
    // With bound 3·2^30, 2^32 mod bound = 2^30: outputs in the last 2^30 must be rejected.
    // Seed 0 starts with 3809008728, which lies in that last block.
    const state = seedRng(0);
    const copy = seedRng(0);
    const bound = 3 * 2 ** 30;
    const value = nextBelow(state, bound);
    let rejected = 0;
    let raw = nextUint32(copy);
    while (raw >= bound) {
      rejected += 1;
      raw = nextUint32(copy);
    }
    expect(rejected).toBeGreaterThan(0);
    expect(value).toBe(raw);
    expect(state).toEqual(copy);
  });

  it('rejects bounds that are not positive integers up to 2^32', () => {
    const state = seedRng(1);
    expect(() => nextBelow(state, 0)).toThrow(/bound must be/);
    expect(() => nextBelow(state, 2 ** 32 + 1)).toThrow(/bound must be/);
  });
});
