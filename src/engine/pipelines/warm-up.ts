// Warm-up: throwaway network forwards right after a model set loads, so the first real generation runs
// on the runtime's optimised code. Browsers first run WebAssembly on a baseline compiler and tier hot
// functions up to the optimising one only after enough work (V8: Liftoff, then TurboFan in the
// background), and ONNX Runtime allocates and specialises kernels on first use. Until then a DiT forward
// is several times slower than at steady state. The warm-up runs at the batch the default generation
// uses (a guided step is one forward at batch 2), yields to the event loop between forwards so a cancel
// or any other call gets in at once, and measures what a step and a preview decode cost on this device
// (the preview-interval cost model uses that for the first run).
import type { ModelSetManifest } from '../model-set';
import type { ExecutionProviderName, ModelSetRuntime } from '../api/runtime-contract';
import type { CallOptions } from '../api/studio-engine';
import { SamplingCancelledError } from '../errors';
import { cpuTensor, elementCount } from '../latent/tensor';
import { yieldToEventLoop } from '../yield';

/**
 * DiT forwards a warm-up runs per provider, measured with `npm run bench` (svg-mini at batch 2, a fresh
 * browser profile, Chromium 156 on this 2-core machine, 2026-12-01):
 * - wasm: mean ms per forward over forwards 1-8: 140, 9-16: 69, 17-32: 43, 33-64: 40, 65-128: 42,
 *   129-200: 39, against 36 at steady state; the median of every later window of 16 forwards stays
 *   within 1.25x of steady from forward 95 (SPEC §7 saw ~100). A reload in the same profile starts at
 *   steady state (36.5 ms over its first 32: V8 caches the optimised code), so 96 forwards cover the
 *   first visit and cost about 4 s of idle CPU.
 * - webgpu: shader pipelines compile on first use; not measured on a hardware GPU here (the only adapter
 *   is SwiftShader, about 7 s a forward), so a few forwards compile every pipeline once.
 * - cpu: onnxruntime-node runs native code; only its first forward is slower (allocation).
 */
export const WARM_UP_FORWARDS: Readonly<Record<ExecutionProviderName, number>> = {
  wasm: 96,
  webgpu: 3,
  cpu: 1,
};

/** Forwards after which the measured step cost is first reported (the cost model needs a figure early). */
const REPORT_AFTER = 2;

export interface WarmUpRequest {
  /** Images per generation to warm up for; guided steps run one forward at twice this batch. */
  readonly batch: number;
  /** Forwards to run; default WARM_UP_FORWARDS for the runtime's provider. */
  readonly forwards?: number;
}

export interface WarmUpProgress {
  readonly kind: 'warm-up';
  /** Forwards done so far, of `forwards`. */
  readonly done: number;
  readonly forwards: number;
  /** Median of the last few DiT forwards (batch 2B), in ms. */
  readonly forwardMs: number;
  /** One decoder forward at batch B, in ms. */
  readonly decodeMs: number;
}

export interface WarmUpResult {
  readonly done: number;
  readonly forwards: number;
  /** Wall time of every DiT forward in order, in ms (the warm-up curve). */
  readonly forwardTimesMs: readonly number[];
  readonly decodeMs: number;
  /** true when it stopped early: cancelled, or another call wanted the runtime. */
  readonly stopped: boolean;
}

const MEDIAN_WINDOW = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Runs the warm-up on `runtime`; resolves (never rejects on cancel) with what ran. Inputs are fixed,
 * finite values: x = 0.5 sin(i) tokens [2B, N, C] at t = 0.5 with labels [0 × B, null × B], and the
 * decoder on a zero latent [B, C, h, w].
 */
export async function warmUpRuntime<T>(
  runtime: ModelSetRuntime<T>,
  manifest: ModelSetManifest,
  request: WarmUpRequest,
  options: CallOptions<WarmUpProgress> = {},
): Promise<WarmUpResult> {
  const forwards = request.forwards ?? WARM_UP_FORWARDS[runtime.execution.provider];
  const { signal, onProgress } = options;
  const batch = request.batch;
  const [gridH, gridW] = manifest.latent.grid;
  const channels = manifest.latent.channels;
  const tokenDims = [2 * batch, gridH * gridW, channels];
  const tokens = Float32Array.from({ length: elementCount(tokenDims) }, (_, i) => 0.5 * Math.sin(i));
  const labels = Array.from({ length: 2 * batch }, (_, i) => (i < batch ? 0 : manifest.classes.nullId));
  const times: number[] = [];
  let decodeMs = NaN;
  const result = (stopped: boolean): WarmUpResult => ({
    done: times.length,
    forwards,
    forwardTimesMs: times,
    decodeMs,
    stopped,
  });
  const stopNow = async () => {
    await yieldToEventLoop(); // lets a cancel or another call's message in
    return signal?.aborted ?? false;
  };

  if (forwards <= 0 || (await stopNow())) return result(true);
  // only the stop: the warm-up runs unseen, so a session it reopens reports to nobody
  const network = { signal };
  try {
    const decodeStart = performance.now();
    await runtime.decode(
      cpuTensor(new Float32Array(batch * channels * gridH * gridW), [batch, channels, gridH, gridW]),
      network,
    );
    decodeMs = performance.now() - decodeStart;

    const x = await runtime.upload(cpuTensor(tokens, tokenDims));
    try {
      while (times.length < forwards) {
        if (await stopNow()) return result(true);
        const start = performance.now();
        const v = await runtime.velocity(x, 0.5, labels, network);
        await runtime.math.settled?.(); // a GPU runtime returns once work is queued: time completed work
        runtime.math.release(v);
        times.push(performance.now() - start);
        if (times.length >= REPORT_AFTER)
          onProgress?.({
            kind: 'warm-up',
            done: times.length,
            forwards,
            forwardMs: median(times.slice(-MEDIAN_WINDOW)),
            decodeMs,
          });
      }
    } finally {
      runtime.math.release(x);
    }
  } catch (error) {
    // a stop while a network's session was reopening (a tight budget) ends that wait with a cancel
    if (signal?.aborted && error instanceof SamplingCancelledError) return result(true);
    throw error;
  }
  return result(false);
}
