// The one interface every front end talks to: the React studio (through a Web Worker, see
// src/worker), the CLI and the benchmarks (in-process in Node). Requests are plain data so they can
// cross postMessage; progress arrives through callbacks and cancellation through an AbortSignal.
import type { ModelSetManifest, NetworkRole, PrecisionId, VariantCheck } from '../model-set';
import type { BrowserProvider, ProviderPreference } from '../providers';
import type { ExecutionInfo, ResidencyReport } from './runtime-contract';

export type { NetworkResidency, ResidencyReport } from './runtime-contract';
/** networkResidency takes no arguments; the type exists for the worker protocol's method table. */
export type ResidencyRequest = Readonly<Record<string, never>>;
import type { RgbaImage } from '../formats/pixels';
import type { SolverName } from '../schedulers/solvers';
import type { WarmUpProgress, WarmUpRequest, WarmUpResult } from '../pipelines/warm-up';

export type { WarmUpProgress, WarmUpRequest, WarmUpResult } from '../pipelines/warm-up';

export type { BrowserProvider, ProviderPreference } from '../providers';
export type { SolverName } from '../schedulers/solvers';

/** A file of a model set picked or dropped by the user; `path` is relative to the set's folder. */
export interface LocalModelFile {
  readonly path: string;
  readonly data: Blob;
}

/** Where a model set comes from. Blobs are structured-cloneable, so every kind crosses postMessage. */
export type ModelSetSource =
  /** manifest.json by URL (browser); its files are resolved against it. */
  | { readonly kind: 'url'; readonly url: string }
  /** a folder holding manifest.json (Node). */
  | { readonly kind: 'directory'; readonly path: string }
  /** local files: one manifest.json plus the files it names (browser). */
  | { readonly kind: 'files'; readonly files: readonly LocalModelFile[] };

export interface LoadModelSetRequest {
  readonly source: ModelSetSource;
  readonly provider: ProviderPreference;
}

/** What happened to the browser's model cache during a load (absent where there is no cache: Node). */
export interface ModelCacheReport {
  /** 'stored': downloaded and cached; 'cached': every file came from the cache; 'uncached': not kept. */
  readonly status: 'stored' | 'cached' | 'partial' | 'uncached';
  /** Why something was not cached (quota exceeded, no Cache Storage, local files), for the user. */
  readonly note?: string;
}

export interface LoadedModelSet {
  readonly manifest: ModelSetManifest;
  readonly manifestSha256: string;
  readonly execution: ExecutionInfo;
  readonly cache?: ModelCacheReport;
}

/** The variant a network loads, as the model manager lists it. */
export interface PlannedNetwork {
  readonly role: NetworkRole;
  readonly precision: PrecisionId;
  readonly file: string;
  /** graph + external data */
  readonly downloadBytes: number;
  /** estimated memory of its open session */
  readonly sessionBytes: number;
  /** the exporter's figures against PyTorch float32 (manifest variants.<id>.check) */
  readonly check?: VariantCheck;
}

/** The capability decision made before any file is read (see engine/capabilities.ts). */
export interface LoadPlanSummary {
  /** adapter facts as read, e.g. "WebGPU: google / swiftshader; shader-f16: no; maxBufferSize 256 MiB" */
  readonly adapter: string;
  /** the provider the load tries first */
  readonly provider?: BrowserProvider;
  /** one sentence per decision: provider, variant per network, memory estimate */
  readonly explanation: readonly string[];
  /** set when an explicit provider choice cannot run here and another runs instead; the studio shows it */
  readonly providerNotice?: string;
  readonly estimatedBytes: number;
  /** all four networks' chosen files */
  readonly downloadBytes: number;
  /** what the set downloads before it is ready (the first task's networks; the rest on first use) */
  readonly firstTaskDownloadBytes?: number;
  /** budget of the open sessions when not all four fit at once */
  readonly memoryBudgetBytes?: number;
  readonly networks?: readonly PlannedNetwork[];
}

/**
 * The stages of a load progress event: 'plan': the capability decision (`plan` set, no file yet);
 * 'cache': bytes read from the browser cache; 'session': the file's session is being created; 'open':
 * it is open (a network's last event: the studio stops showing it as opening then, not when the task
 * that opened it ends).
 */
export const LOAD_STAGES = ['plan', 'download', 'cache', 'verify', 'session', 'open'] as const;

/**
 * A file read or a session opened: while a set loads (the load call's progress), and when a task opens a
 * network on first use after it (that task call's progress, with the same fields).
 */
export interface LoadProgressEvent {
  readonly kind: 'load';
  readonly file: string;
  /** the network the file belongs to (absent for the plan event) */
  readonly network?: NetworkRole;
  readonly stage: (typeof LOAD_STAGES)[number];
  readonly loadedBytes: number;
  readonly totalBytes: number;
  /** Bytes of the whole set read so far and in all, where the loader knows them. */
  readonly setLoadedBytes?: number;
  readonly setTotalBytes?: number;
  readonly plan?: LoadPlanSummary;
}

export interface GenerateRequest {
  readonly classId: number;
  readonly seed: number;
  readonly steps: number;
  readonly sampler: SolverName;
  readonly shift: number;
  readonly guidanceScale: number;
  /** Reference schedule string: a form of GUIDANCE_SCHEDULES (schedulers/guidance.ts), or "none". */
  readonly guidanceSchedule: string;
  readonly batch: number;
  /**
   * Optional class id per batch row [batch] instead of classId for every row (svg-studio sample runs
   * images of several classes in one call; each row's result is the same as alone).
   */
  readonly rowClassIds?: readonly number[];
  /** Decode a clean-image preview every k steps; 0 turns previews off. */
  readonly previewEvery: number;
  /** Optional: start other than the seed's pure noise (interpolation, SDEdit, region edit). */
  readonly start?: GenerateStart;
}

/** Where sampling starts; see src/engine/schedulers/start.ts for the time convention. */
export interface GenerateStart {
  /** Noise tokens [batch, N, C] used instead of torch.randn from the seed (noise-space interpolation). */
  readonly noiseTokens?: Float32Array;
  /**
   * SDEdit: standardised source latent [N, C] (shared by the batch) or [batch, N, C], noised to
   * t0 = 1 - strength with the run's noise; only the remaining steps of the shifted grid run.
   */
  readonly init?: { readonly latentTokens: Float32Array; readonly strength: number };
  /** Region edit (needs init): keep[n] = 1 marks tokens [N] that follow the source's noised trajectory. */
  readonly keepTokens?: Uint8Array;
}

export interface StepProgressEvent {
  readonly kind: 'step';
  readonly step: number;
  readonly steps: number;
  readonly t: number;
  readonly elapsedMs: number;
  /** Decoded clean-image estimates, one per batch item, when this step was previewed. */
  readonly previews?: readonly RgbaImage[];
}

export interface GenerateResult {
  readonly images: readonly RgbaImage[];
  /** Final standardised latent tokens [B, N, C] (the DiT's space), row-major. */
  readonly latentTokens: Float32Array;
  readonly latentDims: readonly number[];
  readonly execution: ExecutionInfo;
  readonly timings: { readonly samplingMs: number; readonly decodeMs: number; readonly totalMs: number };
}

export interface ReconstructRequest {
  readonly image: RgbaImage;
}

export interface ReconstructResult {
  /** The model-resolution input (resized and centre-cropped). */
  readonly input: RgbaImage;
  readonly reconstruction: RgbaImage;
  readonly timings: { readonly encodeMs: number; readonly decodeMs: number };
}

export interface EncodeImagesRequest {
  /** Encoded together: the residual alignment uses statistics of the whole batch. */
  readonly images: readonly RgbaImage[];
}

export interface EncodeImagesResult {
  /** The model-resolution inputs (resized and centre-cropped), one per image. */
  readonly inputs: readonly RgbaImage[];
  /** Standardised latent tokens [B, N, C] (the DiT's space), row-major. */
  readonly latentTokens: Float32Array;
  readonly latentDims: readonly number[];
  /** Raw DINO patch tokens [B, N, D]. */
  readonly dinoTokens: Float32Array;
  readonly dinoDims: readonly number[];
  /** Residual features aligned to the DINO statistics of this batch, [B, R, N]. */
  readonly residual: Float32Array;
  readonly residualDims: readonly number[];
  readonly timings: { readonly encodeMs: number };
}

/**
 * How "DINO features only" removes the residual branch's information before decoding: 'zero' sets the
 * raw residual channels to 0, 'mean' to their per-channel latent mean (manifest latent.mean).
 */
export type DinoOnlyMode = 'zero' | 'mean';

export interface DecodeLatentsRequest {
  /** Standardised latent tokens [B, N, C], row-major. */
  readonly latentTokens: Float32Array;
  readonly latentDims: readonly number[];
  readonly dinoOnly?: DinoOnlyMode | false;
}

export interface DecodeLatentsResult {
  readonly images: readonly RgbaImage[];
  readonly timings: { readonly decodeMs: number };
}

/** What a task reports while it opens a network it needs (downloading it first when not cached). */
export type OpeningProgress = LoadProgressEvent & { readonly network: NetworkRole };

/** A generate listener for its sampling steps alone (the opening events of its networks pass it by). */
export function stepsOnly(
  onStep: (event: StepProgressEvent) => void,
): (event: StepProgressEvent | OpeningProgress) => void {
  return (event) => {
    if (event.kind === 'step') onStep(event);
  };
}

export interface CallOptions<P> {
  readonly onProgress?: (event: P) => void;
  readonly signal?: AbortSignal;
}

export interface StudioEngine {
  loadModelSet(
    request: LoadModelSetRequest,
    options?: CallOptions<LoadProgressEvent>,
  ): Promise<LoadedModelSet>;
  // A task's progress includes the load events of the networks it opens on first use (OpeningProgress).
  generate(
    request: GenerateRequest,
    options?: CallOptions<StepProgressEvent | OpeningProgress>,
  ): Promise<GenerateResult>;
  reconstruct(
    request: ReconstructRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<ReconstructResult>;
  encodeImages(
    request: EncodeImagesRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<EncodeImagesResult>;
  decodeLatents(
    request: DecodeLatentsRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<DecodeLatentsResult>;
  /** Which networks of the loaded set have open sessions (null before a load). */
  networkResidency?(request?: ResidencyRequest): Promise<ResidencyReport | null>;
  /** Throwaway forwards after a load (engine/pipelines/warm-up.ts); every other call stops it first. */
  warmUp(request: WarmUpRequest, options?: CallOptions<WarmUpProgress>): Promise<WarmUpResult>;
}
