// Reconstruct slice: the lab's encode → decode round trip (and a re-decode of the same latent with the
// residual channels replaced) on the shared run control: one run at a time with every view, Cancel, the
// stage shown, and a result tagged with its run id and model set (a result of another set is not shown).
import type { StateCreator } from 'zustand';
import { describeError } from '../engine/api/describe-error';
import { SamplingCancelledError } from '../engine/errors';
import type { RgbaImage } from '../engine/formats/pixels';
import type { DinoOnlyMode, EncodeImagesResult } from '../engine/api/studio-engine';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';
import { cancelRun } from './run-control';
import { exclusiveRun } from './view-run';

export interface FinishedReconstruction {
  readonly runId: number;
  readonly modelSetId: string;
  /** item 0 of the encoding, as a batch of one */
  readonly encoded: EncodeImagesResult;
  readonly output: RgbaImage;
  readonly dinoOnly: DinoOnlyMode | false;
  readonly encodeMs: number;
  readonly decodeMs: number;
  readonly batchSize: number;
}

export interface ReconstructSlice {
  reconstructRun: { readonly runId: number; readonly stage: 'encode' | 'decode' } | null;
  reconstruction: FinishedReconstruction | null;
  reconstructError: string | null;
  /** Encodes `images` in one batch (item 0 is the subject) and decodes item 0. */
  reconstruct: (images: readonly RgbaImage[], dinoOnly: DinoOnlyMode | false) => Promise<void>;
  /** Decodes the current result's latent again with another residual choice. */
  redecode: (dinoOnly: DinoOnlyMode | false) => Promise<void>;
  cancelReconstruct: () => void;
  /** Drops the shown result (a new input image was chosen); a running reconstruction is left alone. */
  clearReconstruction: () => void;
}

/** Item 0 of a batch encoding, as a batch of one (its residual keeps the batch's alignment). */
export function firstItem(encoded: EncodeImagesResult): EncodeImagesResult {
  const item = (data: Float32Array, dims: readonly number[]) => {
    const size = dims.slice(1).reduce((a, b) => a * b, 1);
    return { data: data.slice(0, size), dims: [1, ...dims.slice(1)] };
  };
  const latent = item(encoded.latentTokens, encoded.latentDims);
  const dino = item(encoded.dinoTokens, encoded.dinoDims);
  const residual = item(encoded.residual, encoded.residualDims);
  return {
    inputs: encoded.inputs.slice(0, 1),
    latentTokens: latent.data,
    latentDims: latent.dims,
    dinoTokens: dino.data,
    dinoDims: dino.dims,
    residual: residual.data,
    residualDims: residual.dims,
    timings: encoded.timings,
  };
}

export const createReconstructSlice: StateCreator<StudioState, [], [], ReconstructSlice> = (set, get) => {
  /** Encodes (unless given an encoding) and decodes as one run. */
  const roundTrip = async (
    source: { readonly images: readonly RgbaImage[] } | { readonly previous: FinishedReconstruction },
    dinoOnly: DinoOnlyMode | false,
  ) => {
    const modelSetId = get().manifest?.id ?? '';
    const outcome = await exclusiveRun(
      get,
      set,
      'reconstruct',
      (runId) => ({
        reconstructRun: { runId, stage: 'images' in source ? 'encode' : 'decode' },
        reconstructError: null,
        // a new image: the old result goes; a re-decode keeps it until the new one is there
        ...('images' in source ? { reconstruction: null } : {}),
      }),
      async (signal, runId) => {
        const engine = studioEngine();
        let encoded: EncodeImagesResult;
        let encodeMs: number;
        let batchSize: number;
        if ('images' in source) {
          const batch = await engine.encodeImages({ images: source.images }, { signal });
          encoded = firstItem(batch);
          encodeMs = batch.timings.encodeMs;
          batchSize = source.images.length;
          set({ reconstructRun: { runId, stage: 'decode' } });
        } else ({ encoded, encodeMs, batchSize } = source.previous);
        const decoded = await engine.decodeLatents(
          { latentTokens: encoded.latentTokens, latentDims: encoded.latentDims, dinoOnly },
          { signal },
        );
        return {
          encoded,
          encodeMs,
          batchSize,
          output: decoded.images[0]!,
          decodeMs: decoded.timings.decodeMs,
        };
      },
    );
    if (!outcome) return;
    if (outcome.kind === 'failed')
      set({
        reconstructRun: null,
        reconstructError:
          outcome.error instanceof SamplingCancelledError
            ? 'Reconstruction cancelled.'
            : describeError(outcome.error),
      });
    else
      set({
        reconstructRun: null,
        reconstruction: { runId: outcome.runId, modelSetId, dinoOnly, ...outcome.value },
      });
  };

  return {
    reconstructRun: null,
    reconstruction: null,
    reconstructError: null,
    reconstruct: (images, dinoOnly) => roundTrip({ images }, dinoOnly),
    async redecode(dinoOnly) {
      const previous = get().reconstruction;
      if (previous) await roundTrip({ previous }, dinoOnly);
    },
    cancelReconstruct() {
      if (get().activeRun === 'reconstruct') cancelRun();
    },
    clearReconstruction() {
      if (get().activeRun !== 'reconstruct') set({ reconstruction: null, reconstructError: null });
    },
  };
};
