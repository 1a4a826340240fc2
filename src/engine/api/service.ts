// StudioEngine implementation shared by the worker (browser) and the CLI (Node): holds the loaded model
// set and runs the pipelines on it. The runtime comes from an injected loader, so this file never
// touches ONNX Runtime.
import { TASK_NETWORKS, type ModelSetManifest, type StudioTask } from '../model-set';
import { decodeLatents, encodeImages, generateImages, reconstructImage } from '../pipelines/tasks';
import {
  warmUpRuntime,
  type WarmUpProgress,
  type WarmUpRequest,
  type WarmUpResult,
} from '../pipelines/warm-up';
import type { ModelSetRuntime, ResidencyReport } from './runtime-contract';
import type {
  CallOptions,
  DecodeLatentsRequest,
  DecodeLatentsResult,
  EncodeImagesRequest,
  EncodeImagesResult,
  GenerateRequest,
  GenerateResult,
  LoadedModelSet,
  LoadModelSetRequest,
  LoadProgressEvent,
  ModelCacheReport,
  OpeningProgress,
  ReconstructRequest,
  ReconstructResult,
  StepProgressEvent,
  StudioEngine,
} from './studio-engine';
import { RuntimeFailureError, SamplingCancelledError } from '../errors';

export interface LoadedRuntime {
  readonly manifest: ModelSetManifest;
  /** SHA-256 of the manifest's text, recorded in every result's metadata. */
  readonly manifestSha256: string;
  readonly runtime: ModelSetRuntime<unknown>;
  readonly cache?: ModelCacheReport;
}

export type RuntimeLoader = (
  request: LoadModelSetRequest,
  onProgress?: (event: LoadProgressEvent) => void,
  /** Cancel in the model manager: the loader stops its downloads and keeps nothing of them */
  signal?: AbortSignal,
) => Promise<LoadedRuntime>;

export class EngineService implements StudioEngine {
  private loaded: LoadedRuntime | null = null;
  private loading: Promise<unknown> = Promise.resolve();
  /** The warm-up in progress: stopped (and waited for: at most one forward) before any other call. */
  private warming: { readonly stop: AbortController; readonly done: Promise<unknown> } | null = null;

  constructor(private readonly loadRuntime: RuntimeLoader) {}

  /** Loads one set at a time: a second request waits for the first (runtimes do not initialise concurrently). */
  loadModelSet(
    request: LoadModelSetRequest,
    options?: CallOptions<LoadProgressEvent>,
  ): Promise<LoadedModelSet> {
    const load = this.loading.then(async () => {
      await this.stopWarmUp();
      if (options?.signal?.aborted)
        throw new SamplingCancelledError('the load was cancelled before it started');
      const next = await this.loadRuntime(request, options?.onProgress, options?.signal);
      await this.dispose();
      this.loaded = next;
      return {
        manifest: next.manifest,
        manifestSha256: next.manifestSha256,
        execution: next.runtime.execution,
        ...(next.cache ? { cache: next.cache } : {}),
      };
    });
    this.loading = load.catch(() => undefined);
    return load;
  }

  async generate(
    request: GenerateRequest,
    options?: CallOptions<StepProgressEvent | OpeningProgress>,
  ): Promise<GenerateResult> {
    // Its networks open with the set; one closed since under the memory budget reports its reopening.
    const { runtime, manifest } = await this.ready('generate', options);
    return generateImages(runtime, manifest, request, options);
  }

  async reconstruct(
    request: ReconstructRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<ReconstructResult> {
    const { runtime, manifest } = await this.ready('reconstruct', options);
    return reconstructImage(runtime, manifest, request, options);
  }

  async encodeImages(
    request: EncodeImagesRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<EncodeImagesResult> {
    const { runtime, manifest } = await this.ready('encodeImages', options);
    return encodeImages(runtime, manifest, request, options);
  }

  async decodeLatents(
    request: DecodeLatentsRequest,
    options?: CallOptions<OpeningProgress>,
  ): Promise<DecodeLatentsResult> {
    const { runtime, manifest } = await this.ready('decodeLatents', options);
    return decodeLatents(runtime, manifest, request, options);
  }

  /**
   * Runs the warm-up (see warm-up.ts) on the loaded set; resolves with what ran, also when stopped. It
   * takes the runtime only when it is idle, and every other call stops it first (waiting at most for the
   * forward in flight), so it never delays a user's run by more than one forward.
   */
  warmUp(request: WarmUpRequest, options?: CallOptions<WarmUpProgress>): Promise<WarmUpResult> {
    const previous = this.warming;
    const stop = new AbortController();
    if (options?.signal?.aborted) stop.abort();
    options?.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const done = (async () => {
      previous?.stop.abort();
      await previous?.done.catch(() => undefined);
      const { runtime, manifest } = this.current();
      return warmUpRuntime(runtime, manifest, request, {
        signal: stop.signal,
        ...(options?.onProgress ? { onProgress: options.onProgress } : {}),
      });
    })();
    const warming = { stop, done };
    this.warming = warming; // set now, so a call made right after this one stops it
    return done.finally(() => {
      if (this.warming === warming) this.warming = null;
    });
  }

  /** Which sessions of the loaded set are open (the model bar shows them); null before a load. */
  async networkResidency(): Promise<ResidencyReport | null> {
    return this.loaded?.runtime.residency?.() ?? null;
  }

  /**
   * The loaded set with the sessions of `task` open (its row of TASK_NETWORKS), after stopping the
   * warm-up: a task declares its networks here, and the session set makes room for them. A network
   * opened now (on first use) reports its download and session to the task's own progress listener.
   */
  private async ready(
    task: StudioTask,
    options: CallOptions<OpeningProgress> | undefined,
  ): Promise<LoadedRuntime> {
    await this.stopWarmUp();
    const loaded = this.current();
    await loaded.runtime.prepare?.(TASK_NETWORKS[task], options?.signal, options?.onProgress);
    return loaded;
  }

  private async stopWarmUp(): Promise<void> {
    const warming = this.warming;
    if (!warming) return;
    warming.stop.abort();
    await warming.done.catch(() => undefined);
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    await loaded?.runtime.dispose();
  }

  private current(): LoadedRuntime {
    if (!this.loaded) throw new RuntimeFailureError('no model set is loaded');
    return this.loaded;
  }
}
