// Turns interpolation endpoints into decoded frames through the engine: latent endpoints (encoded images)
// are interpolated in the standardised latent space and decoded; noise endpoints (gallery results, seeds)
// are interpolated in noise space and each frame is sampled from its noise (paper Fig. 7-9).
import type { RgbaImage } from '../../engine/image';
import { interpolateGrid, interpolatePath, type InterpolationMethod } from '../../engine/interpolation';
import type { ModelSetManifest } from '../../engine/manifest';
import { TorchGenerator } from '../../engine/rng/torch-randn';
import type { GenerateRequest, StudioEngine } from '../../engine/studio-engine';

/** Frames decoded or sampled per engine call (keeps every batch within the sampler's limit). */
const CHUNK = 8;

export type EndpointSpace =
  /** standardised latent tokens [N*C] of an image: interpolate, then decode */
  | { readonly kind: 'latent'; readonly points: readonly Float32Array[] }
  /** starting noise [N*C] with the sampler settings of the run (class, steps, guidance…) */
  | {
      readonly kind: 'noise';
      readonly points: readonly Float32Array[];
      readonly settings: Omit<GenerateRequest, 'batch' | 'previewEvery' | 'start'>;
    };

/** The seed's starting noise of one batch item: torch.randn([batch, N, C]) from the seed, item `index`. */
export function seedNoise(
  manifest: ModelSetManifest,
  seed: number,
  batch: number,
  index: number,
): Float32Array {
  const [gridH, gridW] = manifest.latent.grid;
  const size = gridH * gridW * manifest.latent.channels;
  const all = new TorchGenerator(seed).randn([batch, gridH * gridW, manifest.latent.channels]);
  return all.slice(index * size, (index + 1) * size);
}

/** Stacked interpolated points [count, N*C]: a path of `frames` (two endpoints) or a frames² grid (four). */
export function interpolatedPoints(
  points: readonly Float32Array[],
  frames: number,
  method: InterpolationMethod,
): Float32Array {
  const [a, b, c, d] = points;
  if (a && b && c && d)
    return interpolateGrid({ topLeft: a, topRight: b, bottomLeft: c, bottomRight: d }, frames, method);
  return interpolatePath(a!, b!, frames, method);
}

export async function renderFrames(
  engine: StudioEngine,
  manifest: ModelSetManifest,
  space: EndpointSpace,
  frames: number,
  method: InterpolationMethod,
  onFrames?: (done: number, total: number) => void,
): Promise<RgbaImage[]> {
  const [gridH, gridW] = manifest.latent.grid;
  const tokens = gridH * gridW;
  const channels = manifest.latent.channels;
  const size = tokens * channels;
  const stacked = interpolatedPoints(space.points, frames, method);
  const total = stacked.length / size;
  const images: RgbaImage[] = [];
  for (let start = 0; start < total; start += CHUNK) {
    const count = Math.min(CHUNK, total - start);
    const chunk = stacked.slice(start * size, (start + count) * size);
    const dims = [count, tokens, channels];
    const result =
      space.kind === 'latent'
        ? await engine.decodeLatents({ latentTokens: chunk, latentDims: dims })
        : await engine.generate({
            ...space.settings,
            batch: count,
            previewEvery: 0,
            start: { noiseTokens: chunk },
          });
    images.push(...result.images);
    onFrames?.(images.length, total);
  }
  return images;
}
