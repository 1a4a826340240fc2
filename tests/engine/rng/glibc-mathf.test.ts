import { describe, expect, it } from 'vitest';
import { glibcLogf, glibcSinCosf } from '../../../src/engine/rng/glibc-mathf';

// Values printed by glibc 2.36's logf/sinf/cosf (ctypes on x86-64 Linux), chosen where glibc's float
// result differs from the correctly rounded one, so they pin down the algorithm and not just accuracy.
const LOGF: Array<[number, number]> = [
  [0.7296554446220398, -0.3151828348636627],
  [0.9808353185653687, -0.019350705668330193],
  [0.950100302696228, -0.05118772014975548],
  [0.940913200378418, -0.06090438365936279],
];
const SINCOSF: Array<[number, number, number]> = [
  [0.25726985931396484, 0.2544412314891815, 0.9670882225036621],
  [3.1691596508026123, -0.027563506737351418, -0.9996200799942017],
  [2.1068644523620605, 0.8597235679626465, -0.5107595920562744],
  [2.6158852577209473, 0.5018249750137329, -0.8649691939353943],
];

describe('glibc float functions', () => {
  it('reproduce glibc logf where it is not correctly rounded', () => {
    for (const [x, expected] of LOGF) {
      expect(glibcLogf(x)).toBe(expected);
      expect(Math.fround(Math.log(x))).not.toBe(expected);
    }
    expect(glibcLogf(1)).toBe(0);
  });

  it('reproduce glibc sinf and cosf, across the quadrants and the small-argument paths', () => {
    const out = { sin: 0, cos: 0 };
    for (const [x, sin, cos] of SINCOSF) {
      glibcSinCosf(x, out);
      expect([out.sin, out.cos]).toEqual([sin, cos]);
    }
    glibcSinCosf(0, out);
    expect([out.sin, out.cos]).toEqual([0, 1]);
    glibcSinCosf(2 ** -13, out);
    expect([out.sin, out.cos]).toEqual([2 ** -13, 1]);
  });

  it('stay within one float32 ulp of the exact functions', () => {
    const out = { sin: 0, cos: 0 };
    for (let k = 1; k < 1 << 24; k += 997) {
      const u = Math.fround(k * 2 ** -24);
      const log = Math.log(u);
      expect(Math.abs(glibcLogf(u) - log)).toBeLessThanOrEqual(2 ** -23 * Math.max(2 ** -1, Math.abs(log)));
      const x = Math.fround(2 * Math.PI * u);
      glibcSinCosf(x, out);
      expect(Math.abs(out.sin - Math.sin(x))).toBeLessThan(1.2e-7);
      expect(Math.abs(out.cos - Math.cos(x))).toBeLessThan(1.2e-7);
    }
  });
});
