// The contract between the engine and an inference runtime. The engine (sampler, pipelines) is written
// against this interface only; src/runtime implements it once per ONNX Runtime package. The latent
// handle type T lets a runtime keep the sampling state where it computes: CPU arrays for
// onnxruntime-node and WASM, GPU buffers for WebGPU (no copy to the CPU between sampling steps).
import type { NetworkRole } from '../model-set/networks';
import type { PrecisionId } from '../model-set/precisions';
import type { BrowserProvider } from '../providers';
import type { CpuTensor, LatentMath } from '../latent/tensor';
import type { OpeningProgress } from './studio-engine';

/** A browser provider (BROWSER_PROVIDERS), or 'cpu': onnxruntime-node, whose adapter names its --provider. */
export type ExecutionProviderName = BrowserProvider | 'cpu';

/** What actually ran, reported to the user. */
export interface ExecutionInfo {
  readonly provider: ExecutionProviderName;
  /** Adapter description, e.g. "google / swiftshader (WebGPU)" or "onnxruntime-node CPU". */
  readonly adapter: string;
  /** Why this provider was chosen (e.g. the fallback reason). */
  readonly reason: string;
}

/** One network's session: which variant, whether it is open now, and its estimated memory. */
export interface NetworkResidency {
  readonly role: NetworkRole;
  readonly precision: PrecisionId;
  readonly file: string;
  readonly resident: boolean;
  /** variant file bytes x SESSION_MEMORY_FACTOR (src/engine/model-set/memory.ts) */
  readonly sessionBytes: number;
  /** why the planned variant could not be opened and float32 runs instead */
  readonly fallback?: string;
}

/** Which sessions of the loaded set are open, and the budget they share. */
export interface ResidencyReport {
  readonly networks: readonly NetworkResidency[];
  /** sum of sessionBytes of the open sessions */
  readonly residentBytes: number;
  /** absent: no limit is known, so sessions stay open once used */
  readonly budgetBytes?: number;
}

/**
 * The four SVG networks of one model set. Sessions may open on first use and close again under a
 * memory budget (src/runtime/session-set.ts); every method opens what it needs itself.
 */
/**
 * What a network call takes. Under a tight memory budget the call may reopen its network's session
 * (closed to make room for another): `signal` stops that wait, and its download when nobody else waits
 * for it; `onProgress` hears the reopen's file reads and session open, as `prepare`'s listener does.
 */
export interface NetworkCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: OpeningProgress) => void;
}

export interface ModelSetRuntime<T> {
  readonly execution: ExecutionInfo;
  readonly math: LatentMath<T>;
  /** Copies a CPU tensor to wherever this runtime keeps latents. */
  upload(tensor: CpuTensor): Promise<T>;
  /** Copies a latent handle back to the CPU. */
  download(tensor: T): Promise<CpuTensor>;
  /** [B,3,H,W] ImageNet-normalised pixels → DINO patch tokens [B,N,D]. */
  encodeDino(pixels: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor>;
  /** [B,3,H,W] ImageNet-normalised pixels → raw residual features [B,R,N] (before alignment). */
  encodeResidual(pixels: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor>;
  /** Raw latent [B,C,h,w] → image [B,3,H,W] in [-1,1]. */
  decode(latent: CpuTensor, options?: NetworkCallOptions): Promise<CpuTensor>;
  /** Standardised latent tokens [B,N,C], flow time t (0 noise … 1 data), labels [B] → velocity [B,N,C]. */
  velocity(x: T, t: number, labels: ArrayLike<number>, options?: NetworkCallOptions): Promise<T>;
  /**
   * Opens the sessions of `roles` (a task's row of TASK_NETWORKS) before the task runs, closing the
   * least recently used others when the budget needs room. Optional: runtimes without lazy sessions.
   * `onProgress` hears the files read and sessions opened meanwhile (the load's progress events, for a
   * network opened on first use); `signal` stops the wait, and a download nobody else waits for.
   */
  prepare?(
    roles: readonly NetworkRole[],
    signal?: AbortSignal,
    onProgress?: (progress: OpeningProgress) => void,
  ): Promise<void>;
  /** Which sessions are open now. */
  residency?(): ResidencyReport;
  /** Frees every session and buffer. */
  dispose(): Promise<void>;
}
