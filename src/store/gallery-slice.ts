// Gallery slice: every result with its parameters (IndexedDB, or memory with a notice), favourites,
// delete/clear, class filter, "Use these settings", and restoring settings from a dropped PNG.
import type { StateCreator } from 'zustand';
import { readResultMetadata, type ResultMetadata } from '../engine/result-metadata';
import { openGalleryStore, type GalleryEntry, type GalleryStore } from '../storage/gallery-db';
import type { GenerationResult } from './generation-slice';
import type { StudioState } from './index';

export interface GallerySlice {
  galleryEntries: readonly GalleryEntry[];
  /** null until the store is open; false: kept in memory for this session (see galleryNotice). */
  galleryPersistent: boolean | null;
  galleryNotice: string | null;
  galleryClassFilter: number | null;
  galleryFavouritesOnly: boolean;
  selectedEntryId: string | null;
  openGallery: () => Promise<void>;
  addResultToGallery: (result: GenerationResult) => Promise<void>;
  toggleFavourite: (id: string) => Promise<void>;
  deleteEntry: (id: string) => Promise<void>;
  clearGallery: () => Promise<void>;
  setGalleryFilter: (patch: { classId?: number | null; favouritesOnly?: boolean }) => void;
  selectEntry: (id: string | null) => void;
  applyEntrySettings: (id: string) => Promise<void>;
  restoreSettingsFromFile: (file: File) => Promise<void>;
}

let store: GalleryStore | null = null;
let entrySerial = 0;

export const createGallerySlice: StateCreator<StudioState, [], [], GallerySlice> = (set, get) => {
  /** Runs a store write; a failure (e.g. quota) keeps the in-memory state and says it was not saved. */
  const persist = async (write: (s: GalleryStore) => Promise<void>) => {
    if (!store) return;
    try {
      await write(store);
    } catch (error) {
      set({ galleryNotice: error instanceof Error ? error.message : String(error) });
    }
  };

  /** Puts metadata (from a gallery entry or a PNG) into the workspace, switching model set if needed. */
  const applyMetadata = async (metadata: Pick<ResultMetadata, 'modelSetId' | 'settings'>, source: string) => {
    const { catalogue, manifest } = get();
    if (manifest && metadata.modelSetId !== manifest.id) {
      if (!catalogue.some((entry) => entry.id === metadata.modelSetId)) {
        set({
          workspaceNotice: `${source} was made with model set "${metadata.modelSetId}", which is not available here; settings not applied.`,
        });
        return;
      }
      set({ pendingLinkSettings: metadata.settings });
      await get().selectModelSet(metadata.modelSetId);
    } else {
      get().updateSettings(metadata.settings);
    }
    set({ workspaceNotice: `Settings restored from ${source}.` });
  };

  return {
    galleryEntries: [],
    galleryPersistent: null,
    galleryNotice: null,
    galleryClassFilter: null,
    galleryFavouritesOnly: false,
    selectedEntryId: null,

    async openGallery() {
      const opened = await openGalleryStore(globalThis.indexedDB);
      store = opened.store;
      set({
        galleryPersistent: opened.store.persistent,
        galleryNotice: opened.fallbackReason
          ? `The gallery is kept in memory for this session only: ${opened.fallbackReason}.`
          : null,
      });
      try {
        set({ galleryEntries: await opened.store.list() });
      } catch (error) {
        set({ galleryNotice: error instanceof Error ? error.message : String(error) });
      }
    },

    async addResultToGallery(result) {
      const { manifest, manifestSha256 } = get();
      if (!manifest) return;
      const [, tokens = 0, channels = 0] = result.latentDims;
      const perImage = tokens * channels;
      const createdAt = Date.now();
      const entries: GalleryEntry[] = result.images.map((image, batchIndex) => ({
        id: `${createdAt}-${entrySerial++}-${batchIndex}`,
        createdAt: createdAt + batchIndex / 1000,
        modelSetId: manifest.id,
        manifestSha256: manifestSha256 ?? '',
        settings: result.settings,
        batchIndex,
        className: manifest.classes.names[result.settings.classId] ?? `class ${result.settings.classId}`,
        favourite: false,
        image,
        latentTokens: result.latentTokens.slice(batchIndex * perImage, (batchIndex + 1) * perImage),
        latentDims: [1, tokens, channels],
        provider: result.execution.provider,
        totalMs: result.timings.totalMs,
      }));
      set({ galleryEntries: [...entries.reverse(), ...get().galleryEntries] });
      await persist(async (s) => {
        for (const entry of entries) await s.put(entry);
      });
    },

    async toggleFavourite(id) {
      const entry = get().galleryEntries.find((e) => e.id === id);
      if (!entry) return;
      const updated = { ...entry, favourite: !entry.favourite };
      set({ galleryEntries: get().galleryEntries.map((e) => (e.id === id ? updated : e)) });
      await persist((s) => s.put(updated));
    },

    async deleteEntry(id) {
      set({
        galleryEntries: get().galleryEntries.filter((e) => e.id !== id),
        selectedEntryId: get().selectedEntryId === id ? null : get().selectedEntryId,
      });
      await persist((s) => s.remove(id));
    },

    async clearGallery() {
      set({ galleryEntries: [], selectedEntryId: null });
      await persist((s) => s.clear());
    },

    setGalleryFilter({ classId, favouritesOnly }) {
      set({
        ...(classId !== undefined ? { galleryClassFilter: classId } : {}),
        ...(favouritesOnly !== undefined ? { galleryFavouritesOnly: favouritesOnly } : {}),
      });
    },

    selectEntry(id) {
      set({ selectedEntryId: id });
    },

    async applyEntrySettings(id) {
      const entry = get().galleryEntries.find((e) => e.id === id);
      if (entry) await applyMetadata(entry, 'the gallery');
    },

    async restoreSettingsFromFile(file) {
      try {
        const metadata = await readResultMetadata(new Uint8Array(await file.arrayBuffer()), file.name);
        await applyMetadata(metadata, file.name);
      } catch (error) {
        set({ workspaceNotice: error instanceof Error ? error.message : String(error) });
      }
    },
  };
};

/** The entries the gallery view shows, after the class and favourites filters. */
export function visibleEntries(
  state: Pick<StudioState, 'galleryEntries' | 'galleryClassFilter' | 'galleryFavouritesOnly'>,
) {
  return state.galleryEntries.filter(
    (e) =>
      (state.galleryClassFilter === null || e.settings.classId === state.galleryClassFilter) &&
      (!state.galleryFavouritesOnly || e.favourite),
  );
}
