import { describe, expect, it } from 'vitest';
import { concatTypedArrays } from '../../../src/engine/latent/typed-arrays';

describe('concatTypedArrays', () => {
  it('joins parts end to end in an array of the same kind', () => {
    const floats = concatTypedArrays([Float32Array.of(1, 2), new Float32Array(0), Float32Array.of(3)]);
    expect(floats).toBeInstanceOf(Float32Array);
    expect([...floats]).toEqual([1, 2, 3]);
    const bytes = concatTypedArrays([Uint8Array.of(9), Uint8Array.of(8, 7).subarray(1)]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes]).toEqual([9, 7]);
  });

  it('gives an empty array for no parts', () => {
    expect(concatTypedArrays<Uint8Array>([]).length).toBe(0);
  });
});
