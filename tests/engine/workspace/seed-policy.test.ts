import { describe, expect, it } from 'vitest';
import { MAX_SEED, randomSeed, seedAfterRun, seedForRun } from '../../../src/engine/workspace/seed-policy';

describe('seed policy', () => {
  it('fixed keeps the seed before and after a run', () => {
    expect(seedForRun('fixed', 42)).toBe(42);
    expect(seedAfterRun('fixed', 42, 4)).toBe(42);
  });
  it('random draws a fresh 32-bit seed before each run', () => {
    expect(seedForRun('random', 42, () => 0.5)).toBe(2 ** 31);
    expect(randomSeed(() => 0.999999999999)).toBeLessThanOrEqual(MAX_SEED);
  });
  it('increment moves past every seed the batch used, wrapping at 2^32', () => {
    expect(seedAfterRun('increment', 10, 4)).toBe(14);
    expect(seedAfterRun('increment', MAX_SEED, 1)).toBe(0);
  });
});
