// Gallery slice: every result with its parameters (IndexedDB, or memory with a notice), favourites,
// delete/clear, class filter, "Use these settings", and restoring settings from a dropped PNG.
// Stored records that fail their check are set aside (quarantine) and reported once; results the
// browser refused to save (quota) stay for the session and are counted as such; open tabs keep their
// galleries in step through a BroadcastChannel.
import * as v from 'valibot';
import type { StateCreator } from 'zustand';
import { describeError } from '../engine/api/describe-error';
import { readResultMetadata, type ResultMetadata } from '../engine/formats/result-metadata';
import { checkGenerationSettings, settingsProblemsFor } from '../engine/settings-schema';
import {
  openGalleryStore,
  quarantineExportJson,
  type GalleryEntry,
  type GalleryStore,
  type QuarantinedRecord,
} from '../storage/gallery-db';
import type { GenerationResult } from './generation-slice';
import type { StudioState } from './index';
import { joinNotices } from './notices';

export type { GalleryEntry, QuarantinedRecord };

export interface GallerySlice {
  galleryEntries: readonly GalleryEntry[];
  /** null until the store is open; false: kept in memory for this session (see galleryNotice). */
  galleryPersistent: boolean | null;
  galleryNotice: string | null;
  /** Ids of shown entries the browser refused to store (e.g. quota): they last for this session. */
  unsavedEntryIds: readonly string[];
  /** Stored records that failed their check, kept aside for export or deletion. */
  galleryQuarantine: readonly QuarantinedRecord[];
  galleryClassFilter: number | null;
  galleryFavouritesOnly: boolean;
  selectedEntryId: string | null;
  /** Opens the store (IndexedDB by default) and joins the other tabs' channel. */
  openGallery: (factory?: IDBFactory) => Promise<void>;
  /** Re-reads the store (another tab changed it). */
  refreshGallery: () => Promise<void>;
  addResultToGallery: (result: GenerationResult) => Promise<void>;
  toggleFavourite: (id: string) => Promise<void>;
  deleteEntry: (id: string) => Promise<void>;
  clearGallery: () => Promise<void>;
  setGalleryFilter: (patch: { classId?: number | null; favouritesOnly?: boolean }) => void;
  selectEntry: (id: string | null) => void;
  applyEntrySettings: (id: string) => Promise<void>;
  restoreSettingsFromFile: (file: File) => Promise<void>;
  /** The set-aside records as JSON, for the user to keep. */
  exportQuarantine: () => string;
  deleteQuarantined: (id: string | 'all') => Promise<void>;
  /** Leaves the tabs' channel (tests, teardown). */
  closeGallery: () => void;
}

/** The channel open tabs of the studio share; every message is checked before it is acted on. */
export const GALLERY_CHANNEL = 'svg-studio.gallery';
const CHANNEL_MESSAGE = v.object({ kind: v.literal('gallery-changed'), tab: v.string() });

let entrySerial = 0;
const newestFirst = (a: GalleryEntry, b: GalleryEntry) => b.createdAt - a.createdAt;

/** "1 record could not be read and was set aside (settings: must be an object …)". */
function quarantineReport(records: readonly QuarantinedRecord[]): string {
  const [first] = records;
  const reasons = first
    ? ` (${first.problems.slice(0, 3).join('; ')}${first.problems.length > 3 ? '; …' : ''})`
    : '';
  const count = records.length === 1 ? '1 gallery record' : `${records.length} gallery records`;
  return `${count} could not be read and ${records.length === 1 ? 'was' : 'were'} set aside${reasons}; the Gallery can export or delete ${records.length === 1 ? 'it' : 'them'}.`;
}

export const createGallerySlice: StateCreator<StudioState, [], [], GallerySlice> = (set, get) => {
  let store: GalleryStore | null = null;
  let channel: BroadcastChannel | null = null;
  const tab = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  /** Entries shown but not (yet) in the store: being saved, or refused. A refresh keeps them. */
  const memoryOnly = new Set<string>();

  const announce = () => {
    try {
      channel?.postMessage({ kind: 'gallery-changed', tab } satisfies v.InferOutput<typeof CHANNEL_MESSAGE>);
    } catch {
      // A closed channel: this tab is going away.
    }
  };

  /** Runs a store write; a failure (e.g. quota) keeps the in-memory state and says it was not saved. */
  const persist = async (write: (s: GalleryStore) => Promise<void>): Promise<boolean> => {
    if (!store) return false;
    try {
      await write(store);
      announce();
      return true;
    } catch (error) {
      set({ galleryNotice: describeError(error) });
      return false;
    }
  };

  /** Puts metadata (from a gallery entry or a PNG) into the workspace, switching model set if needed. */
  const applyMetadata = async (metadata: Pick<ResultMetadata, 'modelSetId' | 'settings'>, source: string) => {
    const { catalogue, manifest } = get();
    const checked = checkGenerationSettings(metadata.settings);
    if (!checked.ok) {
      set({ workspaceNotice: `${source}: settings not applied (${checked.problems.join('; ')}).` });
      return;
    }
    if (manifest && metadata.modelSetId !== manifest.id) {
      if (!catalogue.some((entry) => entry.id === metadata.modelSetId)) {
        set({
          workspaceNotice: `${source} was made with model set "${metadata.modelSetId}", which is not available here; settings not applied.`,
        });
        return;
      }
      // The loaded set's defaults are adopted under these settings; a class it lacks is reported there.
      set({ workspaceNotice: null, pendingLinkSettings: checked.value });
      await get().selectModelSet(metadata.modelSetId);
      set({ workspaceNotice: joinNotices(get().workspaceNotice, `Settings restored from ${source}.`) });
      return;
    }
    const problems = manifest ? settingsProblemsFor(manifest, checked.value) : [];
    if (problems.length > 0) {
      set({ workspaceNotice: `${source}: settings not applied (${problems.join('; ')}).` });
      return;
    }
    get().updateSettings(checked.value);
    set({ workspaceNotice: `Settings restored from ${source}.` });
  };

  /** The store's entries plus those only in memory, newest first; set-aside records reported once. */
  const reload = async () => {
    if (!store) return;
    try {
      const listing = await store.list();
      const kept = get().galleryEntries.filter((entry) => memoryOnly.has(entry.id));
      const stored = listing.entries.filter((entry) => !memoryOnly.has(entry.id));
      const entries = [...kept, ...stored].sort(newestFirst);
      const selected = get().selectedEntryId;
      set({
        galleryEntries: entries,
        selectedEntryId: entries.some((e) => e.id === selected) ? selected : null,
        galleryQuarantine: await store.listQuarantine(),
        ...(listing.newlyQuarantined.length > 0
          ? {
              workspaceNotice: joinNotices(get().workspaceNotice, quarantineReport(listing.newlyQuarantined)),
            }
          : {}),
      });
    } catch (error) {
      set({ galleryNotice: describeError(error) });
    }
  };

  return {
    galleryEntries: [],
    galleryPersistent: null,
    galleryNotice: null,
    unsavedEntryIds: [],
    galleryQuarantine: [],
    galleryClassFilter: null,
    galleryFavouritesOnly: false,
    selectedEntryId: null,

    async openGallery(factory = globalThis.indexedDB) {
      const opened = await openGalleryStore(factory);
      store = opened.store;
      memoryOnly.clear();
      set({
        galleryPersistent: opened.store.persistent,
        galleryEntries: [],
        unsavedEntryIds: [],
        galleryNotice: opened.fallbackReason
          ? `The gallery is kept in memory for this session only: ${opened.fallbackReason}.`
          : null,
      });
      channel?.close();
      channel = null;
      if (opened.store.persistent && typeof BroadcastChannel !== 'undefined') {
        channel = new BroadcastChannel(GALLERY_CHANNEL);
        channel.onmessage = (event: MessageEvent<unknown>) => {
          const message = v.safeParse(CHANNEL_MESSAGE, event.data);
          if (message.success && message.output.tab !== tab) void reload();
        };
      }
      await reload();
    },

    refreshGallery: reload,

    closeGallery() {
      channel?.close();
      channel = null;
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
      for (const entry of entries) memoryOnly.add(entry.id);
      set({ galleryEntries: [...entries.reverse(), ...get().galleryEntries] });
      if (!store) return;
      // Each image is its own write, so a quota failure part-way is counted exactly.
      const refused: string[] = [];
      let firstError: unknown = null;
      for (const entry of entries) {
        try {
          await store.put(entry);
          memoryOnly.delete(entry.id);
        } catch (error) {
          refused.push(entry.id);
          firstError ??= error;
        }
      }
      if (refused.length < entries.length) announce();
      if (refused.length > 0) {
        const saved = entries.length - refused.length;
        set({
          unsavedEntryIds: [...get().unsavedEntryIds, ...refused],
          galleryNotice: `${describeError(firstError)} (${saved} of ${entries.length} new result${entries.length === 1 ? '' : 's'} saved)`,
        });
      }
    },

    async toggleFavourite(id) {
      const entry = get().galleryEntries.find((e) => e.id === id);
      if (!entry) return;
      const updated = { ...entry, favourite: !entry.favourite };
      set({ galleryEntries: get().galleryEntries.map((e) => (e.id === id ? updated : e)) });
      if (!memoryOnly.has(id)) await persist((s) => s.put(updated));
    },

    async deleteEntry(id) {
      memoryOnly.delete(id);
      set({
        galleryEntries: get().galleryEntries.filter((e) => e.id !== id),
        unsavedEntryIds: get().unsavedEntryIds.filter((unsaved) => unsaved !== id),
        selectedEntryId: get().selectedEntryId === id ? null : get().selectedEntryId,
      });
      await persist((s) => s.remove(id));
    },

    async clearGallery() {
      memoryOnly.clear();
      set({ galleryEntries: [], unsavedEntryIds: [], selectedEntryId: null });
      // Clears the whole store, so entries another tab added (and this one may not show yet) go too.
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
        set({ workspaceNotice: describeError(error) });
      }
    },

    exportQuarantine() {
      return quarantineExportJson(get().galleryQuarantine);
    },

    async deleteQuarantined(id) {
      const doomed = id === 'all' ? get().galleryQuarantine.map((record) => record.id) : [id];
      const ok = await persist(async (s) => {
        for (const recordId of doomed) await s.removeQuarantined(recordId);
      });
      if (ok) set({ galleryQuarantine: get().galleryQuarantine.filter((r) => !doomed.includes(r.id)) });
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

/** "3 results · 2 saved in this browser, 1 kept for this session only (the quota was full)". */
export function galleryStatus(
  state: Pick<StudioState, 'galleryEntries' | 'galleryPersistent' | 'unsavedEntryIds'>,
): string {
  const count = state.galleryEntries.length;
  const results = `${count} result${count === 1 ? '' : 's'}`;
  if (state.galleryPersistent === false) return `${results} · kept in memory for this session only`;
  if (state.galleryPersistent === null) return results;
  const unsaved = state.galleryEntries.filter((e) => state.unsavedEntryIds.includes(e.id)).length;
  if (unsaved === 0) return `${results} · saved in this browser`;
  return `${results} · ${count - unsaved} saved in this browser, ${unsaved} kept for this session only`;
}
