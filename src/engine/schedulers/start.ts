// Sampling that does not start from pure noise at t = 0: SDEdit (an encoded image moved back to a time
// t0 with seeded noise, then integrated to t = 1) and the region edit of the paper's Fig. 6 (tokens
// outside the edited region follow the source image's noised trajectory after every step). Pure CPU
// arithmetic on flat arrays; the sampler (sampler.ts) only sees a start index and an after-step hook.
// Time convention of the reference: t = 0 is noise, t = 1 is data, z_t = t x1 + (1 - t) noise.
import { InvalidSettingError } from '../errors';

/**
 * The grid index to start from for an edit of the given strength (0 = keep the image, 1 = pure noise).
 * The target time is t0 = 1 - strength; we start at the first point of the full shifted grid
 * t_0 … t_S at or after t0 and run only the remaining steps, so the steps taken are exactly those a full
 * run takes there (the grid is truncated, not re-spaced). strength 0 gives S (no step at all).
 */
export function editStartStep(grid: Float32Array, strength: number): number {
  if (!(strength >= 0 && strength <= 1))
    throw new InvalidSettingError(`strength must be between 0 and 1, got ${strength}`);
  const t0 = Math.fround(1 - strength);
  const index = grid.findIndex((t) => t >= t0);
  return index < 0 ? grid.length - 1 : index;
}

/** z_t = t x1 + (1 - t) noise, element-wise over equal-length arrays (x1 may be one sample, repeated). */
export function noisedLatent(x1: Float32Array, noise: Float32Array, t: number): Float32Array {
  if (noise.length % x1.length !== 0)
    throw new InvalidSettingError(
      `source latent of ${x1.length} values does not tile a noise batch of ${noise.length} values`,
    );
  const f = Math.fround;
  const a = f(t);
  const b = f(1 - t);
  return Float32Array.from(noise, (n, i) => f(f(a * (x1[i % x1.length] as number)) + f(b * n)));
}

export type KeepRegion = 'inside' | 'outside';

/** A box in fractions of the image: x, y of the top-left corner, width and height, all in [0, 1]. */
export interface RegionBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The token mask [N] (row-major over the latent grid [gridH, gridW]) of tokens that follow the source:
 * 1 = keep (take the source trajectory), 0 = free (sampled). A token is inside the box when its cell's
 * centre is; `keep` says whether the kept tokens are those inside or outside the box.
 */
export function boxKeepMask(box: RegionBox, gridH: number, gridW: number, keep: KeepRegion): Uint8Array {
  const values = [box.x, box.y, box.width, box.height];
  if (!values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) || box.width === 0 || box.height === 0)
    throw new InvalidSettingError(
      `region box must lie inside the image with a non-zero size (got x ${box.x}, y ${box.y}, width ${box.width}, height ${box.height})`,
    );
  const mask = new Uint8Array(gridH * gridW);
  for (let row = 0; row < gridH; row++) {
    for (let column = 0; column < gridW; column++) {
      const cx = (column + 0.5) / gridW;
      const cy = (row + 0.5) / gridH;
      const inside = cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height;
      mask[row * gridW + column] = inside === (keep === 'inside') ? 1 : 0;
    }
  }
  return mask;
}

/**
 * z [B, N, C] with every kept token (keep[n] = 1) replaced by the source's value at time t, i.e.
 * t x1 + (1 - t) noise with the same noise the run started from (x1 [N, C] or [B, N, C]). Returns a new
 * array; z is not modified.
 */
export function followSourceInRegion(
  z: Float32Array,
  x1: Float32Array,
  noise: Float32Array,
  t: number,
  keep: Uint8Array,
  channels: number,
): Float32Array {
  if (z.length !== noise.length || z.length % (keep.length * channels) !== 0)
    throw new InvalidSettingError(
      `region mask of ${keep.length} tokens x ${channels} channels does not fit a latent of ${z.length} values`,
    );
  const source = noisedLatent(x1, noise, t);
  const out = Float32Array.from(z);
  for (let i = 0; i < out.length; i++) {
    if (keep[Math.floor(i / channels) % keep.length]) out[i] = source[i] as number;
  }
  return out;
}
