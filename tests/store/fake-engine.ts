// A StudioEngine double for store tests: records every request, answers generate with solid images,
// reports one progress event per step and honours cancellation like the worker does. Also the one
// set-up every slice test starts from: the store reset and the tiny set loaded (resetToTinySet).
import { readFileSync } from 'node:fs';
import { SamplingCancelledError } from '../../src/engine/errors';
import { parseManifest, type ModelSetManifest } from '../../src/engine/model-set';
import type {
  GenerateRequest,
  GenerateResult,
  StudioEngine,
  WarmUpRequest,
  WarmUpResult,
} from '../../src/engine/api/studio-engine';
import type { useStudio } from '../../src/store';

export const TINY_MANIFEST: ModelSetManifest = parseManifest(
  JSON.parse(readFileSync('public/models/random-tiny/manifest.json', 'utf8')),
  'random-tiny/manifest.json',
);

export class FakeEngine implements StudioEngine {
  readonly requests: GenerateRequest[] = [];
  /** Abort the run's signal when this step is reached (simulates a click on Cancel mid-run). */
  cancelAtStep: number | null = null;
  onCancelStep: (() => void) | null = null;

  /** Forgets what earlier tests recorded or asked for (the warm-up cost stays as a test set it). */
  reset(): void {
    this.requests.length = 0;
    this.warmUps.length = 0;
    this.cancelAtStep = null;
    this.onCancelStep = null;
  }

  async loadModelSet(): Promise<never> {
    throw new Error('not used');
  }

  async reconstruct(): Promise<never> {
    throw new Error('not used');
  }

  async encodeImages(): Promise<never> {
    throw new Error('not used');
  }

  async decodeLatents(): Promise<never> {
    throw new Error('not used');
  }

  readonly warmUps: WarmUpRequest[] = [];
  /** What the fake warm-up reports: one forward and one decode, in ms. */
  warmUpCost = { forwardMs: 20, decodeMs: 90 };

  async warmUp(
    request: WarmUpRequest,
    options: Parameters<StudioEngine['warmUp']>[1] = {},
  ): Promise<WarmUpResult> {
    this.warmUps.push(request);
    options.onProgress?.({ kind: 'warm-up', done: 2, forwards: 2, ...this.warmUpCost });
    return {
      done: 2,
      forwards: 2,
      forwardTimesMs: [20, 20],
      decodeMs: this.warmUpCost.decodeMs,
      stopped: false,
    };
  }

  async generate(
    request: GenerateRequest,
    options: Parameters<StudioEngine['generate']>[1] = {},
  ): Promise<GenerateResult> {
    this.requests.push(request);
    for (let step = 1; step <= request.steps; step++) {
      if (step === this.cancelAtStep) this.onCancelStep?.();
      if (options.signal?.aborted) throw new SamplingCancelledError('sampling was cancelled');
      const previewed = request.previewEvery > 0 && step % request.previewEvery === 0 && step < request.steps;
      const preview = { width: 1, height: 1, data: new Uint8ClampedArray(4).fill(step) };
      options.onProgress?.({
        kind: 'step',
        step,
        steps: request.steps,
        t: step / request.steps,
        elapsedMs: step,
        ...(previewed ? { previews: [preview] } : {}),
      });
    }
    const image = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(request.steps) };
    return {
      images: Array.from({ length: request.batch }, () => image),
      latentTokens: new Float32Array(request.batch * 4), // [batch, 2, 2]
      latentDims: [request.batch, 2, 2],
      execution: { provider: 'cpu', adapter: 'fake', reason: 'test' },
      timings: { samplingMs: 10 * request.steps, decodeMs: 30, totalMs: 10 * request.steps + 30 },
    };
  }
}

/** The studio store, or another tab's store built from the same slices. */
type Studio = Pick<typeof useStudio, 'getState' | 'setState'>;

/** Puts TINY_MANIFEST in the store as a finished load does: ready, with its sampler defaults adopted. */
export function loadTinySet(store: Studio): void {
  store.setState({ manifest: TINY_MANIFEST, loadStatus: 'ready' });
  store.getState().adoptManifestDefaults(TINY_MANIFEST);
}

/**
 * A reset for beforeEach: the store back to the state it was created with, the tiny set loaded
 * (loadTinySet) and the fake engine's records cleared. Call it right after importing the store: the
 * state it restores is the one the store has at that moment, before any test changed it.
 */
export function resetToTinySet(store: Studio, engine?: FakeEngine): () => void {
  const initial = store.getState();
  return () => {
    store.setState(initial, true);
    loadTinySet(store);
    engine?.reset();
  };
}
