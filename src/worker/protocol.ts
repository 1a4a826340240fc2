// Messages between the studio's main thread and the engine worker. Every request carries an id; the
// worker answers with any number of progress events and then exactly one result or error for that id.
// Errors cross as {code, name, message} and are rebuilt into the engine's named error classes.
import type { SerializedError } from '../engine/errors';
import type {
  DecodeLatentsRequest,
  DecodeLatentsResult,
  EncodeImagesRequest,
  EncodeImagesResult,
  GenerateRequest,
  GenerateResult,
  LoadedModelSet,
  LoadModelSetRequest,
  LoadProgressEvent,
  ReconstructRequest,
  ReconstructResult,
  ResidencyReport,
  ResidencyRequest,
  StepProgressEvent,
  WarmUpProgress,
  WarmUpRequest,
  WarmUpResult,
} from '../engine/studio-engine';

/** Method name → [request, progress event, result]. */
export interface EngineMethods {
  loadModelSet: [LoadModelSetRequest, LoadProgressEvent, LoadedModelSet];
  generate: [GenerateRequest, StepProgressEvent, GenerateResult];
  reconstruct: [ReconstructRequest, never, ReconstructResult];
  encodeImages: [EncodeImagesRequest, never, EncodeImagesResult];
  decodeLatents: [DecodeLatentsRequest, never, DecodeLatentsResult];
  networkResidency: [ResidencyRequest, never, ResidencyReport | null];
  warmUp: [WarmUpRequest, WarmUpProgress, WarmUpResult];
}
export type EngineMethod = keyof EngineMethods;

export type WorkerRequest =
  | {
      [M in EngineMethod]: {
        readonly id: number;
        readonly type: 'call';
        readonly method: M;
        readonly request: EngineMethods[M][0];
      };
    }[EngineMethod]
  | { readonly id: number; readonly type: 'cancel' };

export type WorkerResponse =
  | { readonly id: number; readonly type: 'progress'; readonly event: EngineMethods[EngineMethod][1] }
  | { readonly id: number; readonly type: 'result'; readonly result: EngineMethods[EngineMethod][2] }
  | { readonly id: number; readonly type: 'error'; readonly error: SerializedError };
