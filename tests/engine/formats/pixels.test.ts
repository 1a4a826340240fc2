import { describe, expect, it } from 'vitest';
import { ImageDecodeError, ModelIoMismatchError } from '../../../src/engine/errors';
import {
  centerCropRect,
  fromModelOutput,
  resizeAndCenterCrop,
  tileImages,
  toModelInput,
  type RgbaImage,
} from '../../../src/engine/formats/pixels';
import { cpuTensor } from '../../../src/engine/latent/tensor';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

function solid(width: number, height: number, rgba: (x: number, y: number) => number[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgba(x, y), (y * width + x) * 4);
  return { width, height, data };
}

const px = (image: RgbaImage, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));

describe('resizeAndCenterCrop', () => {
  it('keeps the centred square of a landscape or portrait image', () => {
    expect(centerCropRect(10, 4)).toEqual({ x: 3, y: 0, side: 4 });
    expect(centerCropRect(4, 9)).toEqual({ x: 0, y: 2, side: 4 });
    // columns 0-2 and 7-9 red, 3-6 green: the 4x4 crop is all green
    const image = solid(10, 4, (x) => (x >= 3 && x <= 6 ? [0, 255, 0, 255] : [255, 0, 0, 255]));
    const out = resizeAndCenterCrop(image, 4);
    expect([out.width, out.height]).toEqual([4, 4]);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(px(out, x, y)).toEqual([0, 255, 0, 255]);
  });

  it('averages areas when shrinking (including fractional boxes)', () => {
    const checker = solid(8, 8, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const half = resizeAndCenterCrop(checker, 4);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++) expect(px(half, x, y)).toEqual([128, 128, 128, 255]);
    const ramp = solid(6, 6, (x) => [x * 10, 0, 0, 255]);
    const third = resizeAndCenterCrop(ramp, 4); // boxes of 1.5 source pixels
    expect(px(third, 0, 0)[0]).toBe(Math.round((0 * 1 + 10 * 0.5) / 1.5));
    expect(px(third, 1, 0)[0]).toBe(Math.round((10 * 0.5 + 20 * 1) / 1.5));
  });

  it('interpolates when enlarging and returns a same-size square unchanged', () => {
    const two = solid(2, 2, (x) => [x * 200, 0, 0, 255]);
    const four = resizeAndCenterCrop(two, 4);
    expect([0, 1, 2, 3].map((x) => px(four, x, 0)[0])).toEqual([0, 50, 150, 200]);
    expect(resizeAndCenterCrop(two, 2)).toBe(two);
    expect(() => resizeAndCenterCrop({ width: 2, height: 2, data: new Uint8ClampedArray(3) }, 2)).toThrow(
      ImageDecodeError,
    );
  });
});

describe('toModelInput', () => {
  it('maps bytes to [1, 3, H, W] as (p/255 - mean) / std, channel-planar, alpha ignored', () => {
    const image = solid(3, 2, (x, y) => [x * 100, y * 255, 17, x * 50]);
    const t = toModelInput(image, IMAGENET);
    expect(t.dims).toEqual([1, 3, 2, 3]);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 6; i++) {
        const p = image.data[i * 4 + c] as number;
        expect(t.data[c * 6 + i]).toBeCloseTo(
          (p / 255 - (IMAGENET.mean[c] as number)) / (IMAGENET.std[c] as number),
          5,
        );
      }
    }
  });

  it('follows the reference float32 chain p/127.5 - 1 → (x + 1)/2 → (x - mean)/std exactly', () => {
    const f = Math.fround;
    const t = toModelInput(
      solid(256, 1, (x) => [x, x, x, 255]),
      IMAGENET,
    );
    for (let p = 0; p < 256; p++) {
      const x = f(f(f(f(p / 127.5 - 1) + 1) / 2) - f(0.456));
      expect(t.data[256 + p]).toBe(f(x / f(0.224)));
    }
  });
});

describe('fromModelOutput', () => {
  it('converts [-1, 1] like torchvision save_image(normalize=True, value_range=(-1, 1))', () => {
    // 0.290196031332016 → 165 in torchvision, where rounding (x + 1) / 2 · 255 in doubles gives 164
    const values = [
      -1,
      1,
      0,
      -2,
      3,
      Math.fround(-1 / 255),
      Math.fround(1 / 255),
      0.5,
      -0.5,
      0.290196031332016,
    ];
    const expected = [0, 255, 128, 0, 255, 127, 128, 191, 64, 165];
    const out = fromModelOutput(
      cpuTensor(Float32Array.from([...values, ...values, ...values]), [1, 3, 1, values.length]),
      0,
    );
    values.forEach((_, i) =>
      expect(px(out, i, 0), `value ${values[i]}`).toEqual([expected[i], expected[i], expected[i], 255]),
    );
  });

  it('picks one item of a batch, planar channels to interleaved RGBA', () => {
    const data = new Float32Array(2 * 3 * 2);
    data.set([1, 1, -1, -1, 0, 0], 6); // item 1: R = 1, G = -1, B = 0
    const out = fromModelOutput(cpuTensor(data, [2, 3, 1, 2]), 1);
    expect(px(out, 1, 0)).toEqual([255, 0, 128, 255]);
    expect(() => fromModelOutput(cpuTensor(data, [2, 3, 1, 2]), 2)).toThrow(RangeError);
    expect(() => fromModelOutput(cpuTensor(new Float32Array(8), [1, 4, 1, 2]), 0)).toThrow(
      ModelIoMismatchError,
    );
  });
});

describe('tileImages', () => {
  it('lays out a grid like make_grid: 2-pixel black padding around and between images', () => {
    const images = [10, 20, 30].map((v) => solid(3, 2, () => [v, v, v, 255]));
    const grid = tileImages(images, 2);
    expect([grid.width, grid.height]).toEqual([2 * (3 + 2) + 2, 2 * (2 + 2) + 2]);
    expect(px(grid, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(px(grid, 2, 2)).toEqual([10, 10, 10, 255]);
    expect(px(grid, 7, 2)).toEqual([20, 20, 20, 255]);
    expect(px(grid, 2, 6)).toEqual([30, 30, 30, 255]);
    expect(px(grid, 7, 6)).toEqual([0, 0, 0, 255]); // the empty fourth cell
    expect(tileImages(images, 10).width).toBe(3 * 5 + 2); // no more columns than images
  });

  it('returns a single image as it is and rejects mixed sizes', () => {
    const one = solid(2, 2, () => [1, 2, 3, 4]);
    expect(tileImages([one], 3)).toBe(one);
    expect(() => tileImages([], 1)).toThrow(RangeError);
    expect(() => tileImages([one, solid(3, 2, () => [0, 0, 0, 0])], 2)).toThrow(RangeError);
  });
});
