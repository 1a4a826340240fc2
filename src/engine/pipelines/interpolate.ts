// The interpolation pipeline (paper Fig. 7-9), framework-free so the page's store slice and the CLI run
// the same code: endpoints become points in the space they are interpolated in (image latents: the
// standardised latent space, then decoded; seeds and gallery results: their starting noise, then each
// frame is sampled), the path or four-corner grid is built, and the frames are rendered in chunks.
// Progress is reported per sampling step (noise space) or per decoded chunk (latent space), with an ETA
// from the time so far; the AbortSignal stops the run between engine calls and inside a sampling run.
import { SamplingCancelledError } from '../errors';
import { encodeGif } from '../formats/gif';
import { tileImages, type RgbaImage } from '../formats/pixels';
import { interpolateGrid, interpolatePath, type InterpolationMethod } from '../latent/interpolation';
import type { ModelSetManifest } from '../model-set';
import { encodePng } from '../formats/png';
import { TorchGenerator } from '../rng/torch-randn';
import { stepsOnly, type GenerateRequest, type StudioEngine } from '../api/studio-engine';

/** Frames decoded or sampled per engine call (keeps every batch within the sampler's limit). */
export const FRAMES_PER_CALL = 8;

/** The engine calls the pipeline makes: the page passes its worker client, the CLI its EngineService. */
export type InterpolationEngine = Pick<StudioEngine, 'encodeImages' | 'decodeLatents' | 'generate'>;

/** The sampler settings of a noise-space run (everything of a generation but batch, previews, start). */
export type NoiseSamplerSettings = Omit<GenerateRequest, 'batch' | 'previewEvery' | 'start'>;

/** A latent to use as it is (e.g. one stored in a PNG), or an image to encode. */
export type LatentEndpoint = RgbaImage | { readonly latentTokens: Float32Array };

export type InterpolationEndpoints =
  /** images (encoded one per call) or stored latents [N*C]: interpolate in latent space, then decode */
  | { readonly kind: 'images'; readonly items: readonly LatentEndpoint[] }
  /** starting noises [N*C] with the sampler settings of the run: interpolate, then sample each frame */
  | {
      readonly kind: 'noise';
      readonly points: readonly Float32Array[];
      readonly settings: NoiseSamplerSettings;
    };

export interface InterpolationRequest {
  /** two endpoints (a path) or four (a grid: top-left, top-right, bottom-left, bottom-right) */
  readonly endpoints: InterpolationEndpoints;
  /** frames of a path, or frames per side of a grid */
  readonly frames: number;
  /** one strip per method, in this order (the page's "compare" is both) */
  readonly methods: readonly InterpolationMethod[];
}

export interface InterpolationProgress {
  readonly stage: 'endpoints' | 'frames';
  /** the method whose frames are being rendered (absent while preparing endpoints) */
  readonly method?: InterpolationMethod;
  /** frames finished over all methods, and their total */
  readonly framesDone: number;
  readonly framesTotal: number;
  /** share of the whole run done, 0..1, counting sampling steps inside a chunk */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** estimated milliseconds left (null until some work is measured) */
  readonly etaMs: number | null;
}

export interface InterpolationStrip {
  readonly method: InterpolationMethod;
  readonly frames: readonly RgbaImage[];
}

export interface InterpolationResult {
  readonly strips: readonly InterpolationStrip[];
  /** grid side (grid mode) or frames per row of a strip image */
  readonly columns: number;
}

/** A path's PNG strip wraps at this many frames a row. */
const STRIP_ROW = 8;
/** How long each frame shows in the filmstrip player and the exported GIF / WebM. */
export const FRAME_DELAY_MS = 125;

/** The methods a run renders, by the choice the page and the CLI offer ("compare" is both). */
export const METHOD_CHOICES = {
  linear: ['linear'],
  spherical: ['spherical'],
  compare: ['linear', 'spherical'],
} as const satisfies Record<string, readonly InterpolationMethod[]>;
export type MethodChoice = keyof typeof METHOD_CHOICES;

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

/**
 * Seed endpoints: each seed's starting noise (as a batch of one, item 0) with the run's sampler
 * settings (the first seed is the run's seed; sampling from given noise does not draw from it).
 */
export function seedEndpoints(
  manifest: ModelSetManifest,
  seeds: readonly number[],
  settings: Omit<NoiseSamplerSettings, 'seed'>,
): InterpolationEndpoints {
  return {
    kind: 'noise',
    points: seeds.map((seed) => seedNoise(manifest, seed, 1, 0)),
    settings: { ...settings, seed: seeds[0] ?? 0 },
  };
}

/** Stacked interpolated points [count, N*C]: a path of `frames` (two endpoints) or a frames² grid (four). */
export function interpolatedPoints(
  points: readonly Float32Array[],
  frames: number,
  method: InterpolationMethod,
): Float32Array {
  const [a, b, c, d] = points;
  if (!a || !b) throw new RangeError(`interpolation needs two or four endpoints, got ${points.length}`);
  if (c && d)
    return interpolateGrid({ topLeft: a, topRight: b, bottomLeft: c, bottomRight: d }, frames, method);
  return interpolatePath(a, b, frames, method);
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SamplingCancelledError('interpolation cancelled');
}

/** One image per frame: the strips side by side when there are several (what GIF and WebM export). */
export function exportFrames(strips: readonly InterpolationStrip[]): RgbaImage[] {
  const [first] = strips;
  if (!first) return [];
  if (strips.length === 1) return [...first.frames];
  return first.frames.map((_, k) =>
    tileImages(
      strips.map((s) => s.frames[k]!),
      strips.length,
    ),
  );
}

export async function runInterpolation(
  engine: InterpolationEngine,
  manifest: ModelSetManifest,
  request: InterpolationRequest,
  options: {
    readonly signal?: AbortSignal;
    readonly onProgress?: (event: InterpolationProgress) => void;
  } = {},
): Promise<InterpolationResult> {
  const { signal, onProgress } = options;
  const started = performance.now();
  const { endpoints, frames, methods } = request;
  const count = endpoints.kind === 'images' ? endpoints.items.length : endpoints.points.length;
  if (count !== 2 && count !== 4)
    throw new RangeError(`interpolation needs two or four endpoints, got ${count}`);
  const grid = count === 4;
  const perMethod = grid ? frames * frames : frames;
  const framesTotal = perMethod * methods.length;
  const report = (
    stage: InterpolationProgress['stage'],
    framesDone: number,
    fraction: number,
    method?: InterpolationMethod,
  ) => {
    const elapsedMs = performance.now() - started;
    onProgress?.({
      stage,
      ...(method ? { method } : {}),
      framesDone,
      framesTotal,
      fraction,
      elapsedMs,
      etaMs: fraction > 0 ? (elapsedMs / fraction) * (1 - fraction) : null,
    });
  };

  report('endpoints', 0, 0);
  const points: Float32Array[] = [];
  if (endpoints.kind === 'images') {
    // Images are encoded one per call: the residual alignment uses batch statistics, so each is its own.
    for (const item of endpoints.items) {
      checkSignal(signal);
      points.push(
        'latentTokens' in item
          ? item.latentTokens
          : (await engine.encodeImages({ images: [item] }, { ...(signal ? { signal } : {}) })).latentTokens,
      );
    }
  } else points.push(...endpoints.points);

  const [gridH, gridW] = manifest.latent.grid;
  const tokens = gridH * gridW;
  const channels = manifest.latent.channels;
  const size = tokens * channels;
  const strips: InterpolationStrip[] = [];
  let framesDone = 0;
  for (const method of methods) {
    const stacked = interpolatedPoints(points, frames, method);
    const images: RgbaImage[] = [];
    for (let start = 0; start < perMethod; start += FRAMES_PER_CALL) {
      checkSignal(signal);
      const batch = Math.min(FRAMES_PER_CALL, perMethod - start);
      const chunk = stacked.slice(start * size, (start + batch) * size);
      const dims = [batch, tokens, channels];
      const result =
        endpoints.kind === 'images'
          ? await engine.decodeLatents(
              { latentTokens: chunk, latentDims: dims },
              { ...(signal ? { signal } : {}) },
            )
          : await engine.generate(
              { ...endpoints.settings, batch, previewEvery: 0, start: { noiseTokens: chunk } },
              {
                ...(signal ? { signal } : {}),
                // a sampling step of this chunk advances all its frames by 1/steps
                onProgress: stepsOnly((event) =>
                  report(
                    'frames',
                    framesDone,
                    (framesDone + (batch * event.step) / event.steps) / framesTotal,
                    method,
                  ),
                ),
              },
            );
      images.push(...result.images);
      framesDone += batch;
      report('frames', framesDone, framesDone / framesTotal, method);
    }
    strips.push({ method, frames: images });
  }
  return { strips, columns: grid ? frames : Math.min(frames, STRIP_ROW) };
}

/** The animated GIF of a run (what the page's Export GIF and `svg-studio interpolate --out x.gif` write). */
export function interpolationGif(result: InterpolationResult): Uint8Array {
  return encodeGif(exportFrames(result.strips), { delayMs: FRAME_DELAY_MS });
}

/** All frames tiled `columns` wide, torchvision make_grid style (Export PNG strip, `--out x.png`). */
export function interpolationPngStrip(result: InterpolationResult): Promise<Uint8Array> {
  return encodePng(tileImages(exportFrames(result.strips), result.columns));
}

/** The file name stem of a run's exports, e.g. interpolation-spherical-8f or interpolation-linear-grid3. */
export function interpolationBaseName(choice: MethodChoice, frames: number, grid: boolean): string {
  return `interpolation-${choice}-${grid ? `grid${frames}` : `${frames}f`}`;
}
