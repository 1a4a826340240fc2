// cpuLatentMath's batch concat/split (the guided forward's [z; z] in, [vc; vu] out) and its finiteness check.
import { describe, expect, it } from 'vitest';
import { cpuLatentMath, cpuTensor, firstNonFinite } from '../../../src/engine/latent/tensor';

describe('cpuLatentMath batch axis', () => {
  const a = cpuTensor(Float32Array.from([1, 2, 3, 4]), [1, 2, 2]);
  const b = cpuTensor(Float32Array.from([5, 6, 7, 8, 9, 10, 11, 12]), [2, 2, 2]);

  it('concatenates along the batch axis and splits back to the same parts', async () => {
    const both = await cpuLatentMath.concatBatch([a, b]);
    expect(both.dims).toEqual([3, 2, 2]);
    expect(Array.from(both.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const [first, second] = await cpuLatentMath.splitBatch(both, [1, 2]);
    expect(first).toEqual(a);
    expect(second).toEqual(b);
  });

  it('refuses parts that differ beyond the batch axis, and sizes that do not add up', async () => {
    const other = cpuTensor(new Float32Array(3), [1, 3]);
    await expect(cpuLatentMath.concatBatch([a, other])).rejects.toThrow(/differ beyond the batch axis/);
    await expect(cpuLatentMath.splitBatch(b, [1, 2])).rejects.toThrow(/do not split a batch of 2/);
    await expect(cpuLatentMath.splitBatch(b, [0, 2])).rejects.toThrow(RangeError);
  });
});

describe('firstNonFinite', () => {
  it.each([
    [[0, 1, -3e38], -1],
    [[0, NaN, 1], 1],
    [[Infinity], 0],
    [[1, 2, -Infinity], 2],
  ])('%j → %i', (values, index) => {
    expect(firstNonFinite(Float32Array.from(values))).toBe(index);
  });
});
