// Generation slice: the workspace settings (defaults from the manifest, overridable by a link), the
// seed mode, live previews, the running job (progress, preview, cancel) and its result, and the warm-up
// that runs in the worker while the studio is idle after a load (stopped the moment a run starts).
import type { StateCreator } from 'zustand';
import { SamplingCancelledError } from '../engine/errors';
import type { ModelSetManifest } from '../engine/model-set';
import type { RgbaImage } from '../engine/formats/pixels';
import { SOLVERS } from '../engine/schedulers/sampler';
import { stepsOnly, type GenerateResult, type StepProgressEvent } from '../engine/api/studio-engine';
import {
  choosePreviewInterval,
  costFromWarmUp,
  type PreviewCostMeasurement,
  type WarmUpCost,
} from '../engine/workspace/preview-interval';
import { seedAfterRun, seedForRun, type SeedMode } from '../engine/workspace/seed-policy';
import type { LinkedSettings } from '../engine/workspace/settings-url';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';
import { joinNotices } from './notices';
import { beginRun, cancelRun, endRun, type RunKind } from './run-control';
import { describeError } from '../engine/api/describe-error';

/** Everything that determines a result (what a link, a PNG or the gallery restores). */
export type GenerationSettings = LinkedSettings;

export type GenerationResult = GenerateResult & { readonly settings: GenerationSettings };

export interface GenerationSlice {
  settings: GenerationSettings;
  seedMode: SeedMode;
  previewsEnabled: boolean;
  /** Step and decode times of the last run on this device: sets the preview interval. */
  measuredCost: PreviewCostMeasurement | null;
  /** What the warm-up after the last load measured (forward and decode times): the first run's costs. */
  warmUpCost: WarmUpCost | null;
  /** The latest clean-image preview of the running generation; stays until the next one replaces it. */
  preview: { readonly step: number; readonly images: readonly RgbaImage[] } | null;
  /** Settings from the page's link, applied over the manifest's defaults once a set is loaded. */
  pendingLinkSettings: Partial<GenerationSettings> | null;
  /** What is running now; one run at a time (a generation, a grid or another view's run). */
  activeRun: RunKind | null;
  progress: StepProgressEvent | null;
  result: GenerationResult | null;
  generationError: string | null;
  /** Informational line for the workspace (e.g. a link value that was not applied). */
  workspaceNotice: string | null;
  updateSettings: (patch: Partial<GenerationSettings>) => void;
  setSeedMode: (mode: SeedMode) => void;
  setPreviewsEnabled: (enabled: boolean) => void;
  adoptManifestDefaults: (manifest: ModelSetManifest) => void;
  resetToDefaults: () => void;
  generate: () => Promise<void>;
  cancel: () => void;
  /** Starts the worker's warm-up for the loaded set (called when a load completes). */
  startWarmUp: () => void;
}

/** The warm-up in flight (one per worker); a run or a new load stops it. */
let warmUpControl: AbortController | null = null;

function stopWarmUp(): void {
  warmUpControl?.abort();
  warmUpControl = null;
}

/** The sampler settings a manifest recommends; class and seed are the user's subject, not defaults. */
function manifestDefaults(manifest: ModelSetManifest): Partial<GenerationSettings> {
  const { steps, sampler, shift, guidanceScale, guidanceSchedule } = manifest.sampler;
  return { steps, sampler, shift, guidanceScale, guidanceSchedule, batch: 1 };
}

export const createGenerationSlice: StateCreator<StudioState, [], [], GenerationSlice> = (set, get) => ({
  settings: {
    classId: 0,
    seed: 0,
    steps: 25,
    sampler: 'euler',
    shift: 0.15,
    guidanceScale: 4,
    guidanceSchedule: 'constant',
    batch: 1,
  },
  seedMode: 'fixed',
  previewsEnabled: true,
  measuredCost: null,
  warmUpCost: null,
  preview: null,
  pendingLinkSettings: null,
  activeRun: null,
  progress: null,
  result: null,
  generationError: null,
  workspaceNotice: null,

  updateSettings(patch) {
    // Before the first set has loaded, the fields show placeholders its defaults will replace: what the
    // user sets meanwhile is held like a link's values, so adoptManifestDefaults applies it over them.
    const beforeFirstSet = get().manifest === null;
    set({
      settings: { ...get().settings, ...patch },
      ...(beforeFirstSet ? { pendingLinkSettings: { ...get().pendingLinkSettings, ...patch } } : {}),
    });
  },

  setSeedMode(seedMode) {
    set({ seedMode });
  },

  setPreviewsEnabled(previewsEnabled) {
    set({ previewsEnabled });
  },

  adoptManifestDefaults(manifest) {
    const link = get().pendingLinkSettings ?? {};
    const linkClassValid = link.classId === undefined || link.classId < manifest.classes.count;
    const classId = linkClassValid ? (link.classId ?? get().settings.classId) : 0;
    get().updateSettings({
      ...manifestDefaults(manifest),
      ...link,
      classId: classId < manifest.classes.count ? classId : 0,
    });
    set({
      pendingLinkSettings: null,
      ...(linkClassValid
        ? {}
        : {
            workspaceNotice: joinNotices(
              get().workspaceNotice,
              `The link's class ${link.classId} does not exist in ${manifest.name} (0..${manifest.classes.count - 1}); using class 0.`,
            ),
          }),
    });
  },

  resetToDefaults() {
    const manifest = get().manifest;
    if (manifest) get().updateSettings(manifestDefaults(manifest));
  },

  async generate() {
    if (get().activeRun !== null || get().loadStatus !== 'ready') return;
    const seed = seedForRun(get().seedMode, get().settings.seed);
    const settings = { ...get().settings, seed };
    stopWarmUp(); // the worker also stops it before any call; this spares it the message
    const { measuredCost, warmUpCost } = get();
    const cost =
      measuredCost ??
      (warmUpCost ? costFromWarmUp(warmUpCost, SOLVERS[settings.sampler].evaluationsPerStep) : null);
    const previewEvery = choosePreviewInterval(settings.steps, get().previewsEnabled, cost);
    const signal = beginRun();
    set({ activeRun: 'generate', progress: null, preview: null, generationError: null, settings });
    try {
      const result = await studioEngine().generate(
        { ...settings, previewEvery },
        {
          signal,
          onProgress: stepsOnly((progress) =>
            set({
              progress,
              ...(progress.previews ? { preview: { step: progress.step, images: progress.previews } } : {}),
            }),
          ),
        },
      );
      set({
        result: { ...result, settings },
        measuredCost: {
          // Sampling time includes any preview decodes; the estimate errs towards fewer previews.
          stepMs: result.timings.samplingMs / settings.steps,
          decodeMs: result.timings.decodeMs,
        },
      });
      get().updateSettings({ seed: seedAfterRun(get().seedMode, seed, settings.batch) });
      await get().addResultToGallery({ ...result, settings });
    } catch (error) {
      const message = describeError(error);
      set({
        generationError: error instanceof SamplingCancelledError ? 'Generation cancelled.' : message,
      });
    } finally {
      endRun();
      set({ activeRun: null, preview: null });
    }
  },

  cancel() {
    cancelRun();
  },

  startWarmUp() {
    stopWarmUp();
    const control = new AbortController();
    warmUpControl = control;
    set({ warmUpCost: null, measuredCost: null }); // a new set or provider: the old figures are stale
    studioEngine()
      .warmUp(
        { batch: get().settings.batch },
        {
          signal: control.signal,
          onProgress: ({ forwardMs, decodeMs }) => set({ warmUpCost: { forwardMs, decodeMs } }),
        },
      )
      .catch(() => {
        // A failed warm-up costs only speed; the next run reports any real runtime failure itself.
      })
      .finally(() => {
        if (warmUpControl === control) warmUpControl = null;
      });
  },
});
