// Inspect slice: encodes the feature inspector's two images (each alone: DINO tokens do not depend on the
// batch, the residual channels would) and computes the DINO PCA, on the shared run control. Choosing both
// images at once (the inspector loads a sample into each) queues them: the latest choice per slot runs,
// one encoding at a time; each result carries its run id and model set.
import type { StateCreator } from 'zustand';
import { describeError } from '../engine/api/describe-error';
import { SamplingCancelledError } from '../engine/errors';
import { pcaImage } from '../engine/analysis/feature-maps';
import type { RgbaImage } from '../engine/formats/pixels';
import { principalComponents, type PcaResult } from '../engine/analysis/pca';
import type { EncodeImagesResult } from '../engine/api/studio-engine';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';
import { cancelRun } from './run-control';
import { exclusiveRun } from './view-run';

export const INSPECT_SLOTS = ['first', 'second'] as const;
export type InspectSlot = (typeof INSPECT_SLOTS)[number];

export interface InspectedImage {
  readonly runId: number;
  readonly modelSetId: string;
  readonly result: EncodeImagesResult;
  readonly pca: { readonly result: PcaResult; readonly image: RgbaImage; readonly ms: number };
}

export interface InspectSlice {
  inspectRun: { readonly runId: number; readonly slot: InspectSlot } | null;
  inspected: Readonly<Record<InspectSlot, InspectedImage | null>>;
  inspectError: string | null;
  /** Encodes `image` into `slot` (queued behind an inspection already running). */
  inspect: (slot: InspectSlot, image: RgbaImage) => Promise<void>;
  cancelInspect: () => void;
}

/** The latest image chosen per slot and not yet encoded. */
const pending = new Map<InspectSlot, RgbaImage>();

export const createInspectSlice: StateCreator<StudioState, [], [], InspectSlice> = (set, get) => ({
  inspectRun: null,
  inspected: { first: null, second: null },
  inspectError: null,

  async inspect(slot, image) {
    pending.set(slot, image);
    if (get().activeRun === 'inspect') return; // the running loop takes it next
    for (const [next, picture] of pending) {
      pending.delete(next);
      const manifest = get().manifest;
      if (!manifest) return;
      const outcome = await exclusiveRun(
        get,
        set,
        'inspect',
        (runId) => ({ inspectRun: { runId, slot: next }, inspectError: null }),
        async (signal) => {
          const result = await studioEngine().encodeImages({ images: [picture] }, { signal });
          const started = performance.now();
          const pca = principalComponents(result.dinoTokens, result.dinoDims.slice(1));
          return {
            result,
            pca: { result: pca, image: pcaImage(pca, manifest.latent.grid), ms: performance.now() - started },
          };
        },
      );
      if (!outcome) {
        pending.clear();
        set({ inspectError: 'Another run is active: choose the image again when it has finished.' });
        return;
      }
      if (outcome.kind === 'failed') {
        set({
          inspectRun: null,
          inspectError:
            outcome.error instanceof SamplingCancelledError
              ? 'Encoding cancelled.'
              : describeError(outcome.error),
        });
        if (outcome.error instanceof SamplingCancelledError) pending.clear();
      } else
        set({
          inspectRun: null,
          inspected: {
            ...get().inspected,
            [next]: { runId: outcome.runId, modelSetId: manifest.id, ...outcome.value },
          },
        });
    }
  },

  cancelInspect() {
    if (get().activeRun === 'inspect') cancelRun();
  },
});
