import { describe, expect, it } from 'vitest';
import { log256, sincos256, type SinCos } from '../../../src/engine/rng/avx-mathfun';

describe('avx_mathfun lanes', () => {
  it('log256 approximates log on the kernel domain (0, 1] within a few float32 ulps', () => {
    expect(log256(1)).toBe(0);
    for (let k = 1; k <= 1 << 24; k += 4099) {
      const x = Math.fround(k * 2 ** -24);
      const exact = Math.log(x);
      expect(Math.abs(log256(x) - exact)).toBeLessThanOrEqual(3 * 2 ** -23 * Math.max(1, Math.abs(exact)));
    }
  });

  it('sincos256 approximates sin and cos on [0, 2π) within 3e-7, with the right octant signs', () => {
    const out: SinCos = { sin: 0, cos: 0 };
    for (let k = 0; k < 4096; k++) {
      const x = Math.fround((2 * Math.PI * k) / 4096);
      sincos256(x, out);
      expect(Math.abs(out.sin - Math.sin(x))).toBeLessThan(3e-7);
      expect(Math.abs(out.cos - Math.cos(x))).toBeLessThan(3e-7);
      expect(Math.fround(out.sin)).toBe(out.sin);
    }
  });
});
