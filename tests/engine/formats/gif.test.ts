// The gifenc-backed GIF encoder read back by an independent parser: frame count, delay, loop, per-frame
// palettes (each frame's own colours come back exactly when it has few), a noisy frame, determinism.
import { describe, expect, it } from 'vitest';
import { encodeGif } from '../../../src/engine/formats/gif';
import type { RgbaImage } from '../../../src/engine/formats/pixels';
import { parseGif, type ParsedGif } from '../gif-parser';

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

/** The RGB a parsed frame shows at each pixel [pixels * 3]. */
function decodedRgb(frame: ParsedGif['frames'][number]): Uint8Array {
  const out = new Uint8Array(frame.indices.length * 3);
  frame.indices.forEach((index, p) => out.set(frame.palette.subarray(index * 3, index * 3 + 3), p * 3));
  return out;
}

function rgbOf(frame: RgbaImage): Uint8Array {
  return Uint8Array.from(
    { length: frame.width * frame.height * 3 },
    (_, i) => frame.data[Math.floor(i / 3) * 4 + (i % 3)]!,
  );
}

describe('encodeGif', () => {
  it('writes one image per frame with delay and infinite loop', () => {
    const frames = Array.from({ length: 8 }, (_, k) => image(5, 3, (x) => [k * 30, x * 50, 0]));
    const gif = parseGif(encodeGif(frames, { delayMs: 120 }));
    expect(gif).toMatchObject({ width: 5, height: 3, loops: 0 });
    expect(gif.frames).toHaveLength(8);
    expect(gif.frames.every((f) => f.delayCs === 12)).toBe(true);
  });

  it('gives each frame its own palette: a frame of few colours comes back within rgb565 rounding', () => {
    // Two frames with disjoint colours (a red ramp, then a blue one): a fixed cube would round both.
    const red = image(16, 4, (x) => [100 + x * 8, 20, 30]);
    const blue = image(16, 4, (x) => [10, 40, 120 + x * 8]);
    const gif = parseGif(encodeGif([red, blue], { delayMs: 100 }));
    [red, blue].forEach((frame, k) => {
      const shown = decodedRgb(gif.frames[k]!);
      const wanted = rgbOf(frame);
      // rgb565 keeps 5/6/5 bits: at most 7 (red, blue) or 3 (green) off per channel
      const worst = Math.max(...shown.map((v, i) => Math.abs(v - wanted[i]!)));
      expect(worst).toBeLessThanOrEqual(7);
    });
    expect([...gif.frames[0]!.palette]).not.toEqual([...gif.frames[1]!.palette]);
  });

  it('round-trips a noisy frame through LZW and keeps the loop count', () => {
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
    const noisy = image(128, 96, () => [random(), random(), random()]);
    const gif = parseGif(encodeGif([noisy, noisy], { delayMs: 50, loops: 3 }));
    expect(gif.loops).toBe(3);
    expect(gif.frames[1]!.indices).toHaveLength(128 * 96);
  });

  it('is deterministic: the same frames give the same bytes', () => {
    const frames = [image(9, 7, (x, y) => [x * 20, y * 30, 90]), image(9, 7, (x, y) => [y * 20, 60, x * 25])];
    expect(encodeGif(frames, { delayMs: 125 })).toEqual(encodeGif(frames, { delayMs: 125 }));
  });

  it('rejects frames of different sizes and an empty list', () => {
    expect(() =>
      encodeGif([image(2, 2, () => [0, 0, 0]), image(3, 2, () => [0, 0, 0])], { delayMs: 100 }),
    ).toThrow(/one size/);
    expect(() => encodeGif([], { delayMs: 100 })).toThrow(/at least one frame/);
  });
});
