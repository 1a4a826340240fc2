// Model-set slice: the catalogue (bundled sets, sets added by manifest URL, local files), the loaded
// set, the provider preference and what ran, plus what the model manager shows about a load: the
// capability plan, per-file and whole-set byte progress with timestamps (for speed and ETA) and what
// happened in the browser cache, and the networks a task is opening after the load (downloading them
// first when not cached: their bytes join the same rows, live). The catalogue is remembered in
// localStorage so a reload works offline.
import type { StateCreator } from 'zustand';
import { addSample, type ByteSample } from '../engine/download-progress';
import { variantFiles, type ModelSetManifest, type NetworkRole } from '../engine/model-set';
import type { ExecutionInfo } from '../engine/api/runtime-contract';
import type {
  LoadPlanSummary,
  LoadProgressEvent,
  LocalModelFile,
  ModelCacheReport,
  OpeningProgress,
  ResidencyReport,
  ModelSetSource,
  ProviderPreference,
} from '../engine/api/studio-engine';
import {
  parseBundledIndex,
  readProviderPreference,
  readRememberedUrlSets,
  readSavedBundledIndex,
  rememberProviderPreference,
  rememberUrlSets,
  saveBundledIndex,
  takeSetAsideReport,
  type BundledIndex,
} from '../storage/preferences';
import { studioEngine } from './engine-instance';
import { beginLoad } from './load-control';
import { joinNotices } from './notices';
import type { StudioState } from './index';
import { describeError } from '../engine/api/describe-error';
import { ManifestError } from '../engine/errors';

export interface CatalogueEntry {
  readonly id: string;
  readonly origin: 'bundled' | 'url' | 'local';
  readonly source: ModelSetSource;
}

/** One file's row in the download panel. */
export interface FileProgress {
  readonly file: string;
  readonly stage: LoadProgressEvent['stage'];
  readonly loadedBytes: number;
  readonly totalBytes: number;
  /** true when the bytes came from the browser cache rather than the source */
  readonly fromCache: boolean;
  /** Read when a view first used its network, after the load. */
  readonly openedAfterLoad?: boolean;
  /**
   * The row comes from the engine's residency report, not from progress events (the network opened
   * unwatched), so where the bytes came from is not known.
   */
  readonly sourceUnknown?: boolean;
  readonly samples: readonly ByteSample[];
}

/**
 * A network a task is opening after the load: reading its files (downloading them when not cached),
 * then creating its session. Bytes are the network's files together (graph and external data).
 */
export interface NetworkOpening {
  /** the engine call opening it: its end ends this (failed or cancelled), as its 'open' event does */
  readonly callId: number;
  readonly stage: Exclude<LoadProgressEvent['stage'], 'open'>;
  readonly loadedBytes: number;
  readonly totalBytes: number;
  readonly samples: readonly ByteSample[];
  /** bytes per file of the network, as reported */
  readonly files: Readonly<Record<string, { readonly loadedBytes: number; readonly totalBytes: number }>>;
}

export interface SetProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
  readonly samples: readonly ByteSample[];
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
  /** The capability decision of the latest load, made before its files were read. */
  loadPlan: LoadPlanSummary | null;
  /** Per-file rows of the latest load, in the order the files were read. */
  loadFiles: readonly FileProgress[];
  loadTotal: SetProgress | null;
  cacheReport: ModelCacheReport | null;
  /** Which networks of the loaded set have open sessions (the top bar shows them). */
  residency: ResidencyReport | null;
  /** Networks a task is opening now, after the load (the top bar's chips and the task's status show them). */
  openingNetworks: Partial<Readonly<Record<NetworkRole, NetworkOpening>>>;
  /**
   * Why the last load from a URL or local files failed. The engine keeps the set it had, so the studio
   * stays on it (loadStatus 'ready') and the model manager shows this message.
   */
  sourceError: string | null;
  loadCatalogue: () => Promise<void>;
  selectModelSet: (id: string) => Promise<void>;
  setProvider: (provider: ProviderPreference) => Promise<void>;
  /** Loads manifest.json from a URL and adds the set to the catalogue (remembered across reloads). */
  loadFromUrl: (url: string) => Promise<void>;
  /** Loads a set from picked or dropped files (one manifest.json and the files it names). */
  loadFromFiles: (files: readonly LocalModelFile[]) => Promise<void>;
  /** Asks the engine which sessions are open (after a load, and after every task). */
  refreshResidency: () => Promise<void>;
  /** A task call's progress while it opens a network after the load (engine-instance's onNetworkOpening). */
  networkOpeningProgress: (event: OpeningProgress, callId: number) => void;
  /** An engine call ended: the networks it was still opening are not open (it failed or was cancelled). */
  engineCallSettled: (callId: number) => void;
}

/** The bundled index from the server; offline, the copy saved by the last successful start. */
async function fetchBundledIndex(): Promise<BundledIndex> {
  try {
    const response = await fetch(new URL('models/index.json', document.baseURI));
    if (!response.ok) throw new Error(`models/index.json: HTTP ${response.status}`);
    const json: unknown = await response.json().catch(() => {
      throw new ManifestError('models/index.json is not JSON (is the server sending an HTML page?)');
    });
    const index = parseBundledIndex(json, 'models/index.json');
    saveBundledIndex(index);
    return index;
  } catch (error) {
    const saved = readSavedBundledIndex();
    if (saved) return saved;
    throw error;
  }
}

/**
 * The download rows with the files of networks opened since the load (a load reads only the first
 * task's networks; the Reconstruct view, say, opens the encoders later), and the total grown by them.
 * Rows already listed, by file name, are left as the load reported them.
 */
function withFilesOpenedLater(
  state: Pick<ModelSlice, 'manifest' | 'loadFiles' | 'loadTotal'>,
  residency: ResidencyReport,
): Pick<ModelSlice, 'loadFiles' | 'loadTotal'> {
  const { manifest, loadFiles, loadTotal } = state;
  const listed = new Set(loadFiles.map((row) => row.file));
  const added: FileProgress[] = [];
  for (const network of residency.networks) {
    const variant = network.resident
      ? manifest?.networks[network.role].variants[network.precision]
      : undefined;
    for (const entry of variant ? variantFiles(variant) : []) {
      if (listed.has(entry.file)) continue;
      listed.add(entry.file);
      added.push({
        file: entry.file,
        stage: 'open',
        loadedBytes: entry.bytes,
        totalBytes: entry.bytes,
        fromCache: false,
        openedAfterLoad: true,
        sourceUnknown: true,
        // No byte samples: the transfer was not watched, so it has no speed to show.
        samples: [],
      });
    }
  }
  if (added.length === 0) return { loadFiles, loadTotal };
  const addedBytes = added.reduce((sum, row) => sum + row.totalBytes, 0);
  const loadedBytes = (loadTotal?.loadedBytes ?? 0) + addedBytes;
  return {
    loadFiles: [...loadFiles, ...added],
    // One fresh sample: the load's samples would turn bytes read minutes later into a speed.
    loadTotal: {
      loadedBytes,
      totalBytes: (loadTotal?.totalBytes ?? 0) + addedBytes,
      samples: [{ atMs: performance.now(), loadedBytes }],
    },
  };
}

/** The bytes of the files a network's open reads (its planned variant's, per the residency report). */
function plannedNetworkBytes(
  manifest: ModelSetManifest | null,
  residency: ResidencyReport | null,
  role: NetworkRole,
): number | null {
  const precision = residency?.networks.find((network) => network.role === role)?.precision;
  const variant = precision ? manifest?.networks[role].variants[precision] : undefined;
  return variant ? variantFiles(variant).reduce((sum, entry) => sum + entry.bytes, 0) : null;
}

/** Bytes of a file in by this event: all of them once its session is being created. */
const bytesIn = (event: LoadProgressEvent) =>
  event.stage === 'session' || event.stage === 'open' ? event.totalBytes : event.loadedBytes;

/**
 * The download rows and total with a task's opening event: a file not listed yet joins them (the
 * total grows by it), a listed one moves on. Speeds are measured afresh for a file's first event in a
 * call (`freshFile`: a row the load or an earlier call left, perhaps cancelled half-way, has samples of
 * minutes ago) and, for the total, for a call's first event (`freshCall`).
 */
function withOpeningFile(
  state: Pick<ModelSlice, 'loadFiles' | 'loadTotal'>,
  event: OpeningProgress,
  atMs: number,
  fresh: { readonly freshFile: boolean; readonly freshCall: boolean },
): Pick<ModelSlice, 'loadFiles' | 'loadTotal'> {
  const files = [...state.loadFiles];
  const index = files.findIndex((row) => row.file === event.file);
  const previous = index >= 0 ? files[index] : undefined;
  const loadedBytes = bytesIn(event);
  const row: FileProgress = {
    file: event.file,
    stage: event.stage,
    loadedBytes,
    totalBytes: event.totalBytes,
    fromCache: (!fresh.freshFile && (previous?.fromCache ?? false)) || event.stage === 'cache',
    openedAfterLoad: true,
    samples: addSample(fresh.freshFile ? [] : (previous?.samples ?? []), { atMs, loadedBytes }),
  };
  if (previous) files[index] = row;
  else files.push(row);
  const total = state.loadTotal;
  const grownBy = previous ? 0 : event.totalBytes;
  const totalLoaded = (total?.loadedBytes ?? 0) + loadedBytes - (previous?.loadedBytes ?? 0);
  const loadTotal: SetProgress = {
    loadedBytes: totalLoaded,
    totalBytes: (total?.totalBytes ?? 0) + grownBy,
    samples: addSample(fresh.freshCall ? [] : (total?.samples ?? []), { atMs, loadedBytes: totalLoaded }),
  };
  return { loadFiles: files, loadTotal };
}

/** A network's opening moved on by one event of one of its files (any but its last, 'open'). */
function nextOpening(
  previous: NetworkOpening | undefined,
  event: OpeningProgress & { readonly stage: NetworkOpening['stage'] },
  callId: number,
  plannedBytes: number | null,
  atMs: number,
): NetworkOpening {
  const sameCall = previous?.callId === callId;
  const files = { ...(sameCall ? previous.files : {}) };
  files[event.file] = { loadedBytes: bytesIn(event), totalBytes: event.totalBytes };
  const seen = Object.values(files);
  const loadedBytes = seen.reduce((sum, file) => sum + file.loadedBytes, 0);
  const seenTotal = seen.reduce((sum, file) => sum + file.totalBytes, 0);
  return {
    callId,
    stage: event.stage,
    loadedBytes,
    totalBytes: Math.max(plannedBytes ?? 0, seenTotal),
    samples: addSample(sameCall ? previous.samples : [], { atMs, loadedBytes }),
    files,
  };
}

/** The residency report with `role`'s session open (what an 'open' event says before the next report). */
function withResident(report: ResidencyReport, role: NetworkRole): ResidencyReport {
  const network = report.networks.find((n) => n.role === role);
  if (!network || network.resident) return report;
  return {
    ...report,
    networks: report.networks.map((n) => (n === network ? { ...n, resident: true } : n)),
    residentBytes: report.residentBytes + network.sessionBytes,
  };
}

const urlEntry = (id: string, url: string): CatalogueEntry => ({
  id,
  origin: 'url',
  source: { kind: 'url', url },
});

/** The most recent load asked for; older completions are ignored. */
let requestedLoad = '';
let localLoads = 0;

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = (set, get) => {
  const rememberCatalogueUrls = () =>
    rememberUrlSets(
      get().catalogue.flatMap((e) =>
        e.origin === 'url' && e.source.kind === 'url' ? [{ id: e.id, url: e.source.url }] : [],
      ),
    );

  /** Adds (or replaces, by id) a catalogue entry for a set loaded from outside the bundle. */
  const addToCatalogue = (entry: CatalogueEntry) => {
    const existing = get().catalogue.find((e) => e.id === entry.id);
    if (existing?.origin === 'bundled') return;
    set({ catalogue: [...get().catalogue.filter((e) => e.id !== entry.id), entry] });
    if (entry.origin === 'url') rememberCatalogueUrls();
  };

  const onProgress = (event: LoadProgressEvent) => {
    const atMs = performance.now();
    if (event.plan) set({ loadPlan: event.plan });
    const files = [...get().loadFiles];
    const index = files.findIndex((f) => f.file === event.file);
    if (event.stage !== 'plan') {
      const previous = index >= 0 ? files[index] : undefined;
      const row: FileProgress = {
        file: event.file,
        stage: event.stage,
        loadedBytes: event.loadedBytes,
        totalBytes: event.totalBytes,
        fromCache: (previous?.fromCache ?? false) || event.stage === 'cache',
        samples: addSample(previous?.samples ?? [], { atMs, loadedBytes: event.loadedBytes }),
      };
      if (previous) files[index] = row;
      else files.push(row);
    }
    const total = get().loadTotal;
    const loadTotal =
      event.setTotalBytes !== undefined && event.setLoadedBytes !== undefined
        ? {
            loadedBytes: event.setLoadedBytes,
            totalBytes: event.setTotalBytes,
            samples: addSample(total?.samples ?? [], { atMs, loadedBytes: event.setLoadedBytes }),
          }
        : total;
    set({ loadProgress: event, loadFiles: files, loadTotal });
  };

  /** Runs one load; `key` identifies the request so a superseded load does not overwrite a newer one. */
  const runLoad = async (
    key: string,
    source: ModelSetSource,
    afterLoad?: (manifest: ModelSetManifest) => void,
  ) => {
    requestedLoad = key;
    const keepsPrevious = afterLoad !== undefined;
    const previous = get().loadStatus === 'ready' ? get().manifest : null;
    const { loadPlan, loadFiles, loadTotal, cacheReport } = get();
    const previousReport = { loadPlan, loadFiles, loadTotal, cacheReport };
    set({
      sourceError: null,
      loadStatus: 'loading',
      loadError: null,
      loadProgress: null,
      loadPlan: null,
      loadFiles: [],
      loadTotal: null,
      cacheReport: null,
    });
    try {
      const loaded = await studioEngine().loadModelSet(
        { source, provider: get().provider },
        { onProgress, signal: beginLoad() },
      );
      if (requestedLoad !== key) return;
      // A provider switch reloads the same set: keep the user's settings; a new set brings its defaults.
      const sameSet = get().manifest?.id === loaded.manifest.id;
      afterLoad?.(loaded.manifest);
      set({
        selectedSetId: loaded.manifest.id,
        manifest: loaded.manifest,
        manifestSha256: loaded.manifestSha256,
        execution: loaded.execution,
        cacheReport: loaded.cache ?? null,
        loadStatus: 'ready',
      });
      if (!sameSet) get().adoptManifestDefaults(loaded.manifest);
      get().startWarmUp(); // idle-time forwards in the worker: the first run then runs at full speed
    } catch (error) {
      if (requestedLoad !== key) return;
      const message = describeError(error);
      if (keepsPrevious && previous) {
        requestedLoad = `${previous.id}|${get().provider}`;
        // Refused before its plan (unreachable, not a manifest, too large): the report stays the running
        // set's; a load that got further keeps its own report, which shows where it stopped.
        const refusedEarly = get().loadPlan === null;
        set({
          loadStatus: 'ready',
          sourceError: message,
          selectedSetId: previous.id,
          ...(refusedEarly ? previousReport : {}),
        });
      } else {
        set({ loadStatus: 'error', loadError: message, sourceError: keepsPrevious ? message : null });
      }
    }
  };

  return {
    catalogue: [],
    selectedSetId: null,
    // The choice of the last session (links carry no provider, so nothing overrides it); a stored value
    // that is not a provider is set aside and reported with the catalogue's first notice.
    provider: readProviderPreference() ?? 'auto',
    manifest: null,
    manifestSha256: null,
    execution: null,
    loadStatus: 'idle',
    loadProgress: null,
    loadError: null,
    loadPlan: null,
    loadFiles: [],
    loadTotal: null,
    cacheReport: null,
    residency: null,
    openingNetworks: {},
    sourceError: null,

    async loadCatalogue() {
      try {
        const index = await fetchBundledIndex();
        const bundled = index.modelSets.map((entry): CatalogueEntry => ({
          id: entry.id,
          origin: 'bundled',
          source: { kind: 'url', url: new URL(entry.manifest, document.baseURI).href },
        }));
        const added = readRememberedUrlSets()
          .filter(({ id }) => !bundled.some((entry) => entry.id === id))
          .map(({ id, url }) => urlEntry(id, url));
        set({
          catalogue: [...bundled, ...added],
          workspaceNotice: joinNotices(get().workspaceNotice, takeSetAsideReport()),
        });
        // A link may name a set this studio does not have (?set=typo): load the default, say so.
        const linked = get().selectedSetId;
        const known = linked !== null && get().catalogue.some((entry) => entry.id === linked);
        if (linked !== null && !known) {
          set({
            workspaceNotice: joinNotices(
              get().workspaceNotice,
              `The link's model set "${linked}" is not available here; loading ${index.default} instead.`,
            ),
          });
        }
        await get().selectModelSet(known ? linked : index.default);
      } catch (error) {
        set({ loadStatus: 'error', loadError: describeError(error) });
      }
    },

    async selectModelSet(id) {
      const entry = get().catalogue.find((item) => item.id === id);
      if (!entry) {
        set({ loadStatus: 'error', loadError: `unknown model set "${id}"` });
        return;
      }
      const wanted = `${id}|${get().provider}`;
      // Re-selecting what is loaded or loading changes nothing.
      const { loadStatus } = get();
      if (wanted === requestedLoad && (loadStatus === 'loading' || loadStatus === 'ready')) return;
      set({ selectedSetId: id });
      await runLoad(wanted, entry.source);
    },

    async setProvider(provider) {
      set({ provider });
      rememberProviderPreference(provider);
      const id = get().selectedSetId;
      if (id) await get().selectModelSet(id);
    },

    async loadFromUrl(url) {
      await runLoad(`url:${url}|${get().provider}`, { kind: 'url', url }, (manifest) =>
        addToCatalogue(urlEntry(manifest.id, url)),
      );
      // Later selections of this set go through selectModelSet: align the request key with it.
      const id = get().selectedSetId;
      if (get().loadStatus === 'ready' && id) requestedLoad = `${id}|${get().provider}`;
    },

    async loadFromFiles(files) {
      const source: ModelSetSource = { kind: 'files', files };
      await runLoad(`files:${++localLoads}`, source, (manifest) =>
        addToCatalogue({ id: manifest.id, origin: 'local', source }),
      );
      const id = get().selectedSetId;
      if (get().loadStatus === 'ready' && id) requestedLoad = `${id}|${get().provider}`;
    },

    async refreshResidency() {
      try {
        const residency = (await studioEngine().networkResidency?.()) ?? null;
        // During a load the report may describe the set being replaced; its own rows come from the load.
        const rows = residency && get().loadStatus === 'ready' ? withFilesOpenedLater(get(), residency) : {};
        set({ residency, ...rows });
      } catch {
        // The worker is gone or busy failing: the bar keeps its last report rather than erroring.
      }
    },

    networkOpeningProgress(event, callId) {
      // A task runs only on a ready set; an event that arrives during a load belongs to none shown.
      if (get().loadStatus !== 'ready') return;
      const atMs = performance.now();
      const { manifest, residency, openingNetworks } = get();
      const role = event.network;
      const previous = openingNetworks[role];
      const fresh = {
        freshFile: previous?.callId !== callId || !(event.file in previous.files),
        freshCall: !Object.values(openingNetworks).some((network) => network.callId === callId),
      };
      const rows = withOpeningFile(get(), event, atMs, fresh);
      const { stage } = event;
      if (stage === 'open') {
        // Its session is open while the task runs on: the chip shows it resident now, not at the call's
        // end. The engine is asked again for what the open closed to make room (the worker may answer
        // only after the task's next forward, so the chip does not wait for that).
        const stillOpening = Object.entries(openingNetworks).filter(([opened]) => opened !== role);
        set({
          ...rows,
          openingNetworks: Object.fromEntries(stillOpening),
          residency: residency && withResident(residency, role),
        });
        void get().refreshResidency();
        return;
      }
      const planned = plannedNetworkBytes(manifest, residency, role);
      const opening = nextOpening(previous, { ...event, stage }, callId, planned, atMs);
      set({ ...rows, openingNetworks: { ...openingNetworks, [role]: opening } });
    },

    engineCallSettled(callId) {
      const { openingNetworks } = get();
      const left = Object.entries(openingNetworks).filter(([, opening]) => opening.callId !== callId);
      if (left.length < Object.keys(openingNetworks).length)
        set({ openingNetworks: Object.fromEntries(left) });
    },
  };
};
