// Image-quality numbers the reconstruction lab shows, computed on the 8-bit images the user sees (not on
// model floats), plus the amplified difference image. Conventions:
//  - PSNR: over the R, G and B values of every pixel (alpha ignored), 10·log10(255² / MSE); Infinity when
//    the images are identical.
//  - SSIM: Wang, Bovik, Sheikh & Simoncelli (2004), on luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601),
//    Gaussian window 11x11 with σ = 1.5 (normalised to sum 1), K1 = 0.01, K2 = 0.03, L = 255, so
//    C1 = (K1·L)², C2 = (K2·L)²; local statistics over "valid" windows only (no padding), σ with the
//    biased (weighted) estimator, and the mean of the SSIM map over those windows.
import { ImageDecodeError } from '../errors';
import { isWellFormedRgba, type RgbaImage } from '../formats/pixels';

export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;
export const SSIM_L = 255;

function checkPair(a: RgbaImage, b: RgbaImage): void {
  if (!isWellFormedRgba(a) || !isWellFormedRgba(b))
    throw new ImageDecodeError('metrics need two well-formed RGBA images');
  if (a.width !== b.width || a.height !== b.height)
    throw new ImageDecodeError(
      `metrics need images of one size, got ${a.width}x${a.height} and ${b.width}x${b.height}`,
    );
}

/** Peak signal-to-noise ratio in dB over the RGB values (alpha ignored). */
export function psnr(a: RgbaImage, b: RgbaImage): number {
  checkPair(a, b);
  let squares = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (i % 4 === 3) continue;
    const d = (a.data[i] as number) - (b.data[i] as number);
    squares += d * d;
  }
  const mse = squares / ((a.data.length / 4) * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((SSIM_L * SSIM_L) / mse);
}

/** BT.601 luma plane [H·W] of an RGBA image. */
function luma(image: RgbaImage): Float64Array {
  const out = new Float64Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) {
    const r = image.data[i * 4] as number;
    const g = image.data[i * 4 + 1] as number;
    const b = image.data[i * 4 + 2] as number;
    out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return out;
}

/** The separable 1-D Gaussian of the SSIM window, summing to 1 [SSIM_WINDOW]. */
function gaussianKernel(): Float64Array {
  const half = (SSIM_WINDOW - 1) / 2;
  const kernel = Float64Array.from({ length: SSIM_WINDOW }, (_, i) =>
    Math.exp(-((i - half) ** 2) / (2 * SSIM_SIGMA * SSIM_SIGMA)),
  );
  const sum = kernel.reduce((s, v) => s + v, 0);
  return kernel.map((v) => v / sum);
}

/** "Valid" separable Gaussian filtering of a plane [H, W] → [H-10, W-10]. */
function filterValid(plane: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const outW = width - SSIM_WINDOW + 1;
  const outH = height - SSIM_WINDOW + 1;
  const rows = new Float64Array(height * outW);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (let k = 0; k < SSIM_WINDOW; k++)
        sum += (kernel[k] as number) * (plane[y * width + x + k] as number);
      rows[y * outW + x] = sum;
    }
  }
  const out = new Float64Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (let k = 0; k < SSIM_WINDOW; k++)
        sum += (kernel[k] as number) * (rows[(y + k) * outW + x] as number);
      out[y * outW + x] = sum;
    }
  }
  return out;
}

/** Mean structural similarity on luma (see the header for the window and constants). */
export function ssim(a: RgbaImage, b: RgbaImage): number {
  checkPair(a, b);
  const { width, height } = a;
  if (width < SSIM_WINDOW || height < SSIM_WINDOW)
    throw new ImageDecodeError(`SSIM needs images of at least ${SSIM_WINDOW}x${SSIM_WINDOW} pixels`);
  const x = luma(a);
  const y = luma(b);
  const product = (p: Float64Array, q: Float64Array) => p.map((v, i) => v * (q[i] as number));
  const kernel = gaussianKernel();
  const blur = (plane: Float64Array) => filterValid(plane, width, height, kernel);
  const [muX, muY, xx, yy, xy] = [x, y, product(x, x), product(y, y), product(x, y)].map(blur) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const c1 = (SSIM_K1 * SSIM_L) ** 2;
  const c2 = (SSIM_K2 * SSIM_L) ** 2;
  let total = 0;
  for (let i = 0; i < muX.length; i++) {
    const mx = muX[i] as number;
    const my = muY[i] as number;
    const varX = (xx[i] as number) - mx * mx;
    const varY = (yy[i] as number) - my * my;
    const cov = (xy[i] as number) - mx * my;
    total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (varX + varY + c2));
  }
  return total / muX.length;
}

/** |a - b|·gain per RGB channel, clamped to 255, opaque: the lab's difference view. */
export function differenceImage(a: RgbaImage, b: RgbaImage, gain: number): RgbaImage {
  checkPair(a, b);
  const data = new Uint8ClampedArray(a.data.length);
  for (let i = 0; i < data.length; i++) {
    data[i] = i % 4 === 3 ? 255 : Math.abs((a.data[i] as number) - (b.data[i] as number)) * gain;
  }
  return { width: a.width, height: a.height, data };
}
