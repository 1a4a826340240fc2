// The public engine API shared by the browser entry (src/lib/index.ts, engine in its own worker) and the
// Node entry (src/lib/node.ts, onnxruntime-node): `generate({ classId, seed })` and `reconstruct(image)`
// with every other setting taken from the model set's manifest, returning images plus the metadata the
// studio writes into its PNGs (src/engine/formats/result-metadata.ts).
import * as v from 'valibot';
import { APP_VERSION } from '../app-version';
import { resolveClass, type ModelSetManifest } from '../engine/model-set';
import { encodePng } from '../engine/formats/png';
import { resultTextChunks, type ResultMetadata } from '../engine/formats/result-metadata';
import type { ExecutionInfo } from '../engine/api/runtime-contract';
import {
  stepsOnly,
  type CallOptions,
  type GenerateRequest,
  type GenerateResult,
  type LoadedModelSet,
  type LoadProgressEvent,
  type OpeningProgress,
  type ProviderPreference,
  type ReconstructResult,
  type StepProgressEvent,
  type StudioEngine,
} from '../engine/api/studio-engine';
import type { RgbaImage } from '../engine/formats/pixels';

export type { ModelSetManifest } from '../engine/model-set';
export type { ResultMetadata } from '../engine/formats/result-metadata';
export type { ExecutionInfo } from '../engine/api/runtime-contract';
export type { RgbaImage } from '../engine/formats/pixels';
export type {
  LoadProgressEvent,
  OpeningProgress,
  ProviderPreference,
  StepProgressEvent,
  SolverName,
} from '../engine/api/studio-engine';

/** The settings a generate call may give; all but classId and seed default from the manifest. */
export type GenerateSettings = Pick<
  GenerateRequest,
  'steps' | 'sampler' | 'shift' | 'guidanceScale' | 'guidanceSchedule' | 'batch' | 'previewEvery'
>;

export interface GenerateOptions extends Partial<GenerateSettings> {
  /** A class id, or a class name from the manifest ("cat"), case-insensitive. */
  readonly classId: number | string;
  readonly seed: number;
}

/** Shape of a generate call's options; value ranges are the engine's to check (src/engine/limits.ts). */
const GENERATE_OPTIONS_SCHEMA = v.object({
  classId: v.union([v.number(), v.string()], 'classId must be a class id (number) or a class name'),
  seed: v.number('seed must be a number'),
  steps: v.optional(v.number('steps must be a number')),
  sampler: v.optional(v.string('sampler must be a solver name')),
  shift: v.optional(v.number('shift must be a number')),
  guidanceScale: v.optional(v.number('guidanceScale must be a number')),
  guidanceSchedule: v.optional(v.string('guidanceSchedule must be a schedule name')),
  batch: v.optional(v.number('batch must be a number')),
  previewEvery: v.optional(v.number('previewEvery must be a number')),
});

/** One line per problem, naming the option: "seed is required", "steps must be a number". */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const key = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      return issue.input === undefined && key ? `${key} is required` : issue.message;
    })
    .join('; ');
}

/** A class of the loaded model set, for a class picker. */
export interface SvgClass {
  readonly id: number;
  readonly name: string;
}

export interface SvgGeneration {
  /** One RGBA image per batch item, at the manifest's resolution. */
  readonly images: readonly RgbaImage[];
  /** What the studio writes into each image's PNG: model set, manifest hash, every setting, batch index. */
  readonly metadata: readonly ResultMetadata[];
  /** The engine's full result (latent tokens, timings, where it ran). */
  readonly result: GenerateResult;
  /** Image `index` as PNG bytes carrying its metadata (the studio reads them back when dropped on it). */
  png(index?: number): Promise<Uint8Array>;
}

export interface SvgReconstruction extends ReconstructResult {
  /** The reconstruction as PNG bytes. */
  png(): Promise<Uint8Array>;
}

export interface SvgEngine {
  /** The loaded model set's manifest (classes, sampler defaults, resolution). */
  readonly manifest: ModelSetManifest;
  readonly manifestSha256: string;
  /** Where inference runs (WebGPU, WASM with n threads, or onnxruntime-node CPU) and why. */
  readonly execution: ExecutionInfo;
  readonly classes: readonly SvgClass[];
  generate(options: GenerateOptions, call?: CallOptions<StepProgressEvent>): Promise<SvgGeneration>;
  reconstruct(image: RgbaImage, call?: CallOptions<OpeningProgress>): Promise<SvgReconstruction>;
  /** Releases the sessions (and, in the browser, the worker). */
  dispose(): Promise<void>;
}

/** Options both entries take. */
export interface EngineOptions {
  /** Model set: its manifest.json URL (browser) or its folder / manifest.json path (Node). */
  readonly models: string;
  /** Browser: 'auto' tries WebGPU then WASM. Node always runs on the CPU. */
  readonly provider?: ProviderPreference;
  readonly onProgress?: (event: LoadProgressEvent) => void;
}

/** Fills the settings a call left out from the manifest's sampler defaults (one image, no previews). */
export function completeRequest(manifest: ModelSetManifest, options: GenerateOptions): GenerateRequest {
  const checked = v.safeParse(GENERATE_OPTIONS_SCHEMA, options);
  if (!checked.success) throw new TypeError(`generate options: ${describeIssues(checked.issues)}`);
  const given = checked.output;
  const defaults = manifest.sampler;
  return {
    classId: resolveClass(manifest, given.classId),
    seed: given.seed,
    steps: given.steps ?? defaults.steps,
    sampler: (given.sampler ?? defaults.sampler) as GenerateRequest['sampler'],
    shift: given.shift ?? defaults.shift,
    guidanceScale: given.guidanceScale ?? defaults.guidanceScale,
    guidanceSchedule: given.guidanceSchedule ?? defaults.guidanceSchedule,
    batch: given.batch ?? 1,
    previewEvery: given.previewEvery ?? 0,
  };
}

/** The metadata the studio records for image `batchIndex` of a run (ResultView, gallery downloads). */
export function metadataFor(
  loaded: Pick<LoadedModelSet, 'manifest' | 'manifestSha256'>,
  request: GenerateRequest,
  batchIndex: number,
  appVersion: string = APP_VERSION,
): ResultMetadata {
  const { classId, seed, steps, sampler, shift, guidanceScale, guidanceSchedule, batch } = request;
  return {
    modelSetId: loaded.manifest.id,
    manifestSha256: loaded.manifestSha256,
    settings: { classId, seed, steps, sampler, shift, guidanceScale, guidanceSchedule, batch },
    batchIndex,
    appVersion,
  };
}

/** Wraps a StudioEngine with a loaded set into the public API. */
export function engineApi(
  engine: StudioEngine,
  loaded: LoadedModelSet,
  dispose: () => Promise<void>,
  appVersion: string = APP_VERSION,
): SvgEngine {
  const { manifest } = loaded;
  const classes = manifest.classes.names.map((name, id) => ({ id, name }));
  return {
    manifest,
    manifestSha256: loaded.manifestSha256,
    execution: loaded.execution,
    classes,
    async generate(options, call) {
      const request = completeRequest(manifest, options);
      const onStep = call?.onProgress;
      const result = await engine.generate(request, {
        ...(call?.signal ? { signal: call.signal } : {}),
        ...(onStep ? { onProgress: stepsOnly(onStep) } : {}),
      });
      const metadata = result.images.map((_, index) => metadataFor(loaded, request, index, appVersion));
      return {
        images: result.images,
        metadata,
        result,
        png: (index = 0) => {
          const image = result.images[index];
          const meta = metadata[index];
          if (!image || !meta) {
            throw new RangeError(`png(${index}): the run has images 0..${result.images.length - 1}`);
          }
          return encodePng(image, resultTextChunks(meta));
        },
      };
    },
    async reconstruct(image, call) {
      const result = await engine.reconstruct({ image }, call);
      return { ...result, png: () => encodePng(result.reconstruction) };
    },
    dispose,
  };
}
