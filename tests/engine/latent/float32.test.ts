import { describe, expect, it } from 'vitest';
import { fmaf } from '../../../src/engine/latent/float32';

describe('fmaf', () => {
  it('rounds a * b + c once, where rounding the double sum to float32 would round twice', () => {
    // exact = 1 + 3·2^-24 - 2^-70: just below the float32 midpoint between 1 + 2^-23 and 1 + 2^-22.
    const a = 1 + 2 ** -23;
    const b = 2 ** -24 * (1 - 2 ** -23);
    const c = 1 + 2 ** -23;
    expect(Math.fround(a * b + c)).toBe(1 + 2 ** -22); // double rounding lands on the midpoint, ties to even
    expect(fmaf(a, b, c)).toBe(1 + 2 ** -23);
    // and the mirror case just above a midpoint with an even lower neighbour
    expect(fmaf(-a, b, -c)).toBe(-(1 + 2 ** -23));
    expect(fmaf(a, 2 ** -24 * (1 + 2 ** -23), 1)).toBe(1 + 2 ** -23);
  });

  it('agrees with plain float32 arithmetic when the product is exact', () => {
    for (const [a, b, c] of [
      [3, 0.5, 0.25],
      [-2, 1.5, 7],
      [0.1, 10, -1],
    ] as const) {
      const [fa, fb, fc] = [Math.fround(a), Math.fround(b), Math.fround(c)];
      if (Math.fround(fa * fb) === fa * fb) expect(fmaf(fa, fb, fc)).toBe(Math.fround(fa * fb + fc));
    }
    expect(fmaf(2, 3, -6)).toBe(0);
    expect(fmaf(Infinity, 1, 1)).toBe(Infinity);
  });
});
