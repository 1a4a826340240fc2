// Pixels in and out of the networks. RgbaImage is ImageData's shape without needing the DOM, so the same
// code runs in workers and in Node. Model inputs: resize the short side and centre-crop to the model's
// resolution, then x/255 (i.e. [-1,1] → [0,1]) and ImageNet normalisation. Outputs: [-1,1] → bytes as
// the official sampling script does, clamp(127.5·x + 128, 0, 255) truncated to uint8.
import { cpuTensor, type CpuTensor } from './tensor';

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width·height·4 bytes, RGBA, row-major. */
  readonly data: Uint8ClampedArray;
}

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Samples channel `c` of the source square [x0, x0+side)² onto a size×size grid. */
function resampleSquare(image: RgbaImage, x0: number, y0: number, side: number, size: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(size * size * 4);
  const scale = side / size;
  const at = (x: number, y: number, c: number) => image.data[(y * image.width + x) * 4 + c] as number;
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      for (let c = 0; c < 4; c++) {
        let value: number;
        if (scale > 1) {
          // Downscale: average over the source box this pixel covers (area filter, fractional edges).
          const sx0 = x0 + ox * scale;
          const sy0 = y0 + oy * scale;
          let sum = 0;
          let weight = 0;
          for (let y = Math.floor(sy0); y < Math.ceil(sy0 + scale); y++) {
            const wy = Math.min(y + 1, sy0 + scale) - Math.max(y, sy0);
            for (let x = Math.floor(sx0); x < Math.ceil(sx0 + scale); x++) {
              const wx = Math.min(x + 1, sx0 + scale) - Math.max(x, sx0);
              sum += at(Math.min(x, image.width - 1), Math.min(y, image.height - 1), c) * wx * wy;
              weight += wx * wy;
            }
          }
          value = sum / weight;
        } else {
          // Upscale: bilinear between pixel centres.
          const sx = Math.min(Math.max(x0 + (ox + 0.5) * scale - 0.5, x0), x0 + side - 1);
          const sy = Math.min(Math.max(y0 + (oy + 0.5) * scale - 0.5, y0), y0 + side - 1);
          const xa = Math.floor(sx);
          const ya = Math.floor(sy);
          const xb = Math.min(xa + 1, x0 + side - 1);
          const yb = Math.min(ya + 1, y0 + side - 1);
          const fx = sx - xa;
          const fy = sy - ya;
          value =
            (at(xa, ya, c) * (1 - fx) + at(xb, ya, c) * fx) * (1 - fy) + (at(xa, yb, c) * (1 - fx) + at(xb, yb, c) * fx) * fy;
        }
        out[(oy * size + ox) * 4 + c] = Math.round(value);
      }
    }
  }
  return out;
}

/** Scales the short side to `size` and centre-crops to size×size. */
export function resizeAndCenterCrop(image: RgbaImage, size: number): RgbaImage {
  const side = Math.min(image.width, image.height);
  const x0 = Math.floor((image.width - side) / 2);
  const y0 = Math.floor((image.height - side) / 2);
  if (side === size && image.width === size && image.height === size) return image;
  return { width: size, height: size, data: resampleSquare(image, x0, y0, side, size) };
}

/** The crop rectangle resizeAndCenterCrop takes from the source, for showing it to the user. */
export function centerCropRect(width: number, height: number): { x: number; y: number; side: number } {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side };
}

/** RGBA bytes → [1, 3, H, W] float32, (x/255 − mean) / std per channel (alpha ignored). */
export function toModelInput(image: RgbaImage, normalization: Normalization): CpuTensor {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = normalization.mean[c] as number;
    const std = normalization.std[c] as number;
    for (let i = 0; i < plane; i++) out[c * plane + i] = ((image.data[i * 4 + c] as number) / 255 - mean) / std;
  }
  return cpuTensor(out, [1, 3, image.height, image.width]);
}

/** Item `index` of a [B, 3, H, W] decoder output in [-1, 1] → opaque RGBA. */
export function fromModelOutput(output: CpuTensor, index: number): RgbaImage {
  const [, , height, width] = output.dims as [number, number, number, number];
  const plane = width * height;
  const base = index * 3 * plane;
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const value = 127.5 * (output.data[base + c * plane + i] as number) + 128;
      data[i * 4 + c] = Math.floor(Math.min(255, Math.max(0, value)));
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Lays images of equal size out in a grid, `columns` wide, with a 2-pixel gap. */
export function tileImages(images: readonly RgbaImage[], columns: number): RgbaImage {
  const first = images[0];
  if (!first) throw new RangeError('tileImages needs at least one image');
  if (images.length === 1) return first;
  const gap = 2;
  const rows = Math.ceil(images.length / columns);
  const width = columns * first.width + (columns - 1) * gap;
  const height = rows * first.height + (rows - 1) * gap;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  images.forEach((image, k) => {
    const ox = (k % columns) * (first.width + gap);
    const oy = Math.floor(k / columns) * (first.height + gap);
    for (let y = 0; y < image.height; y++) {
      data.set(image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4), ((oy + y) * width + ox) * 4);
    }
  });
  return { width, height, data };
}
