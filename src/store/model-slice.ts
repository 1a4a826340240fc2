// Model-set slice: the bundled catalogue, the loaded set, the provider preference and what ran.
import type { StateCreator } from 'zustand';
import type { ModelSetManifest } from '../engine/manifest';
import type { ExecutionInfo } from '../engine/runtime-contract';
import type { LoadProgressEvent, ProviderPreference } from '../engine/studio-engine';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';

export interface CatalogueEntry {
  readonly id: string;
  readonly manifest: string;
}

export interface ModelSlice {
  catalogue: readonly CatalogueEntry[];
  selectedSetId: string | null;
  provider: ProviderPreference;
  manifest: ModelSetManifest | null;
  /** SHA-256 of the loaded manifest's text (recorded with every result). */
  manifestSha256: string | null;
  execution: ExecutionInfo | null;
  loadStatus: 'idle' | 'loading' | 'ready' | 'error';
  loadProgress: LoadProgressEvent | null;
  loadError: string | null;
  loadCatalogue: () => Promise<void>;
  selectModelSet: (id: string) => Promise<void>;
  setProvider: (provider: ProviderPreference) => Promise<void>;
}

/** The most recent (set, provider) load asked for; older completions are ignored. */
let requestedLoad = '';

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = (set, get) => ({
  catalogue: [],
  selectedSetId: null,
  provider: 'auto',
  manifest: null,
  manifestSha256: null,
  execution: null,
  loadStatus: 'idle',
  loadProgress: null,
  loadError: null,

  async loadCatalogue() {
    try {
      const response = await fetch(new URL('models/index.json', document.baseURI));
      if (!response.ok) throw new Error(`models/index.json: HTTP ${response.status}`);
      const index = (await response.json()) as { modelSets: CatalogueEntry[]; default: string };
      set({ catalogue: index.modelSets });
      const wanted = get().selectedSetId ?? index.default;
      await get().selectModelSet(wanted);
    } catch (error) {
      set({ loadStatus: 'error', loadError: error instanceof Error ? error.message : String(error) });
    }
  },

  async selectModelSet(id) {
    const entry = get().catalogue.find((item) => item.id === id);
    if (!entry) {
      set({ loadStatus: 'error', loadError: `unknown model set "${id}"` });
      return;
    }
    const provider = get().provider;
    const wanted = `${id}|${provider}`;
    // Re-selecting what is loaded or loading changes nothing.
    if (wanted === requestedLoad && get().loadStatus !== 'error') return;
    requestedLoad = wanted;
    set({ selectedSetId: id, loadStatus: 'loading', loadError: null, loadProgress: null });
    try {
      const loaded = await studioEngine().loadModelSet(
        { source: new URL(entry.manifest, document.baseURI).href, provider },
        { onProgress: (loadProgress) => set({ loadProgress }) },
      );
      // A newer request superseded this one: its own completion updates the state.
      if (requestedLoad !== wanted) return;
      // A provider switch reloads the same set: keep the user's settings; a new set brings its defaults.
      const sameSet = get().manifest?.id === loaded.manifest.id;
      set({
        manifest: loaded.manifest,
        manifestSha256: loaded.manifestSha256,
        execution: loaded.execution,
        loadStatus: 'ready',
      });
      if (!sameSet) get().adoptManifestDefaults(loaded.manifest);
    } catch (error) {
      if (requestedLoad !== wanted) return;
      set({ loadStatus: 'error', loadError: error instanceof Error ? error.message : String(error) });
    }
  },

  async setProvider(provider) {
    set({ provider });
    const id = get().selectedSetId;
    if (id) await get().selectModelSet(id);
  },
});
