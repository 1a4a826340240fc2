// Half-precision conversion (exact values, rounding, range ends) and the compressed latent tEXt payload.
import { describe, expect, it } from 'vitest';
import { ResultMetadataError } from '../../../src/engine/errors';
import {
  decodeLatentPayload,
  encodeLatentPayload,
  fromFloat16Bits,
  latentTextChunk,
  readStoredLatent,
  toFloat16Bits,
} from '../../../src/engine/formats/latent-payload';
import { decodePng, encodePng } from '../../../src/engine/formats/png';

describe('float16', () => {
  it.each([
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -24, 0x0001],
    [0.333251953125, 0x3555],
  ])('%s ↔ 0x%s', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
    expect(fromFloat16Bits(bits)).toBe(value === 1e6 ? Infinity : value);
  });
  it('rounds half to even', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: rounds to 1 (even); 1 + 3·2^-11 rounds up
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
  it('keeps NaN', () => {
    expect(fromFloat16Bits(toFloat16Bits(NaN))).toBeNaN();
  });
});

describe('latent payload', () => {
  it('round-trips within half precision and compresses', async () => {
    const values = Float32Array.from({ length: 256 * 8 }, (_, i) => Math.sin(i * 0.1) * 3);
    const text = await encodeLatentPayload(values, [1, 256, 8]);
    expect(text.startsWith('f16-deflate;1x256x8;')).toBe(true);
    const back = await decodeLatentPayload(text);
    expect(back.dims).toEqual([1, 256, 8]);
    back.values.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(2 ** -9));
  });
  it('refuses dims that do not match the values', async () => {
    await expect(encodeLatentPayload(new Float32Array(5), [2, 2])).rejects.toThrow(ResultMetadataError);
  });
  it.each([
    ['an unknown format', 'f32-raw;2;AAAA'],
    ['invalid dims', 'f16-deflate;2xz;AAAA'],
    ['damaged data', 'f16-deflate;2;!!!notbase64'],
  ])('refuses %s', async (_, text) => {
    await expect(decodeLatentPayload(text)).rejects.toThrow(ResultMetadataError);
  });
  it('refuses a value count that disagrees with the dims', async () => {
    const text = await encodeLatentPayload(new Float32Array(4), [4]);
    await expect(decodeLatentPayload(text.replace(';4;', ';5;'))).rejects.toThrow(/need 5/);
  });
});

describe('latent in a PNG', () => {
  it('survives encodePng and decodePng beside other text', async () => {
    const values = Float32Array.from({ length: 2 * 3 }, (_, i) => i - 2.5);
    const png = await encodePng(
      { width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) },
      { Software: 'test', ...(await latentTextChunk(values, [1, 2, 3])) },
    );
    const { text } = await decodePng(png);
    const stored = await readStoredLatent(text);
    expect(stored?.dims).toEqual([1, 2, 3]);
    expect([...stored!.values]).toEqual([...values]);
    expect(await readStoredLatent({ Software: 'test' })).toBeNull();
  });
});
