// The studio's pipelines over a ModelSetRuntime: class-conditional generation (PyTorch-seeded noise →
// rectified-flow sampling on the runtime's latents → decoder) and reconstruction (encoders → aligned
// latent → decoder). Pure orchestration: the networks run in the runtime, the arithmetic in engine modules.
import { fromModelOutput, resizeAndCenterCrop, toModelInput, type RgbaImage } from './image';
import { assembleLatent, destandardize, tokensToNchw } from './latents';
import { validateSamplerSettings, type ModelSetManifest } from './manifest';
import { TorchGenerator } from './rng/torch-randn';
import { parseGuidanceSchedule } from './schedulers/guidance';
import { sampleFlow } from './schedulers/sampler';
import type { ModelSetRuntime } from './runtime-contract';
import type {
  CallOptions,
  GenerateRequest,
  GenerateResult,
  ReconstructRequest,
  ReconstructResult,
  StepProgressEvent,
} from './studio-engine';
import { cpuTensor, type CpuTensor } from './tensor';
import { yieldToEventLoop } from './yield';

/** Standardised tokens [B,N,C] → images, through destandardisation, NCHW layout and the decoder. */
async function decodeTokens<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  tokens: CpuTensor,
): Promise<RgbaImage[]> {
  const [gridH, gridW] = manifest.latent.grid;
  const raw = destandardize(tokens, manifest.latent.mean, manifest.latent.std);
  const image = await runtime.decode(tokensToNchw(raw, gridH, gridW));
  return Array.from({ length: image.dims[0] ?? 0 }, (_, index) => fromModelOutput(image, index));
}

export async function generateImages<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: GenerateRequest,
  options: CallOptions<StepProgressEvent> = {},
): Promise<GenerateResult> {
  validateSamplerSettings(manifest, request);
  const started = performance.now();
  const [gridH, gridW] = manifest.latent.grid;
  const dims = [request.batch, gridH * gridW, manifest.latent.channels];
  // The official sampler draws torch.randn(n, tokens, channels) right after torch.manual_seed(seed).
  const noise = cpuTensor(new TorchGenerator(request.seed).randn(dims), dims);
  const guidance =
    request.guidanceSchedule === 'none'
      ? null
      : { scale: request.guidanceScale, schedule: parseGuidanceSchedule(request.guidanceSchedule) };

  const z0 = await runtime.upload(noise);
  let final: T;
  try {
    final = await sampleFlow<T>({
      noise: z0,
      steps: request.steps,
      solver: request.sampler,
      shift: request.shift,
      labels: new Array<number>(request.batch).fill(request.classId),
      nullId: manifest.classes.nullId,
      guidance,
      math: runtime.math,
      // Yield before each forward so a cancel message reaches the worker within one step.
      model: async (z, t, labels) => {
        await yieldToEventLoop();
        return runtime.velocity(z, t, labels);
      },
      previewEvery: request.previewEvery,
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: async (event) => {
        const previews = event.cleanEstimate
          ? await decodeTokens(runtime, manifest, await runtime.download(event.cleanEstimate))
          : undefined;
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
  const images = await decodeTokens(runtime, manifest, tokens);
  const totalMs = performance.now() - started;
  return {
    images,
    latentTokens: tokens.data,
    latentDims: tokens.dims,
    execution: runtime.execution,
    timings: { samplingMs, decodeMs: totalMs - samplingMs, totalMs },
  };
}

export async function reconstructImage<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: ReconstructRequest,
  _options: CallOptions<never> = {},
): Promise<ReconstructResult> {
  const started = performance.now();
  const input = resizeAndCenterCrop(request.image, manifest.image.resolution);
  const pixels = toModelInput(input, manifest.image.normalization);
  const [patchTokens, residual] = [await runtime.encodeDino(pixels), await runtime.encodeResidual(pixels)];
  const latent = assembleLatent(patchTokens, residual, manifest.latent.alignmentEps);
  const encoded = performance.now();
  const output = await runtime.decode(latent);
  return {
    input,
    reconstruction: fromModelOutput(output, 0),
    timings: { encodeMs: encoded - started, decodeMs: performance.now() - encoded },
  };
}
