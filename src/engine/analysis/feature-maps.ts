// Pictures of DINO features for the inspector: PCA colours, cosine-similarity heat maps, the residual
// channels as small maps, and overlays of a token-grid map on the model-resolution image. Token grids are
// row-major [h, w] with N = h·w tokens; maps are RgbaImages at grid size until overlaid.
import { ModelIoMismatchError } from '../errors';
import type { RgbaImage } from '../formats/pixels';
import type { PcaResult } from './pca';

export type Grid = readonly [height: number, width: number];

/** Colour stops of the heat map (a perceptually ordered dark-to-bright ramp, inferno-like), [t, r, g, b]. */
const HEAT_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 0, 4],
  [0.25, 87, 16, 110],
  [0.5, 188, 55, 84],
  [0.75, 249, 142, 9],
  [1, 252, 255, 164],
];

/** t in [0, 1] (clamped) → heat-map colour [r, g, b]. */
export function heatColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const upper = HEAT_STOPS.findIndex(([stop]) => stop >= x);
  const hi = HEAT_STOPS[Math.max(1, upper)]!;
  const lo = HEAT_STOPS[Math.max(1, upper) - 1]!;
  const w = (x - lo[0]) / (hi[0] - lo[0]);
  return [1, 2, 3].map((c) => Math.round((lo[c] as number) * (1 - w) + (hi[c] as number) * w)) as [
    number,
    number,
    number,
  ];
}

function checkGrid(count: number, [height, width]: Grid): void {
  if (height * width !== count)
    throw new ModelIoMismatchError(`${count} tokens do not form a ${height}x${width} grid`);
}

/** Token `index` of tokens [N, D] as a vector [D]. */
export function tokenVector(tokens: Float32Array, dims: readonly number[], index: number): Float32Array {
  const [count, dim] = dims as [number, number];
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`token ${index} of ${count}`);
  return tokens.subarray(index * dim, (index + 1) * dim);
}

/** Cosine similarity of every token of [N, D] with `query` [D] → [N] in [-1, 1] (0 for zero vectors). */
export function cosineSimilarities(
  tokens: Float32Array,
  dims: readonly number[],
  query: Float32Array,
): Float32Array {
  const [count, dim] = dims as [number, number];
  if (dims.length !== 2 || count * dim !== tokens.length || query.length !== dim)
    throw new ModelIoMismatchError(
      `cosine similarity needs tokens [N, ${query.length}], got [${dims.join(', ')}]`,
    );
  let queryNorm = 0;
  for (const q of query) queryNorm += q * q;
  queryNorm = Math.sqrt(queryNorm);
  const out = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = tokens[n * dim + d] as number;
      dot += v * (query[d] as number);
      norm += v * v;
    }
    const denominator = Math.sqrt(norm) * queryNorm;
    out[n] = denominator === 0 ? 0 : dot / denominator;
  }
  return out;
}

/** Values [N] on a grid → heat-map image [h, w], `range` mapped to the ends of the ramp. */
export function heatMapImage(
  values: ArrayLike<number>,
  grid: Grid,
  range: readonly [number, number],
): RgbaImage {
  checkGrid(values.length, grid);
  const [lo, hi] = range;
  const span = hi - lo || 1;
  const data = new Uint8ClampedArray(values.length * 4);
  for (let n = 0; n < values.length; n++) {
    data.set([...heatColor(((values[n] as number) - lo) / span), 255], n * 4);
  }
  return { width: grid[1], height: grid[0], data };
}

/** [min, max] of the finite values. */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** First three PCA projections → RGB image [h, w], each component min-max scaled to 0..255. */
export function pcaImage(pca: PcaResult, grid: Grid): RgbaImage {
  checkGrid(pca.count, grid);
  const k = pca.projections.length / pca.count;
  if (k < 3) throw new ModelIoMismatchError(`PCA colours need 3 components, got ${k}`);
  const data = new Uint8ClampedArray(pca.count * 4);
  for (let c = 0; c < 3; c++) {
    const column = Float64Array.from({ length: pca.count }, (_, n) => pca.projections[n * k + c] as number);
    const [lo, hi] = valueRange(column);
    column.forEach((v, n) => (data[n * 4 + c] = Math.round(((v - lo) / (hi - lo || 1)) * 255)));
  }
  for (let n = 0; n < pca.count; n++) data[n * 4 + 3] = 255;
  return { width: grid[1], height: grid[0], data };
}

/** Channel maps of residual [B, R, N] for batch item `item`: one min-max-scaled heat map [h, w] per channel. */
export function residualChannelImages(
  residual: Float32Array,
  dims: readonly number[],
  item: number,
  grid: Grid,
): RgbaImage[] {
  const [batch, channels, count] = dims as [number, number, number];
  if (dims.length !== 3 || batch * channels * count !== residual.length)
    throw new ModelIoMismatchError(`residual must be [B, R, N], got [${dims.join(', ')}]`);
  if (item < 0 || item >= batch) throw new RangeError(`item ${item} of a batch of ${batch}`);
  return Array.from({ length: channels }, (_, c) => {
    const plane = residual.subarray((item * channels + c) * count, (item * channels + c + 1) * count);
    return heatMapImage(plane, grid, valueRange(plane));
  });
}

/** Blends a grid-size map over `base` (nearest upsampling, one block per token) with the map's `opacity`. */
export function overlay(base: RgbaImage, map: RgbaImage, opacity: number): RgbaImage {
  const data = new Uint8ClampedArray(base.data.length);
  const a = Math.min(1, Math.max(0, opacity));
  for (let y = 0; y < base.height; y++) {
    const my = Math.min(map.height - 1, Math.floor((y * map.height) / base.height));
    for (let x = 0; x < base.width; x++) {
      const mx = Math.min(map.width - 1, Math.floor((x * map.width) / base.width));
      const i = (y * base.width + x) * 4;
      const m = (my * map.width + mx) * 4;
      for (let c = 0; c < 3; c++)
        data[i + c] = (base.data[i + c] as number) * (1 - a) + (map.data[m + c] as number) * a;
      data[i + 3] = 255;
    }
  }
  return { width: base.width, height: base.height, data };
}

/** The token under a point (fractions 0..1 of the image's width and height). */
export function tokenAtPoint(fx: number, fy: number, [height, width]: Grid): number {
  const col = Math.min(width - 1, Math.max(0, Math.floor(fx * width)));
  const row = Math.min(height - 1, Math.max(0, Math.floor(fy * height)));
  return row * width + col;
}
