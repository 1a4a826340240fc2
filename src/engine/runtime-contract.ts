// The contract between the engine and an inference runtime. The engine (sampler, pipelines) is written
// against this interface only; src/runtime implements it once per ONNX Runtime package. The latent
// handle type T lets a runtime keep the sampling state where it computes: CPU arrays for
// onnxruntime-node and WASM, GPU buffers for WebGPU (no copy to the CPU between sampling steps).
import type { CpuTensor, LatentMath } from './tensor';

export type ExecutionProviderName = 'webgpu' | 'wasm' | 'cpu';

/** What actually ran, reported to the user. */
export interface ExecutionInfo {
  readonly provider: ExecutionProviderName;
  /** Adapter description, e.g. "google / swiftshader (WebGPU)" or "onnxruntime-node CPU". */
  readonly adapter: string;
  /** Why this provider was chosen (e.g. the fallback reason). */
  readonly reason: string;
}

/** The four SVG networks of one model set, loaded into sessions. */
export interface ModelSetRuntime<T> {
  readonly execution: ExecutionInfo;
  readonly math: LatentMath<T>;
  /** Copies a CPU tensor to wherever this runtime keeps latents. */
  upload(tensor: CpuTensor): Promise<T>;
  /** Copies a latent handle back to the CPU. */
  download(tensor: T): Promise<CpuTensor>;
  /** [B,3,H,W] ImageNet-normalised pixels → DINO patch tokens [B,N,D]. */
  encodeDino(pixels: CpuTensor): Promise<CpuTensor>;
  /** [B,3,H,W] ImageNet-normalised pixels → raw residual features [B,R,N] (before alignment). */
  encodeResidual(pixels: CpuTensor): Promise<CpuTensor>;
  /** Raw latent [B,C,h,w] → image [B,3,H,W] in [-1,1]. */
  decode(latent: CpuTensor): Promise<CpuTensor>;
  /** Standardised latent tokens [B,N,C], flow time t (0 noise … 1 data), labels [B] → velocity [B,N,C]. */
  velocity(x: T, t: number, labels: ArrayLike<number>): Promise<T>;
  /** Frees every session and buffer. */
  dispose(): Promise<void>;
}
