import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import { Mt19937 } from '../../../src/engine/rng/mt19937';
import { normalFill16 } from '../../../src/engine/rng/normal-fill';
import { TorchGenerator } from '../../../src/engine/rng/torch-randn';
import { drawRngCase, type RngCase } from '../../../src/cli/parity-cases';
import { bitMismatches, fixtureJson, fixtureNpy, maxAbsDiff } from '../fixtures';

const { cases } = fixtureJson<{ cases: RngCase[] }>('rng_cases.json');

describe('TorchGenerator against the reference files (rng_cases.json)', () => {
  it('lists cases for both kernels', () => {
    expect(cases.some((c) => c.kernel === 'avx2')).toBe(true);
    expect(cases.some((c) => c.kernel === 'generic')).toBe(true);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_, c) => {
    const expected = fixtureNpy(c.file).data as Float32Array;
    const actual = drawRngCase(c);
    expect(actual.length).toBe(expected.length);
    const mismatches = bitMismatches(actual, expected);
    const error = maxAbsDiff(actual, expected);
    console.log(
      `${c.file} (${c.kernel}): max |err| ${error.toExponential(2)}, ${mismatches}/${actual.length} values differ in bits`,
    );
    expect(error).toBeLessThanOrEqual(1e-5); // the parity tolerance, reported above if the next check fails
    expect(mismatches).toBe(0); // both kernels are reproduced bit for bit (generic: glibc's float functions)
  });
});

describe('TorchGenerator behaviour', () => {
  const u53 = (mt: Mt19937) => ((mt.nextUint32() & 0x1fffff) * 2 ** 32 + mt.nextUint32()) * 2 ** -53;

  it('caches the spare Box-Muller value across calls below 16 elements', () => {
    const g = new TorchGenerator(3);
    const [first] = g.randn([1]);
    const [second] = g.randn([1]);
    const mt = new Mt19937(3);
    const theta = 2 * Math.PI * u53(mt);
    const r = Math.sqrt(-2 * Math.log(1 - u53(mt)));
    expect(first).toBe(Math.fround(r * Math.cos(theta)));
    expect(second).toBe(Math.fround(r * Math.sin(theta)));
  });

  it('keeps the cache across a 16-or-more draw, and manualSeed clears it', () => {
    const g = new TorchGenerator(11);
    g.randn([3]); // uses two pairs, leaves a spare
    g.randn([4, 4]); // float path: draws 16 fresh uniforms, ignores the spare
    const afterFloat = g.randn([1])[0];
    const reference = new TorchGenerator(11);
    const pairs = reference.randn([4]); // the same three values plus the spare as the fourth
    expect(afterFloat).toBe(pairs[3]);

    g.manualSeed(11);
    expect(Array.from(g.randn([5]))).toEqual(Array.from(new TorchGenerator(11).randn([5])));
  });

  it('re-draws the last 16 positions when the size is not a multiple of 16', () => {
    const g = new TorchGenerator(5);
    const ragged = g.randn([20]);
    const full = new TorchGenerator(5).randn([32]); // same first 16 uniforms, so the same first block
    expect(Array.from(ragged.subarray(0, 4))).toEqual(Array.from(full.subarray(0, 4)));
    expect(Array.from(ragged.subarray(4))).not.toEqual(Array.from(full.subarray(4, 20)));
    // 20 + 16 uniforms were consumed: the next block is made of outputs 36..51
    const mt = new Mt19937(5);
    for (let i = 0; i < 36; i++) mt.nextUint32();
    const block = Float32Array.from({ length: 16 }, () => (mt.nextUint32() & 0xffffff) * 2 ** -24);
    normalFill16(block, 0, 'avx2');
    expect(Array.from(g.randn([16]))).toEqual(Array.from(block));
  });

  it('returns float32 standard normals with plausible moments on the float path', () => {
    for (const kernel of ['avx2', 'generic'] as const) {
      const values = new TorchGenerator(123, { kernel }).randn([200000]);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      expect(Math.abs(mean)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    }
  });

  it('handles empty shapes and rejects invalid seeds and shapes', () => {
    expect(new TorchGenerator(0).randn([0, 3]).length).toBe(0);
    expect(() => new TorchGenerator(1.5)).toThrow(InvalidSettingError);
    expect(() => new TorchGenerator(0).randn([2, -1])).toThrow(InvalidSettingError);
  });
});
