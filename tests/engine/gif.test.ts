// The GIF encoder read back by an independent parser: frame count, delay, loop, palette and LZW round trip
// (including a frame large and noisy enough to fill the 4096-entry table and reset it).
import { describe, expect, it } from 'vitest';
import { encodeGif, GIF_PALETTE, lzwEncode, paletteIndex } from '../../src/engine/gif';
import type { RgbaImage } from '../../src/engine/image';
import { parseGif } from './gif-parser';

function image(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], (y * width + x) * 4);
  return { width, height, data };
}

describe('palette', () => {
  it('maps palette colours to themselves', () => {
    for (const i of [0, 7, 43, 215, 216, 230, 255]) {
      const [r, g, b] = GIF_PALETTE.subarray(i * 3, i * 3 + 3);
      const j = paletteIndex(r!, g!, b!);
      expect([...GIF_PALETTE.subarray(j * 3, j * 3 + 3)]).toEqual([r, g, b]);
    }
  });
  it('prefers a grey for mid greys the cube misses', () => {
    const index = paletteIndex(128, 128, 128);
    expect(index).toBeGreaterThanOrEqual(216);
    expect(Math.abs(GIF_PALETTE[index * 3]! - 128)).toBeLessThanOrEqual(4);
  });
});

describe('encodeGif', () => {
  it('writes one image per frame with delay and infinite loop', () => {
    const frames = Array.from({ length: 8 }, (_, k) => image(5, 3, (x) => [k * 30, x * 50, 0]));
    const gif = parseGif(encodeGif(frames, { delayMs: 120 }));
    expect(gif).toMatchObject({ width: 5, height: 3, loops: 0 });
    expect(gif.frames).toHaveLength(8);
    expect(gif.frames.every((f) => f.delayCs === 12)).toBe(true);
    frames.forEach((frame, k) => {
      const expected = Uint8Array.from({ length: 15 }, (_, p) =>
        paletteIndex(frame.data[p * 4]!, frame.data[p * 4 + 1]!, frame.data[p * 4 + 2]!),
      );
      expect([...gif.frames[k]!.indices]).toEqual([...expected]);
    });
  });
  it('round-trips noise that overflows the LZW table', () => {
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
    const noisy = image(128, 96, () => [random(), random(), random()]);
    const gif = parseGif(encodeGif([noisy, noisy], { delayMs: 50, loops: 3 }));
    expect(gif.loops).toBe(3);
    const expected = Uint8Array.from({ length: 128 * 96 }, (_, p) =>
      paletteIndex(noisy.data[p * 4]!, noisy.data[p * 4 + 1]!, noisy.data[p * 4 + 2]!),
    );
    expect(gif.frames[1]!.indices).toEqual(expected);
  });
  it('compresses a flat frame', () => {
    expect(lzwEncode(new Uint8Array(10000)).length).toBeLessThan(400);
  });
  it('rejects frames of different sizes', () => {
    expect(() =>
      encodeGif([image(2, 2, () => [0, 0, 0]), image(3, 2, () => [0, 0, 0])], { delayMs: 100 }),
    ).toThrow(/one size/);
  });
});
