// PSNR and SSIM against values known in closed form, and the difference image.
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/engine/formats/pixels';
import { differenceImage, psnr, ssim } from '../../../src/engine/analysis/metrics';

function image(width: number, height: number, pixel: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixel(x, y);
      data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

const texture = (x: number, y: number) => (x * 37 + y * 91 + ((x * y) % 13) * 11) % 200;

describe('psnr', () => {
  it('is 10·log10(255²/MSE): a uniform offset of 10 gives 28.1308 dB', () => {
    const a = image(16, 16, texture);
    const b = image(16, 16, (x, y) => texture(x, y) + 10);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(65025 / 100), 10);
    expect(psnr(a, b)).toBeCloseTo(28.1308, 4);
  });

  it('ignores alpha and is infinite for identical images', () => {
    const a = image(8, 8, texture);
    const b = { ...a, data: a.data.map((v, i) => (i % 4 === 3 ? 0 : v)) };
    expect(psnr(a, b)).toBe(Infinity);
  });

  it('refuses images of different sizes', () => {
    expect(() => psnr(image(8, 8, texture), image(8, 9, texture))).toThrow(/one size/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = image(32, 24, texture);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
  });

  it('equals (2ab + C1)/(a² + b² + C1) for two flat images (C1 = (0.01·255)²)', () => {
    const c1 = (0.01 * 255) ** 2;
    const expected = (2 * 100 * 140 + c1) / (100 * 100 + 140 * 140 + c1);
    expect(
      ssim(
        image(20, 20, () => 100),
        image(20, 20, () => 140),
      ),
    ).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(0.945958, 6);
  });

  it('is close to (C2 - 2σ²)/(2σ² + C2) for a checkerboard against its inverse (σxy = -σ², σ² ≈ 100)', () => {
    const a = image(24, 24, (x, y) => ((x + y) % 2 === 0 ? 90 : 110));
    const b = image(24, 24, (x, y) => ((x + y) % 2 === 0 ? 110 : 90));
    const c2 = (0.03 * 255) ** 2;
    expect(ssim(a, b)).toBeCloseTo((c2 - 200) / (200 + c2), 2);
  });

  it('drops as noise grows', () => {
    const a = image(32, 32, texture);
    const slight = image(32, 32, (x, y) => texture(x, y) + ((x * 7 + y) % 3) - 1);
    const heavy = image(32, 32, (x, y) => texture(x, y) + ((x * 7 + y * 3) % 41) - 20);
    expect(ssim(a, slight)).toBeGreaterThan(ssim(a, heavy));
    expect(ssim(a, slight)).toBeLessThan(1);
  });

  it('refuses images smaller than the 11x11 window', () => {
    expect(() => ssim(image(10, 10, texture), image(10, 10, texture))).toThrow(/11x11/);
  });
});

describe('differenceImage', () => {
  it('multiplies the absolute difference by the gain and clamps', () => {
    const a = image(2, 1, () => 100);
    const b = image(2, 1, (x) => (x === 0 ? 103 : 0));
    const diff = differenceImage(a, b, 4);
    expect([...diff.data]).toEqual([12, 12, 12, 255, 255, 255, 255, 255]);
  });
});
