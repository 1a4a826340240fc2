// Generation slice: the workspace settings, the running job (progress, preview, cancel) and results.
import type { StateCreator } from 'zustand';
import type { ModelSetManifest } from '../engine/manifest';
import type { GenerateResult, SolverName, StepProgressEvent } from '../engine/studio-engine';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';

export interface GenerationSettings {
  classId: number;
  seed: number;
  steps: number;
  sampler: SolverName;
  shift: number;
  guidanceScale: number;
  guidanceSchedule: string;
  batch: number;
  previewEvery: number;
}

export interface GenerationSlice {
  settings: GenerationSettings;
  running: boolean;
  progress: StepProgressEvent | null;
  result: (GenerateResult & { settings: GenerationSettings }) | null;
  generationError: string | null;
  updateSettings: (patch: Partial<GenerationSettings>) => void;
  adoptManifestDefaults: (manifest: ModelSetManifest) => void;
  generate: () => Promise<void>;
  cancel: () => void;
}

let activeRun: AbortController | null = null;

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
    previewEvery: 0,
  },
  running: false,
  progress: null,
  result: null,
  generationError: null,

  updateSettings(patch) {
    set({ settings: { ...get().settings, ...patch } });
  },

  adoptManifestDefaults(manifest) {
    const defaults = manifest.sampler;
    const classId = get().settings.classId < manifest.classes.count ? get().settings.classId : 0;
    get().updateSettings({
      classId,
      steps: defaults.steps,
      sampler: defaults.sampler,
      shift: defaults.shift,
      guidanceScale: defaults.guidanceScale,
      guidanceSchedule: defaults.guidanceSchedule,
    });
  },

  async generate() {
    if (get().running || get().loadStatus !== 'ready') return;
    const settings = get().settings;
    activeRun = new AbortController();
    set({ running: true, progress: null, generationError: null });
    try {
      const result = await studioEngine().generate(settings, {
        signal: activeRun.signal,
        onProgress: (progress) => set({ progress }),
      });
      set({ result: { ...result, settings } });
    } catch (error) {
      set({ generationError: error instanceof Error ? error.message : String(error) });
    } finally {
      activeRun = null;
      set({ running: false });
    }
  },

  cancel() {
    activeRun?.abort();
  },
});
