// Latent interpolation for the Interpolate view (paper Fig. 7-9): linear and spherical paths between two
// latents (standardised tokens [N, C], or starting noise [N, C]), the frame schedule, and a 2-D grid over
// four corners. Pure arithmetic on flat Float32Arrays; one endpoint pair is one sample.
import { InvalidSettingError } from '../errors';
import { LIMITS } from '../limits';

export type InterpolationMethod = 'linear' | 'spherical';

export const MIN_FRAMES = LIMITS.frames.min;
export const MAX_FRAMES = LIMITS.frames.max;

/**
 * Below this sin(θ) the two endpoints are treated as parallel (or anti-parallel) and slerp falls back
 * to lerp: the spherical weights sin((1-t)θ)/sin θ would divide by (almost) zero.
 */
export const PARALLEL_SIN_EPSILON = 1e-6;

function checkPair(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length)
    throw new InvalidSettingError(`interpolation endpoints differ in size (${a.length} vs ${b.length})`);
}

/** (1 - t) a + t b, element-wise. */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b);
  return Float32Array.from(a, (value, i) => (1 - t) * value + t * (b[i] as number));
}

/**
 * Spherical interpolation of one sample, flattened to one vector (all N*C values of a latent [N, C]
 * together, never per token): with θ the angle between a and b,
 *   slerp(a, b, t) = sin((1 - t) θ) / sin θ · a + sin(t θ) / sin θ · b.
 * Norms are not normalised away, so between two Gaussian noises of norm ≈ √(N·C) the path keeps that
 * norm (a linear path shrinks it towards the middle — the reason the paper slerps noise). When
 * sin θ < PARALLEL_SIN_EPSILON (parallel or anti-parallel endpoints, or a zero vector) it is lerp.
 * For a batch, call once per sample.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  const denominator = Math.sqrt(normA * normB);
  const cosine = denominator > 0 ? Math.max(-1, Math.min(1, dot / denominator)) : 1;
  const theta = Math.acos(cosine);
  const sinTheta = Math.sin(theta);
  if (sinTheta < PARALLEL_SIN_EPSILON) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * theta) / sinTheta;
  const wb = Math.sin(t * theta) / sinTheta;
  return Float32Array.from(a, (value, i) => wa * value + wb * (b[i] as number));
}

export const INTERPOLATE: Readonly<
  Record<InterpolationMethod, (a: Float32Array, b: Float32Array, t: number) => Float32Array>
> = { linear: lerp, spherical: slerp };

/** Frame times t_k = k / (frames - 1), k = 0 … frames - 1 (both endpoints included). */
export function frameTimes(frames: number): number[] {
  if (!Number.isInteger(frames) || frames < MIN_FRAMES || frames > MAX_FRAMES)
    throw new InvalidSettingError(
      `frames must be a whole number from ${MIN_FRAMES} to ${MAX_FRAMES}, got ${frames}`,
    );
  return Array.from({ length: frames }, (_, k) => k / (frames - 1));
}

/** The frames between two samples [N*C] stacked into one batch [frames, N*C]. */
export function interpolatePath(
  a: Float32Array,
  b: Float32Array,
  frames: number,
  method: InterpolationMethod,
): Float32Array {
  const out = new Float32Array(frames * a.length);
  frameTimes(frames).forEach((t, k) => out.set(INTERPOLATE[method](a, b, t), k * a.length));
  return out;
}

export interface GridCorners {
  readonly topLeft: Float32Array;
  readonly topRight: Float32Array;
  readonly bottomLeft: Float32Array;
  readonly bottomRight: Float32Array;
}

/**
 * A size x size grid over four corner samples [N*C], row-major into [size², N*C]: cell (r, c) first
 * interpolates along the top and bottom edges at u = c / (size - 1), then between those two at
 * v = r / (size - 1). With 'linear' this is bilinear interpolation; with 'spherical' each of the three
 * interpolations is a slerp.
 */
export function interpolateGrid(
  corners: GridCorners,
  size: number,
  method: InterpolationMethod,
): Float32Array {
  const times = frameTimes(size);
  const mix = INTERPOLATE[method];
  const length = corners.topLeft.length;
  const out = new Float32Array(size * size * length);
  const tops = times.map((u) => mix(corners.topLeft, corners.topRight, u));
  const bottoms = times.map((u) => mix(corners.bottomLeft, corners.bottomRight, u));
  times.forEach((v, row) =>
    times.forEach((_, column) =>
      out.set(mix(tops[column]!, bottoms[column]!, v), (row * size + column) * length),
    ),
  );
  return out;
}
