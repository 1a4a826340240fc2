// The browser's EngineService: reads a model set from a manifest URL or from local files, runs the
// capability check before any download, and runs the set on onnxruntime-web. Files come through the
// streaming reader of src/storage/model-download.ts (cache first, verified; downloads resumable, with
// Cancel and a stall timeout) or, for picked files, are verified as they stream from disk.
import {
  chooseProvider,
  planModelSet,
  sessionPlans,
  summarizePlan,
  type LoadPlan,
} from '../engine/capabilities';
import {
  LocalModelFileError,
  ManifestError,
  ModelFetchError,
  SamplingCancelledError,
  StorageError,
} from '../engine/errors';
import { allVariantFiles, readManifestText, type ModelFileReader } from '../engine/model-set';
import { FIRST_TASK, TASK_NETWORKS } from '../engine/model-set/networks';
import { variantFiles } from '../engine/model-set/schema';
import { EngineService, type RuntimeLoader } from '../engine/api/service';
import type { ModelSetRuntime } from '../engine/api/runtime-contract';
import type {
  LoadProgressEvent,
  LocalModelFile,
  ModelCacheReport,
  ModelSetSource,
} from '../engine/api/studio-engine';
import { loadWebModelSet, prepareWebRuntime, readAdapterCapabilities } from '../runtime/ort-web';
import {
  openModelCache,
  setRecordAfterLoad,
  type CachedSetRecord,
  type ModelCache,
} from '../storage/model-cache';
import {
  browserOffline,
  DownloadReader,
  fetchManifestText,
  ManifestUnreachableError,
  resolveModelFileUrl,
  verifyLocalFile,
  type DownloadCacheReport,
} from '../storage/model-download';

/** Where the manifest's text and its files come from. */
interface OpenedSource {
  readonly name: string;
  readonly manifestText: string;
  /** the manifest's URL, for a set read over the network (its files are resolved against it) */
  readonly manifestUrl?: string;
  /** reads a file of a local set (picked or dropped), verified */
  readonly readLocal?: ModelFileReader;
  /** local files are on disk already: they are not copied into the cache */
  readonly cacheable: boolean;
  readonly note?: string;
}

function checkLooksLikeJson(text: string, name: string): void {
  if (!text.trimStart().startsWith('{')) {
    const start = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
    throw new ManifestError(`${name} is not a model-set manifest (a JSON object); it starts with "${start}"`);
  }
}

/** A manifest URL; when the network fails, the manifest recorded with the cached set stands in. */
async function openUrl(
  url: string,
  cachedRecord: Promise<CachedSetRecord | null>,
  signal?: AbortSignal,
): Promise<OpenedSource> {
  let text: string;
  try {
    text = await fetchManifestText(url, signal);
  } catch (error) {
    if (!(error instanceof ManifestUnreachableError)) throw error;
    const record = await cachedRecord;
    if (!record) {
      if (!browserOffline()) throw error;
      throw new ModelFetchError(
        `${url}: the browser is offline and this model set is not in the cache; connect to the network and load it again`,
      );
    }
    return {
      name: url,
      manifestText: record.manifestText,
      manifestUrl: url,
      cacheable: true,
      note: `${error.message}; using the cached copy`,
    };
  }
  checkLooksLikeJson(text, url);
  return { name: url, manifestText: text, manifestUrl: url, cacheable: true };
}

/** Picked or dropped files: one manifest.json, and the files it names relative to its folder. */
async function openFiles(files: readonly LocalModelFile[]): Promise<OpenedSource> {
  const manifests = files
    .filter((f) => f.path === 'manifest.json' || f.path.endsWith('/manifest.json'))
    .sort((a, b) => a.path.length - b.path.length);
  const manifestFile = manifests[0];
  if (!manifestFile) {
    const names = files.map((f) => f.path).slice(0, 5);
    throw new ManifestError(
      `no manifest.json among the ${files.length} picked file(s) (${names.join(', ') || 'none'}); pick the model-set folder or its manifest.json with its ONNX files`,
    );
  }
  const folder = manifestFile.path.slice(0, -'manifest.json'.length);
  const byPath = new Map(files.map((f) => [f.path, f.data]));
  const byName = new Map(files.map((f) => [f.path.split('/').pop() as string, f.data]));
  const text = await manifestFile.data.text();
  checkLooksLikeJson(text, manifestFile.path);
  return {
    name: manifestFile.path,
    manifestText: text,
    cacheable: false,
    readLocal: async (entry, progress, signal) => {
      const { file } = entry;
      const blob = byPath.get(folder + file) ?? byName.get(file.split('/').pop() as string);
      if (!blob) {
        throw new LocalModelFileError(`${file} is named by the manifest but was not among the picked files`, {
          path: folder + file,
        });
      }
      return verifyLocalFile(entry, blob, progress, signal);
    },
  };
}

function openSource(
  source: ModelSetSource,
  cachedRecord: Promise<CachedSetRecord | null>,
  signal?: AbortSignal,
): Promise<OpenedSource> {
  if (source.kind === 'url') return openUrl(source.url, cachedRecord, signal);
  if (source.kind === 'files') return openFiles(source.files);
  throw new ModelFetchError('the browser reads model sets from a URL or from picked files, not a directory');
}

/**
 * What the loader adds to the session set's per-file events (LoadOptions.describeProgress): bytes that
 * came from the cache are marked as such, for the load and for networks opened later alike; while the
 * load runs, the whole set's totals too (the load reads the first task's files: the rest open, and
 * download, when a view needs them, and their task's caller adds them to what it shows).
 */
function setProgress(plan: LoadPlan, fromCache: ReadonlySet<string>) {
  const perFile = new Map<string, number>();
  let loading = true;
  return {
    describe(event: LoadProgressEvent): LoadProgressEvent {
      const stage = event.stage === 'download' && fromCache.has(event.file) ? 'cache' : event.stage;
      if (!loading) return { ...event, stage };
      if (event.stage === 'download') perFile.set(event.file, event.loadedBytes);
      const setLoadedBytes = [...perFile.values()].reduce((sum, bytes) => sum + bytes, 0);
      return { ...event, stage, setLoadedBytes, setTotalBytes: plan.firstTaskDownloadBytes };
    },
    loadEnded(): void {
      loading = false;
    },
  };
}

function cacheReport(
  source: OpenedSource,
  cache: ModelCache | null,
  downloads: DownloadCacheReport | null,
): ModelCacheReport {
  const offline = source.note ? `${source.note}. ` : '';
  if (!source.cacheable) return { status: 'uncached', note: 'Local files are read from disk, not cached.' };
  if (!cache || !downloads) {
    return {
      status: 'uncached',
      note: 'Cache Storage is unavailable (it needs a secure context); the set will download again next time.',
    };
  }
  if (downloads.failure) {
    return {
      status: downloads.fromCache.size > 0 ? 'partial' : 'uncached',
      note: `${offline}${downloads.failure}; continued without caching, so the set will download again next time.`,
    };
  }
  const status = downloads.stored.length === 0 ? 'cached' : 'stored';
  return offline ? { status, note: offline.trim() } : { status };
}

const loadWebRuntime: RuntimeLoader = async (request, onProgress, signal) => {
  // ONNX Runtime's build for the provider starts downloading and compiling while the manifest is read.
  const adapterFacts = readAdapterCapabilities();
  void adapterFacts
    .then((facts) => prepareWebRuntime(chooseProvider(request.provider, facts)))
    .catch(() => undefined); // the load itself reports a runtime that cannot start
  const cache = await openModelCache();
  // The set's record in the cache, read once while the manifest is fetched: it stands in for the
  // manifest when the network is down, and says whether the load has a record to write at all.
  const cachedRecord =
    cache && request.source.kind === 'url'
      ? cache.readSet(request.source.url).catch(() => null)
      : Promise.resolve(null);
  const source = await openSource(request.source, cachedRecord, signal);
  const { manifest, manifestSha256 } = await readManifestText(source.manifestText, source.name);
  // Paths resolved, then checked: a name that leaves the set's folder is refused before any download.
  const manifestUrl = source.manifestUrl;
  if (manifestUrl)
    for (const entry of allVariantFiles(manifest)) resolveModelFileUrl(entry.file, manifestUrl);

  const deviceMemoryGiB = (navigator as { deviceMemory?: number }).deviceMemory;
  const facts = { ...(await adapterFacts), deviceMemoryGiB };
  const plan = planModelSet(manifest, facts, request.provider);
  onProgress?.({
    kind: 'load',
    file: manifest.id,
    stage: 'plan',
    loadedBytes: 0,
    totalBytes: plan.firstTaskDownloadBytes,
    setLoadedBytes: 0,
    setTotalBytes: plan.firstTaskDownloadBytes,
    plan: summarizePlan(plan),
  });

  const useCache = source.cacheable ? cache : null;
  const downloads = manifestUrl
    ? new DownloadReader({ manifestUrl, cache: useCache, ...(signal ? { signal } : {}) })
    : null;
  const fromCache = downloads?.report().fromCache ?? new Set<string>();
  const progress = setProgress(plan, fromCache);
  // The first task's files download while ONNX Runtime may still be compiling, their progress shown from
  // the first byte (as the sessions' reads report it); the sessions take them over. (Once ORT runs, the
  // session set reads one network ahead itself, SessionSet.prepare: its reads are those take-overs.)
  downloads?.readAhead(
    TASK_NETWORKS[FIRST_TASK].flatMap((role) => variantFiles(plan.networks[role].variant)),
    (entry, loadedBytes, totalBytes) =>
      onProgress?.(
        progress.describe({ kind: 'load', file: entry.file, stage: 'download', loadedBytes, totalBytes }),
      ),
  );
  const readFile: ModelFileReader = async (entry, progress, fileSignal) => {
    if (downloads) return downloads.read(entry, progress, fileSignal);
    if (!source.readLocal) throw new ModelFetchError(`${source.name}: no way to read ${entry.file}`);
    return source.readLocal(entry, progress, anySignal(signal, fileSignal));
  };

  const loading = loadWebModelSet({
    manifest,
    sessions: sessionPlans(plan),
    // Load what the plan chose (Automatic may pass over an adapter, e.g. a software one), saying why.
    provider: plan.provider,
    reason: plan.explanation[0] ?? '',
    preference: request.provider,
    readFile,
    ...(onProgress ? { onProgress } : {}),
    describeProgress: progress.describe,
  });
  const runtime = await cancellable(loading, signal, downloads).finally(() => {
    downloads?.dropReadAhead();
    progress.loadEnded();
  });
  if (useCache && downloads && !downloads.report().failure) {
    // Nothing is written when the cache holds this record already (a cached reload writes nothing).
    const record = setRecordAfterLoad(await cachedRecord, {
      source: source.name,
      id: manifest.id,
      name: manifest.name,
      manifestText: source.manifestText,
      // Every file the set may cache: sessions open on first use, so some arrive after this record.
      files: allVariantFiles(manifest),
      cachedAt: new Date().toISOString(),
    });
    try {
      if (record) await useCache.writeSet(record);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      await downloads.giveUpCaching(error);
    }
  }
  return {
    manifest,
    manifestSha256,
    runtime: runtime as ModelSetRuntime<unknown>,
    cache: cacheReport(source, useCache ?? cache, downloads?.report() ?? null),
  };
};

/**
 * Cancel keeps nothing: the files this load stored have no set record yet, so they go; a Cancel that
 * came while the last session was opening still wins over its result.
 */
async function cancellable<T extends { dispose(): Promise<void> }>(
  loading: Promise<T>,
  signal: AbortSignal | undefined,
  downloads: DownloadReader | null,
): Promise<T> {
  let runtime: T;
  try {
    runtime = await loading;
  } catch (error) {
    if (signal?.aborted) await downloads?.discardStored();
    throw error;
  }
  if (signal?.aborted) {
    await runtime.dispose();
    await downloads?.discardStored();
    throw new SamplingCancelledError('the load was cancelled; nothing of it was kept');
  }
  return runtime;
}

function anySignal(...signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

export function createWebEngine(): EngineService {
  return new EngineService(loadWebRuntime);
}
