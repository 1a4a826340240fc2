// Pixels in and out of the networks. RgbaImage has ImageData's shape without needing the DOM, so the same
// code runs in pages, workers and Node.
//  - In: the short side is scaled to the model resolution (area averaging when shrinking, bilinear when
//    enlarging, as the reference's albumentations SmallestMaxSize with INTER_AREA) and the centre square is
//    kept; then the reference's float32 chain p/127.5 - 1 → (x + 1)/2 → (x - mean)/std, i.e. effectively
//    p/255 followed by ImageNet normalisation.
//  - Out: decoder images in [-1, 1] become bytes as the official sample script saves them (torchvision
//    save_image with normalize=True, value_range=(-1, 1)): clamp, (x + 1)/2, ·255 + 0.5, truncate.
import { ImageDecodeError, ModelIoMismatchError } from '../errors';
import { cpuTensor, type CpuTensor } from '../latent/tensor';

const f = Math.fround;

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width · height · 4 bytes, RGBA, row-major. */
  readonly data: Uint8ClampedArray;
}

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Whether the buffer really is width·height RGBA pixels of positive integer size. */
export function isWellFormedRgba({ width, height, data }: RgbaImage): boolean {
  return (
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width >= 1 &&
    height >= 1 &&
    data.length === width * height * 4
  );
}

function checkImage(image: RgbaImage): void {
  if (!isWellFormedRgba(image)) {
    throw new ImageDecodeError(
      `not an RGBA image: ${image.width}x${image.height} with ${image.data.length} bytes`,
    );
  }
}

/** The centred square of side min(width, height) that resizeAndCenterCrop keeps. */
export function centerCropRect(width: number, height: number): { x: number; y: number; side: number } {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), side };
}

/** Area-weighted average of channel c over the source box [x0, x1) x [y0, y1). */
function boxAverage(image: RgbaImage, c: number, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  let weight = 0;
  for (let y = Math.floor(y0); y < y1; y++) {
    const wy = Math.min(y + 1, y1) - Math.max(y, y0);
    for (let x = Math.floor(x0); x < x1; x++) {
      const w = (Math.min(x + 1, x1) - Math.max(x, x0)) * wy;
      sum += (image.data[(y * image.width + x) * 4 + c] as number) * w;
      weight += w;
    }
  }
  return sum / weight;
}

/** Bilinear sample of channel c at source position (x, y) in pixel-centre coordinates, clamped to the box. */
function bilinear(
  image: RgbaImage,
  c: number,
  x: number,
  y: number,
  box: { x: number; y: number; side: number },
): number {
  const cx = Math.min(Math.max(x, box.x), box.x + box.side - 1);
  const cy = Math.min(Math.max(y, box.y), box.y + box.side - 1);
  const xa = Math.floor(cx);
  const ya = Math.floor(cy);
  const xb = Math.min(xa + 1, box.x + box.side - 1);
  const yb = Math.min(ya + 1, box.y + box.side - 1);
  const fx = cx - xa;
  const fy = cy - ya;
  const at = (px: number, py: number) => image.data[(py * image.width + px) * 4 + c] as number;
  return (
    (at(xa, ya) * (1 - fx) + at(xb, ya) * fx) * (1 - fy) + (at(xa, yb) * (1 - fx) + at(xb, yb) * fx) * fy
  );
}

/** Scales the short side to `size` and keeps the centred size x size square. */
export function resizeAndCenterCrop(image: RgbaImage, size: number): RgbaImage {
  checkImage(image);
  if (!Number.isInteger(size) || size < 1) throw new ModelIoMismatchError(`bad target size ${size}`);
  const box = centerCropRect(image.width, image.height);
  if (box.side === size && image.width === size && image.height === size) return image;
  const scale = box.side / size; // source pixels per output pixel
  const out = new Uint8ClampedArray(size * size * 4);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      for (let c = 0; c < 4; c++) {
        const value =
          scale > 1
            ? boxAverage(
                image,
                c,
                box.x + ox * scale,
                box.x + (ox + 1) * scale,
                box.y + oy * scale,
                box.y + (oy + 1) * scale,
              )
            : bilinear(image, c, box.x + (ox + 0.5) * scale - 0.5, box.y + (oy + 0.5) * scale - 0.5, box);
        out[(oy * size + ox) * 4 + c] = Math.round(value);
      }
    }
  }
  return { width: size, height: size, data: out };
}

/** RGBA bytes → encoder input [1, 3, H, W] in float32 (alpha ignored), in the reference's operation order. */
export function toModelInput(image: RgbaImage, normalization: Normalization): CpuTensor {
  checkImage(image);
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = f(normalization.mean[c] as number);
    const std = f(normalization.std[c] as number);
    for (let i = 0; i < plane; i++) {
      const signed = f((image.data[i * 4 + c] as number) / 127.5 - 1); // dataset: float64, stored as float32
      const unit = f(f(signed + 1) / 2); // encoder: (x + 1) / 2
      out[c * plane + i] = f(unit - mean) / std;
    }
  }
  return cpuTensor(out, [1, 3, image.height, image.width]);
}

/** Item `index` of a decoder output [B, 3, H, W] in [-1, 1] → opaque RGBA, as torchvision's save_image. */
export function fromModelOutput(output: CpuTensor, index: number): RgbaImage {
  const [batch, channels, height, width] = output.dims as [number, number, number, number];
  if (output.dims.length !== 4 || channels !== 3) {
    throw new ModelIoMismatchError(`decoder output must be [B, 3, H, W], got [${output.dims.join(', ')}]`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= batch)
    throw new RangeError(`image ${index} of a batch of ${batch}`);
  const plane = width * height;
  const base = index * 3 * plane;
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const x = Math.min(1, Math.max(-1, output.data[base + c * plane + i] as number)); // NaN ends up as 0
      const scaled = f(f(f(f(x + 1) / 2) * 255) + 0.5);
      data[i * 4 + c] = Math.trunc(Math.min(255, scaled));
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Images of equal size in a grid `columns` wide, laid out like torchvision's make_grid (2-pixel black
 * padding around and between the images; a single image is returned as it is).
 */
export function tileImages(images: readonly RgbaImage[], columns: number): RgbaImage {
  const first = images[0];
  if (!first) throw new RangeError('tileImages needs at least one image');
  for (const image of images) {
    checkImage(image);
    if (image.width !== first.width || image.height !== first.height)
      throw new RangeError('tileImages needs images of one size');
  }
  if (images.length === 1) return first;
  const padding = 2;
  const across = Math.max(1, Math.min(Math.floor(columns), images.length));
  const down = Math.ceil(images.length / across);
  const cellW = first.width + padding;
  const cellH = first.height + padding;
  const width = across * cellW + padding;
  const height = down * cellH + padding;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  images.forEach((image, k) => {
    const ox = (k % across) * cellW + padding;
    const oy = Math.floor(k / across) * cellH + padding;
    const row = image.width * 4;
    for (let y = 0; y < image.height; y++)
      data.set(image.data.subarray(y * row, (y + 1) * row), ((oy + y) * width + ox) * 4);
  });
  return { width, height, data };
}
