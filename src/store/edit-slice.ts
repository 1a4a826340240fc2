// Edit slice: SDEdit and the region edit (engine/schedulers/start.ts) on the shared run control: one
// run at a time, Cancel, progress per sampling step with an ETA, and a result tagged with its run id and
// the settings it was made with (the download names and the summary come from those, never the form).
import type { StateCreator } from 'zustand';
import { describeError } from '../engine/api/describe-error';
import { stepsOnly } from '../engine/api/studio-engine';
import { SamplingCancelledError } from '../engine/errors';
import type { RgbaImage } from '../engine/formats/pixels';
import type { KeepRegion } from '../engine/schedulers/start';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';
import { cancelRun } from './run-control';
import { exclusiveRun, stepProgress, type ViewRunProgress } from './view-run';

export interface EditRequestInput {
  /** an image to encode, or a PNG's stored latent [N*C] used exactly (with its picture as "before") */
  readonly source: RgbaImage | { readonly image: RgbaImage; readonly latentTokens: Float32Array };
  readonly classId: number;
  readonly seed: number;
  readonly guidanceScale: number;
  /** 1 - t0: how far back towards noise the source is taken */
  readonly strength: number;
  /** tokens [N] that follow the source's noised path (1) or are re-sampled (0); absent: all re-sampled */
  readonly keepTokens?: Uint8Array;
  /** which side of the region box keepTokens keeps (for the summary) */
  readonly keep?: KeepRegion;
}

export interface FinishedEdit {
  readonly runId: number;
  readonly request: Omit<EditRequestInput, 'source'>;
  readonly before: RgbaImage;
  readonly after: RgbaImage;
  /** the result's standardised latent [1, N, C] */
  readonly latentTokens: Float32Array;
  readonly latentDims: readonly number[];
  readonly seconds: number;
}

export interface EditSlice {
  editRun: { readonly runId: number; readonly progress: ViewRunProgress | null } | null;
  editResult: FinishedEdit | null;
  editError: string | null;
  edit: (input: EditRequestInput) => Promise<void>;
  cancelEdit: () => void;
  /** Drops the shown result (a new source was chosen); a running edit is left alone. */
  clearEdit: () => void;
}

export const createEditSlice: StateCreator<StudioState, [], [], EditSlice> = (set, get) => ({
  editRun: null,
  editResult: null,
  editError: null,

  async edit(input) {
    const started = performance.now();
    const { source, ...request } = input;
    const outcome = await exclusiveRun(
      get,
      set,
      'edit',
      (runId) => ({ editRun: { runId, progress: null }, editResult: null, editError: null }),
      async (signal, runId) => {
        const engine = studioEngine();
        // a PNG with a stored latent is used exactly; any other image goes through the encoders
        const { before, latentTokens } =
          'latentTokens' in source
            ? { before: source.image, latentTokens: source.latentTokens }
            : await engine
                .encodeImages({ images: [source] }, { signal })
                .then((encoded) => ({ before: encoded.inputs[0]!, latentTokens: encoded.latentTokens }));
        const edited = await engine.generate(
          {
            ...get().settings,
            classId: request.classId,
            seed: request.seed,
            guidanceScale: request.guidanceScale,
            batch: 1,
            previewEvery: 0,
            start: {
              init: { latentTokens, strength: request.strength },
              ...(request.keepTokens ? { keepTokens: request.keepTokens } : {}),
            },
          },
          {
            signal,
            onProgress: stepsOnly((event) => {
              if (get().editRun?.runId === runId)
                set({ editRun: { runId, progress: stepProgress(event.step, event.steps, event.elapsedMs) } });
            }),
          },
        );
        return { before, edited };
      },
    );
    if (!outcome) return;
    if (outcome.kind === 'failed')
      set({
        editRun: null,
        editError:
          outcome.error instanceof SamplingCancelledError ? 'Edit cancelled.' : describeError(outcome.error),
      });
    else
      set({
        editRun: null,
        editResult: {
          runId: outcome.runId,
          request,
          before: outcome.value.before,
          after: outcome.value.edited.images[0]!,
          latentTokens: outcome.value.edited.latentTokens,
          latentDims: outcome.value.edited.latentDims,
          seconds: (performance.now() - started) / 1000,
        },
      });
  },

  cancelEdit() {
    if (get().activeRun === 'edit') cancelRun();
  },

  clearEdit() {
    if (get().activeRun !== 'edit') set({ editResult: null, editError: null });
  },
});
