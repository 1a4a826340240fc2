// The studio's pipelines over a ModelSetRuntime: class-conditional generation (PyTorch-seeded noise →
// rectified-flow sampling on the runtime's latents → decoder) and reconstruction (encoders → aligned
// latent → decoder). Pure orchestration: the networks run in the runtime, the arithmetic in engine modules.
import { fromModelOutput, resizeAndCenterCrop, toModelInput, type RgbaImage } from '../formats/pixels';
import { InvalidSettingError, ModelIoMismatchError } from '../errors';
import {
  assembleLatent,
  destandardize,
  matchDistribution,
  meanResidual,
  nchwToTokens,
  standardize,
  tokensToNchw,
  zeroResidual,
} from '../latent/latents';
import { validateSamplerSettings, type ModelSetManifest } from '../model-set';
import { TorchGenerator } from '../rng/torch-randn';
import { parseGuidanceSchedule } from '../schedulers/guidance';
import { nonFiniteLatent, sampleFlow } from '../schedulers/sampler';
import { editStartStep, followSourceInRegion, noisedLatent } from '../schedulers/start';
import { timeGrid } from '../schedulers/time-grid';
import type { ModelSetRuntime, NetworkCallOptions } from '../api/runtime-contract';
import type {
  CallOptions,
  DecodeLatentsRequest,
  DecodeLatentsResult,
  DinoOnlyMode,
  EncodeImagesRequest,
  EncodeImagesResult,
  GenerateRequest,
  GenerateResult,
  OpeningProgress,
  ReconstructRequest,
  ReconstructResult,
  StepProgressEvent,
} from '../api/studio-engine';
import { cpuTensor, firstNonFinite, type CpuTensor } from '../latent/tensor';
import { concatTypedArrays } from '../latent/typed-arrays';
import { yieldToEventLoop } from '../yield';

/** How each "DINO only" mode rewrites the residual channels of a raw latent [B, C, h, w]. */
const DINO_ONLY: Record<DinoOnlyMode, (latent: CpuTensor, manifest: ModelSetManifest) => CpuTensor> = {
  zero: (latent, manifest) => zeroResidual(latent, manifest.latent.dinoChannels),
  mean: (latent, manifest) => meanResidual(latent, manifest.latent.dinoChannels, manifest.latent.mean),
};

/**
 * Standardised tokens [B,N,C] → images, through destandardisation, NCHW layout and the decoder;
 * `dinoOnly` first drops the residual channels' information (see DinoOnlyMode); `options` go to the decoder's
 * call (a reopen under a tight budget).
 */
async function decodeTokens<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  tokens: CpuTensor,
  options: NetworkCallOptions,
  dinoOnly: DinoOnlyMode | false = false,
): Promise<RgbaImage[]> {
  const [gridH, gridW] = manifest.latent.grid;
  const raw = destandardize(tokens, manifest.latent.mean, manifest.latent.std);
  const latent = tokensToNchw(raw, gridH, gridW);
  const image = await runtime.decode(dinoOnly ? DINO_ONLY[dinoOnly](latent, manifest) : latent, options);
  return Array.from({ length: image.dims[0] ?? 0 }, (_, index) => fromModelOutput(image, index));
}

/** Stacks per-image encoder inputs [1, 3, H, W] into one batch [B, 3, H, W]. */
function stackBatch(items: readonly CpuTensor[]): CpuTensor {
  const [, channels, height, width] = items[0]!.dims as [number, number, number, number];
  return cpuTensor(concatTypedArrays(items.map((item) => item.data)), [
    items.length,
    channels,
    height,
    width,
  ]);
}

/**
 * The sampler's start for a request: step 0 from the noise, or (SDEdit) the source latent noised to the
 * first grid time at or after 1 - strength; with keepTokens, a hook that puts the kept tokens back on the
 * source's trajectory (same noise) after every step. See schedulers/start.ts.
 */
function editStart<T>(
  runtime: ModelSetRuntime<T>,
  request: GenerateRequest,
  noise: CpuTensor,
): { startStep: number; start: CpuTensor; afterStep?: (z: T, step: number, tNext: number) => Promise<T> } {
  const init = request.start?.init;
  const keep = request.start?.keepTokens;
  if (!init) {
    if (keep) throw new InvalidSettingError('a region edit needs a source latent (start.init)');
    return { startStep: 0, start: noise };
  }
  const channels = noise.dims[2] ?? 1;
  const grid = timeGrid(request.steps, request.shift);
  const startStep = editStartStep(grid, init.strength);
  const start = cpuTensor(noisedLatent(init.latentTokens, noise.data, grid[startStep] as number), noise.dims);
  if (!keep) return { startStep, start };
  return {
    startStep,
    start,
    afterStep: async (z, _step, tNext) => {
      const current = await runtime.download(z);
      const kept = followSourceInRegion(current.data, init.latentTokens, noise.data, tNext, keep, channels);
      return runtime.upload(cpuTensor(kept, noise.dims));
    },
  };
}

/** The class label of every batch row [batch]: rowClassIds when given (checked), else classId. */
function rowLabels(manifest: ModelSetManifest, request: GenerateRequest): number[] {
  const rows = request.rowClassIds;
  if (!rows) return new Array<number>(request.batch).fill(request.classId);
  if (rows.length !== request.batch)
    throw new InvalidSettingError(`rowClassIds has ${rows.length} entries for a batch of ${request.batch}`);
  const bad = rows.find((id) => !(Number.isInteger(id) && id >= 0 && id < manifest.classes.count));
  if (bad !== undefined)
    throw new InvalidSettingError(
      `rowClassIds: class ${bad} is not an id in 0..${manifest.classes.count - 1}`,
    );
  return [...rows];
}

export async function generateImages<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: GenerateRequest,
  options: CallOptions<StepProgressEvent | OpeningProgress> = {},
): Promise<GenerateResult> {
  validateSamplerSettings(manifest, request);
  const started = performance.now();
  const [gridH, gridW] = manifest.latent.grid;
  const dims = [request.batch, gridH * gridW, manifest.latent.channels];
  // The official sampler draws torch.randn(n, tokens, channels) right after torch.manual_seed(seed).
  const noise = cpuTensor(request.start?.noiseTokens ?? new TorchGenerator(request.seed).randn(dims), dims);
  const { startStep, start, afterStep } = editStart(runtime, request, noise);
  const guidance =
    request.guidanceSchedule === 'none'
      ? null
      : { scale: request.guidanceScale, schedule: parseGuidanceSchedule(request.guidanceSchedule) };

  const z0 = await runtime.upload(start);
  let final: T;
  try {
    final = await sampleFlow<T>({
      noise: z0,
      startStep,
      ...(afterStep ? { afterStep } : {}),
      steps: request.steps,
      solver: request.sampler,
      shift: request.shift,
      labels: rowLabels(manifest, request),
      nullId: manifest.classes.nullId,
      guidance,
      math: runtime.math,
      // Yield before each forward so a cancel message reaches the worker within one step.
      model: async (z, t, labels) => {
        await yieldToEventLoop();
        return runtime.velocity(z, t, labels, options);
      },
      previewEvery: request.previewEvery,
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: async (event) => {
        // On a GPU the step's calls return once work is queued: time the work the GPU has completed.
        await runtime.math.settled?.();
        let previews: RgbaImage[] | undefined;
        if (event.cleanEstimate) {
          const clean = await runtime.download(event.cleanEstimate);
          // a GPU runtime's latents are first read here: a diverged run stops at this step
          if (firstNonFinite(clean.data) >= 0)
            throw nonFiniteLatent(event.stepIndex + 1, event.steps, ' (seen in the preview estimate)');
          previews = await decodeTokens(runtime, manifest, clean, options);
        }
        options.onProgress?.({
          kind: 'step',
          step: event.stepIndex + 1,
          steps: event.steps,
          t: event.tNext,
          elapsedMs: performance.now() - started,
          ...(previews ? { previews } : {}),
        });
      },
    });
  } finally {
    runtime.math.release(z0);
  }
  const samplingMs = performance.now() - started;
  const tokens = await runtime.download(final);
  runtime.math.release(final);
  // The CPU path checked every step; a GPU-resident latent is checked here, once it is on the CPU.
  if (firstNonFinite(tokens.data) >= 0)
    throw nonFiniteLatent(request.steps, request.steps, ' (seen when the result was read back)');
  const images = await decodeTokens(runtime, manifest, tokens, options);
  const totalMs = performance.now() - started;
  return {
    images,
    latentTokens: tokens.data,
    latentDims: tokens.dims,
    execution: runtime.execution,
    timings: { samplingMs, decodeMs: totalMs - samplingMs, totalMs },
  };
}

/**
 * Images → model-resolution crops, DINO tokens [B,N,D], aligned residual [B,R,N] and standardised latent
 * tokens [B,N,C]. The batch is encoded together, so each image's residual depends on the others.
 */
export async function encodeImages<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: EncodeImagesRequest,
  options: CallOptions<OpeningProgress> = {},
): Promise<EncodeImagesResult> {
  if (request.images.length === 0) throw new ModelIoMismatchError('encodeImages needs at least one image');
  const started = performance.now();
  const inputs = request.images.map((image) => resizeAndCenterCrop(image, manifest.image.resolution));
  const pixels = stackBatch(inputs.map((input) => toModelInput(input, manifest.image.normalization)));
  const patchTokens = await runtime.encodeDino(pixels, options);
  const residual = await runtime.encodeResidual(pixels, options);
  const eps = manifest.latent.alignmentEps;
  const latent = assembleLatent(patchTokens, residual, eps, manifest.latent.grid);
  const tokens = standardize(nchwToTokens(latent), manifest.latent.mean, manifest.latent.std);
  const aligned = matchDistribution(patchTokens, residual, eps);
  return {
    inputs,
    latentTokens: tokens.data,
    latentDims: tokens.dims,
    dinoTokens: patchTokens.data,
    dinoDims: patchTokens.dims,
    residual: aligned.data,
    residualDims: aligned.dims,
    timings: { encodeMs: performance.now() - started },
  };
}

/** Standardised latent tokens [B,N,C] → images, optionally without the residual branch. */
export async function decodeLatents<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: DecodeLatentsRequest,
  options: CallOptions<OpeningProgress> = {},
): Promise<DecodeLatentsResult> {
  const started = performance.now();
  const tokens = cpuTensor(request.latentTokens, request.latentDims);
  const images = await decodeTokens(runtime, manifest, tokens, options, request.dinoOnly ?? false);
  return { images, timings: { decodeMs: performance.now() - started } };
}

/** One image through encodeImages and decodeLatents (a batch of one, as the CLI's reconstruct). */
export async function reconstructImage<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: ReconstructRequest,
  options: CallOptions<OpeningProgress> = {},
): Promise<ReconstructResult> {
  const encoded = await encodeImages(runtime, manifest, { images: [request.image] }, options);
  const decoded = await decodeLatents(runtime, manifest, encoded, options);
  return {
    input: encoded.inputs[0]!,
    reconstruction: decoded.images[0]!,
    timings: { encodeMs: encoded.timings.encodeMs, decodeMs: decoded.timings.decodeMs },
  };
}
