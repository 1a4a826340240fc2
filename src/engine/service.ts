// StudioEngine implementation shared by the worker (browser) and the CLI (Node): holds the loaded model
// set and runs the pipelines on it. The runtime comes from an injected loader, so this file never
// touches ONNX Runtime.
import type { ModelSetManifest } from './manifest';
import { decodeLatents, encodeImages, generateImages, reconstructImage } from './pipeline';
import type { ModelSetRuntime } from './runtime-contract';
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
  ReconstructRequest,
  ReconstructResult,
  StepProgressEvent,
  StudioEngine,
} from './studio-engine';
import { RuntimeFailureError } from './errors';

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
) => Promise<LoadedRuntime>;

export class EngineService implements StudioEngine {
  private loaded: LoadedRuntime | null = null;
  private loading: Promise<unknown> = Promise.resolve();

  constructor(private readonly loadRuntime: RuntimeLoader) {}

  /** Loads one set at a time: a second request waits for the first (runtimes do not initialise concurrently). */
  loadModelSet(
    request: LoadModelSetRequest,
    options?: CallOptions<LoadProgressEvent>,
  ): Promise<LoadedModelSet> {
    const load = this.loading.then(async () => {
      const next = await this.loadRuntime(request, options?.onProgress);
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
    options?: CallOptions<StepProgressEvent>,
  ): Promise<GenerateResult> {
    const { runtime, manifest } = this.current();
    return generateImages(runtime, manifest, request, options);
  }

  async reconstruct(request: ReconstructRequest, options?: CallOptions<never>): Promise<ReconstructResult> {
    const { runtime, manifest } = this.current();
    return reconstructImage(runtime, manifest, request, options);
  }

  async encodeImages(
    request: EncodeImagesRequest,
    options?: CallOptions<never>,
  ): Promise<EncodeImagesResult> {
    const { runtime, manifest } = this.current();
    return encodeImages(runtime, manifest, request, options);
  }

  async decodeLatents(
    request: DecodeLatentsRequest,
    options?: CallOptions<never>,
  ): Promise<DecodeLatentsResult> {
    const { runtime, manifest } = this.current();
    return decodeLatents(runtime, manifest, request, options);
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
