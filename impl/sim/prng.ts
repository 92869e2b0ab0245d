/**
 * The simulator's only source of randomness: xoshiro128** 1.0 (Blackman and Vigna, 2018),
 * seeded by expanding a 32-bit seed with SplitMix32. Both are small, well studied, and use only
 * 32-bit integer arithmetic, so every JavaScript engine produces the same stream.
 *
 * The state is four unsigned 32-bit words held in the world state as plain data: a snapshot of
 * the world carries the generator with it, and a restored world continues the same stream.
 */

/** xoshiro128** state: four 32-bit words, never all zero. */
export type RngState = [number, number, number, number];

/** SplitMix32 (the 32-bit variant of SplitMix64's finaliser), used only to expand a seed. */
function splitMix32(state: number): { value: number; next: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return { value: z >>> 0, next };
}

/** The generator state for a seed (an integer in 0..2^32-1). */
export function seedRng(seed: number): RngState {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  }
  let s = seed | 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = splitMix32(s);
    words.push(r.value);
    s = r.next;
  }
  const [a = 0, b = 0, c = 0, d = 0] = words;
  // SplitMix32 is a bijection per step, so four zero words cannot all come out; guard anyway.
  return a === 0 && b === 0 && c === 0 && d === 0 ? [1, 0, 0, 0] : [a, b, c, d];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The next 32-bit output; advances `state` in place. */
export function nextUint32(state: RngState): number {
  const [s0, s1, s2, s3] = state;
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  let n2 = s2 ^ s0;
  let n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  n2 ^= t;
  n3 = rotl(n3, 11);
  state[0] = n0 >>> 0;
  state[1] = n1 >>> 0;
  state[2] = n2 >>> 0;
  state[3] = n3 >>> 0;
  return result;
}

/**
 * An integer uniformly drawn from 0..bound-1 (bound ≤ 2^32), without modulo bias: draws that fall
 * into the incomplete last block of size 2^32 mod bound are rejected and drawn again.
 */
export function nextBelow(state: RngState, bound: number): number {
  if (!Number.isInteger(bound) || bound <= 0 || bound > 0x100000000) {
    throw new RangeError(`bound must be an integer in 1..2^32, got ${bound}`);
  }
  const limit = 0x100000000 - (0x100000000 % bound);
  for (;;) {
    const x = nextUint32(state);
    if (x < limit) return x % bound;
  }
}
