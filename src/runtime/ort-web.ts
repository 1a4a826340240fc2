// The only module that imports onnxruntime-web. Loads a model set on the provider the capability plan
// chose and falls back through the later rows of BROWSER_PROVIDERS (src/engine/providers.ts) as its
// LEAVES_PROVIDER_WHEN rules say, saying why; reports what ran; keeps DiT outputs on the GPU (`gpu-buffer`) so the sampler's state never
// leaves the device between steps. Per provider it needs one row in ORT_BUILDS and one in BINDINGS.
//
// The ORT build is picked by the provider that will run (ORT_BUILDS) and imported on demand, so the WASM
// path never fetches or compiles the 26.8 MB WebGPU (asyncify) binary; `prepareWebRuntime` starts the
// fetch and compile early (the worker calls it as soon as the provider is known, before the model files).
import type * as OrtWeb from 'onnxruntime-web';
import type { SessionPlan } from '../engine/capabilities';
import type { ModelSetManifest } from '../engine/model-set';
import type { ExecutionInfo, ModelSetRuntime } from '../engine/api/runtime-contract';
import type { LoadProgressEvent } from '../engine/api/studio-engine';
import type { CpuTensor } from '../engine/latent/tensor';
import { startCheckingRuntimeFiles } from './ort-assets';
import { ortRuntimeUrl } from './ort-location';
import { cpuTensorBinding, loadModelSet, type ModelFileReader, type TensorBinding } from './session-set';
import { WebGpuLatentMath, type GpuLatent } from './webgpu-latent-math';
import { describeError } from '../engine/api/describe-error';
import { RuntimeFailureError } from '../engine/errors';
import {
  LEAVES_PROVIDER_WHEN,
  nextProvider,
  providerSpec,
  type AdapterFacts,
  type BrowserProvider,
  type ProviderPreference,
} from '../engine/providers';

/** Both builds expose the same API (onnxruntime-common); only their WebAssembly binary differs. */
type Ort = typeof OrtWeb;
/** A provider of BROWSER_PROVIDERS; every table below has one row per provider (TypeScript checks). */
export type WebProvider = BrowserProvider;

/**
 * The onnxruntime-web entry each provider loads (vite.config.ts copies each entry's runtime files to ort/):
 * - wasm: the plain SIMD-threaded build, ort-wasm-simd-threaded.{mjs,wasm} (14.2 MB);
 * - webgpu: the asyncify build with the WebGPU EP, ort-wasm-simd-threaded.asyncify.{mjs,wasm} (26.8 MB);
 *   it also runs the WASM EP, so a WebGPU load that falls back to WASM needs no second build.
 */
const ORT_BUILDS: Readonly<Record<WebProvider, () => Promise<Ort>>> = {
  wasm: () => import('onnxruntime-web/wasm'),
  webgpu: () => import('onnxruntime-web/webgpu'),
};

/** Providers whose execution provider a build also carries, so falling back to them starts no second build. */
const BUILD_ALSO_RUNS: Readonly<Partial<Record<WebProvider, readonly WebProvider[]>>> = {
  webgpu: ['wasm'],
};

/**
 * A 70-byte ONNX graph (y = Identity(x), float [1], opset 13). Creating a session on it makes ORT fetch,
 * compile and instantiate its WebAssembly and start its threads, while the model files still download.
 */
const IDENTITY_GRAPH = Uint8Array.from(
  atob('CAgSADo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ=='),
  (c) => c.charCodeAt(0),
);

const builds = new Map<WebProvider, Promise<Ort>>();

/**
 * The ORT build for a provider, imported, configured and initialised once per worker. Safe to call early
 * and more than once; a failed start is forgotten, so the next load tries again.
 */
export function prepareWebRuntime(provider: WebProvider): Promise<Ort> {
  let build = builds.get(provider);
  if (!build) {
    // ORT names no file when its own runtime files are missing: they are checked if it fails or stalls.
    build = startCheckingRuntimeFiles(provider, ortRuntimeUrl(), () =>
      ORT_BUILDS[provider]().then(async (ort) => {
        configureWasm(ort);
        const session = await ort.InferenceSession.create(IDENTITY_GRAPH, { executionProviders: ['wasm'] });
        await session.release();
        return ort;
      }),
    );
    build.catch(() => builds.delete(provider));
    builds.set(provider, build);
  }
  return build;
}

export type WebLatent = GpuLatent | CpuTensor;

/** What the browser's WebGPU adapter offers; read before choosing a provider or an fp16 variant. */
export type AdapterCapabilities = Omit<AdapterFacts, 'deviceMemoryGiB'>;

let adapterPromise: Promise<GPUAdapter | null> | undefined;

function requestAdapter(): Promise<GPUAdapter | null> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu)
    return Promise.resolve(null);
  adapterPromise ??= navigator.gpu.requestAdapter().catch(() => null);
  return adapterPromise;
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((part) => part);
  return parts.length ? parts.join(' / ') : 'unnamed WebGPU adapter';
}

export async function readAdapterCapabilities(): Promise<AdapterCapabilities> {
  const adapter = await requestAdapter();
  if (!adapter) {
    const reason =
      typeof navigator !== 'undefined' && 'gpu' in navigator
        ? 'navigator.gpu.requestAdapter() returned no adapter'
        : 'this browser has no WebGPU (navigator.gpu is missing)';
    return {
      webgpu: false,
      description: 'none',
      shaderF16: false,
      maxBufferSize: 0,
      maxStorageBufferBindingSize: 0,
      unavailableReason: reason,
    };
  }
  return {
    webgpu: true,
    description: describeAdapter(adapter),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    // A software adapter (SwiftShader) loses to WASM in Automatic mode (engine/capabilities.ts).
    isFallbackAdapter: adapter.info.isFallbackAdapter === true,
  };
}

function configureWasm(ort: Ort): void {
  // ORT's runtime files are served from <base>/ort/ (see vite.config.ts), never from a CDN.
  ort.env.wasm.wasmPaths = ortRuntimeUrl();
  // Multi-threaded WASM needs cross-origin isolation (COOP/COEP headers); otherwise one thread.
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  ort.env.wasm.numThreads = isolated ? Math.min(cores, 8) : 1;
}

const wasmBinding = (ort: Ort, reason: string): TensorBinding<CpuTensor> =>
  cpuTensorBinding(
    ort,
    { provider: 'wasm', adapter: `WebAssembly, ${ort.env.wasm.numThreads ?? 1} thread(s)`, reason },
    () => ({ executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
  );

function webGpuBinding(ort: Ort, adapter: GPUAdapter, reason: string): TensorBinding<WebLatent> {
  let math: WebGpuLatentMath | undefined;
  // ORT creates its GPUDevice with the first WebGPU session; our kernels must use that same device.
  const gpuMath = (): WebGpuLatentMath => {
    if (!math) throw new Error('WebGPU device is not ready before the first session is created');
    return math;
  };
  const asGpu = (latent: WebLatent): GpuLatent => {
    if (!('buffer' in latent)) throw new TypeError('expected a GPU latent');
    return latent;
  };
  const execution: ExecutionInfo = { provider: 'webgpu', adapter: describeAdapter(adapter), reason };
  return {
    execution,
    math: {
      linearCombination: (terms) =>
        gpuMath().linearCombination(terms.map(([c, x]) => [c, asGpu(x)] as const)),
      concatBatch: (parts) => gpuMath().concatBatch(parts.map(asGpu)),
      splitBatch: (latent, sizes) => gpuMath().splitBatch(asGpu(latent), sizes),
      // ORT's kernels and ours share one device queue: this waits for both (honest step times).
      settled: async () => (await ort.env.webgpu.device).queue.onSubmittedWorkDone(),
      release: (latent) => ('buffer' in latent ? latent.release() : undefined),
    },
    sessionOptions: (role) => ({
      executionProviders: ['webgpu'],
      graphOptimizationLevel: 'all',
      ...(role === 'dit' ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
    }),
    upload: async (tensor) => {
      math ??= new WebGpuLatentMath(await ort.env.webgpu.device);
      return math.upload(tensor);
    },
    download: async (latent) => ('buffer' in latent ? gpuMath().download(latent) : latent),
    asOrtTensor: (latent) => {
      const gpu = asGpu(latent);
      return ort.Tensor.fromGpuBuffer(gpu.buffer, { dataType: 'float32', dims: gpu.dims });
    },
    fromOrtTensor: (tensor) => ({
      buffer: tensor.gpuBuffer as GPUBuffer,
      dims: tensor.dims,
      release: () => tensor.dispose(),
    }),
    dispose: () => {},
  };
}

/** How latents live on each provider, given its started build; `reason` is what the user is told ran. */
const BINDINGS: Readonly<
  Record<WebProvider, (ort: Ort, reason: string) => Promise<TensorBinding<WebLatent>>>
> = {
  wasm: async (ort, reason) => wasmBinding(ort, reason),
  webgpu: async (ort, reason) => {
    const adapter = await requestAdapter();
    // unreachable after the availability check, which read the same (cached) adapter
    if (!adapter) throw new RuntimeFailureError('WebGPU: the adapter is no longer available');
    ort.env.webgpu.adapter = adapter;
    return webGpuBinding(ort, adapter, reason);
  },
};

export interface WebLoadOptions {
  readonly manifest: ModelSetManifest;
  /** Variants and session budget per provider (sessionPlans of the capability plan); float32 where absent. */
  readonly sessions?: Partial<Record<WebProvider, SessionPlan>>;
  /** The provider the plan chose, tried first, and why (the plan's first sentence: the execution reason). */
  readonly provider: WebProvider;
  readonly reason: string;
  /** Which fallbacks apply (LEAVES_PROVIDER_WHEN): an explicit choice fails loudly unless it cannot run here. */
  readonly preference: ProviderPreference;
  readonly readFile: ModelFileReader;
  readonly onProgress?: (progress: LoadProgressEvent) => void;
  /** See LoadOptions.describeProgress (src/runtime/session-set.ts). */
  readonly describeProgress?: (progress: LoadProgressEvent) => LoadProgressEvent;
}

/**
 * Loads a model set on the plan's provider. Every preference falls back to the next row of BROWSER_PROVIDERS
 * when a provider cannot run here; only Automatic does when its load fails (an explicit choice fails
 * instead, with the error): LEAVES_PROVIDER_WHEN. The execution reason says why. A fallback reuses the started build when that build carries the next provider too.
 */
export async function loadWebModelSet(options: WebLoadOptions): Promise<ModelSetRuntime<WebLatent>> {
  const base = {
    manifest: options.manifest,
    readFile: options.readFile,
    onProgress: options.onProgress,
    describeProgress: options.describeProgress,
  };
  const facts = await readAdapterCapabilities();
  let provider: WebProvider = options.provider;
  let reason = options.reason;
  let started: { readonly provider: WebProvider; readonly ort: Ort } | undefined;
  for (;;) {
    const { label } = providerSpec(provider);
    const next = nextProvider(provider);
    const fallBack = (why: string) => {
      reason = `fell back to ${providerSpec(next as WebProvider).label}: ${why}`;
      provider = next as WebProvider;
    };
    const missing = providerSpec(provider).unavailable(facts);
    if (missing !== undefined) {
      if (!next || !LEAVES_PROVIDER_WHEN.unavailable(options.preference)) {
        throw new RuntimeFailureError(`${label} was selected but ${missing}`);
      }
      fallBack(missing);
      continue;
    }
    // `started` stays the build's own provider, which says what else that build runs.
    if (!started || !BUILD_ALSO_RUNS[started.provider]?.includes(provider)) {
      started = { provider, ort: await prepareWebRuntime(provider) };
    }
    const { ort } = started;
    try {
      const binding = await BINDINGS[provider](ort, reason);
      return await loadModelSet(ort, binding, { ...base, ...options.sessions?.[provider] });
    } catch (error) {
      if (!next || !LEAVES_PROVIDER_WHEN.failed(options.preference)) throw error;
      fallBack(`${label} failed (${describeError(error)})`);
    }
  }
}
