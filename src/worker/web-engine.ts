// The browser's EngineService: reads a model set from a manifest URL or from local files, runs the
// capability check before any download, serves files from the SHA-256-keyed cache when it can (so a
// reload works offline), reports per-file and whole-set byte progress, and runs the set on onnxruntime-web.
import { planModelSet, type LoadPlan } from '../engine/capabilities';
import { ManifestError, ModelFetchError, StorageError } from '../engine/errors';
import { readManifestText, verifyFileIntegrity, type ModelSetManifest } from '../engine/manifest';
import { EngineService, type RuntimeLoader } from '../engine/service';
import type { ModelSetRuntime } from '../engine/runtime-contract';
import type {
  LoadProgressEvent,
  LocalModelFile,
  ModelCacheReport,
  ModelSetSource,
} from '../engine/studio-engine';
import { loadWebModelSet, readAdapterCapabilities } from '../runtime/ort-web';
import { openModelCache, type CachedFileRef, type ModelCache } from '../storage/model-cache';

type ByteProgress = (loaded: number, total: number) => void;

/** Where the manifest's text and its files come from. */
interface OpenedSource {
  readonly name: string;
  readonly manifestText: string;
  readonly read: (file: string, progress?: ByteProgress) => Promise<Uint8Array>;
  /** local files are on disk already: they are not copied into the cache */
  readonly cacheable: boolean;
  readonly note?: string;
}

const unreachable = (url: string, error: unknown) =>
  new ModelFetchError(
    `${url} is unreachable (${error instanceof Error ? error.message : error}); the server may be down, the address wrong, or it refuses cross-origin requests (CORS)`,
  );

async function fetchOrThrow(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw unreachable(url, error);
  }
  if (!response.ok) throw new ModelFetchError(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response;
}

/** Reads a response body, reporting bytes as they arrive. */
async function readWithProgress(response: Response, onProgress?: ByteProgress) {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function checkLooksLikeJson(text: string, name: string): void {
  if (!text.trimStart().startsWith('{')) {
    const start = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
    throw new ManifestError(`${name} is not a model-set manifest (a JSON object); it starts with "${start}"`);
  }
}

/** A manifest URL; when the network fails, the manifest recorded with the cached set stands in. */
async function openUrl(url: string, cache: ModelCache | null): Promise<OpenedSource> {
  const read = async (file: string, progress?: ByteProgress) =>
    readWithProgress(await fetchOrThrow(new URL(file, url).href), progress);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const record = await cache?.readSet(url);
    if (!record) throw unreachable(url, error);
    return {
      name: url,
      manifestText: record.manifestText,
      read,
      cacheable: true,
      note: `${url} is unreachable (${error instanceof Error ? error.message : error}); using the cached copy`,
    };
  }
  if (!response.ok) throw new ModelFetchError(`${url}: HTTP ${response.status} ${response.statusText}`);
  const text = await response.text();
  checkLooksLikeJson(text, url);
  return { name: url, manifestText: text, read, cacheable: true };
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
    read: async (file, progress) => {
      const blob = byPath.get(folder + file) ?? byName.get(file.split('/').pop() as string);
      if (!blob) {
        throw new ModelFetchError(`${file} is named by the manifest but was not among the picked files`);
      }
      const bytes = new Uint8Array(await blob.arrayBuffer());
      progress?.(bytes.byteLength, bytes.byteLength);
      return bytes;
    },
  };
}

function openSource(source: ModelSetSource, cache: ModelCache | null): Promise<OpenedSource> {
  if (source.kind === 'url') return openUrl(source.url, cache);
  if (source.kind === 'files') return openFiles(source.files);
  throw new ModelFetchError('the browser reads model sets from a URL or from picked files, not a directory');
}

/** Every file either manifest may ask for (float32 files, float16 variants, side files), by name. */
function fileRefs(manifest: ModelSetManifest): Map<string, CachedFileRef> {
  const refs = new Map<string, CachedFileRef>();
  const add = (ref: CachedFileRef | undefined) =>
    ref && refs.set(ref.file, { file: ref.file, bytes: ref.bytes, sha256: ref.sha256 });
  for (const entry of Object.values(manifest.networks)) {
    add(entry);
    add(entry.externalData);
    add(entry.float16);
    add(entry.float16?.externalData);
  }
  return refs;
}

/** Adds whole-set totals to the per-file events and marks bytes that came from the cache. */
function setProgress(plan: LoadPlan, fromCache: ReadonlySet<string>, emit?: (e: LoadProgressEvent) => void) {
  const perFile = new Map<string, number>();
  return (event: LoadProgressEvent) => {
    if (event.stage === 'download') perFile.set(event.file, event.loadedBytes);
    const setLoadedBytes = [...perFile.values()].reduce((sum, bytes) => sum + bytes, 0);
    emit?.({
      ...event,
      stage: event.stage === 'download' && fromCache.has(event.file) ? 'cache' : event.stage,
      setLoadedBytes,
      setTotalBytes: plan.downloadBytes,
    });
  };
}

function cacheReport(
  source: OpenedSource,
  cache: ModelCache | null,
  counts: { cached: number; stored: number },
  failure: string | null,
): ModelCacheReport {
  const offline = source.note ? `${source.note}. ` : '';
  if (!source.cacheable) return { status: 'uncached', note: 'Local files are read from disk, not cached.' };
  if (!cache) {
    return {
      status: 'uncached',
      note: 'Cache Storage is unavailable (it needs a secure context); the set will download again next time.',
    };
  }
  if (failure) {
    return {
      status: counts.cached > 0 ? 'partial' : 'uncached',
      note: `${offline}${failure}; continued without caching, so the set will download again next time.`,
    };
  }
  const status = counts.stored === 0 ? 'cached' : 'stored';
  return offline ? { status, note: offline.trim() } : { status };
}

const loadWebRuntime: RuntimeLoader = async (request, onProgress) => {
  const cache = await openModelCache();
  const source = await openSource(request.source, cache);
  const { manifest, manifestSha256 } = await readManifestText(source.manifestText, source.name);

  const deviceMemoryGiB = (navigator as { deviceMemory?: number }).deviceMemory;
  const facts = { ...(await readAdapterCapabilities()), deviceMemoryGiB };
  const plan = planModelSet(manifest, facts, request.provider);
  onProgress?.({
    kind: 'load',
    file: manifest.id,
    stage: 'plan',
    loadedBytes: 0,
    totalBytes: plan.downloadBytes,
    setLoadedBytes: 0,
    setTotalBytes: plan.downloadBytes,
    plan: {
      adapter: plan.adapter,
      explanation: plan.explanation,
      estimatedBytes: plan.estimatedBytes,
      downloadBytes: plan.downloadBytes,
    },
  });

  const refs = fileRefs(manifest);
  const fromCache = new Set<string>();
  const used: CachedFileRef[] = [];
  const counts = { cached: 0, stored: 0 };
  /** Files this load added to the cache: no set record refers to them until the load completes. */
  const written: CachedFileRef[] = [];
  let failure: string | null = null;
  const useCache = source.cacheable ? cache : null;
  /** A cache write failed: drop what this load wrote, so a half-cached set leaves no orphan files. */
  const giveUpCaching = async (error: StorageError) => {
    failure = error.message;
    await Promise.all(written.map((ref) => useCache?.deleteFile(ref)));
  };

  const readFile = async (file: string, progress?: ByteProgress): Promise<Uint8Array> => {
    const ref = refs.get(file);
    if (!ref) throw new ManifestError(`${file} is not listed in ${source.name}`);
    used.push(ref);
    const cached = await useCache?.readFile(ref);
    if (cached) {
      fromCache.add(file);
      counts.cached++;
      progress?.(cached.byteLength, cached.byteLength);
      return cached;
    }
    const bytes = await source.read(file, progress);
    if (useCache && !failure) {
      await verifyFileIntegrity(file, bytes, ref); // never cache a damaged file
      try {
        await useCache.writeFile(ref, bytes);
        written.push(ref);
        counts.stored++;
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        await giveUpCaching(error);
      }
    }
    return bytes;
  };

  const runtime = await loadWebModelSet({
    manifest,
    webgpuManifest: plan.manifest,
    preference: request.provider,
    readFile,
    onProgress: setProgress(plan, fromCache, onProgress),
  });
  if (useCache && !failure) {
    try {
      await useCache.writeSet({
        source: source.name,
        id: manifest.id,
        name: manifest.name,
        manifestText: source.manifestText,
        files: used,
        cachedAt: new Date().toISOString(),
      });
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      await giveUpCaching(error);
    }
  }
  return {
    manifest,
    manifestSha256,
    runtime: runtime as ModelSetRuntime<unknown>,
    cache: cacheReport(source, cache, counts, failure),
  };
};

export function createWebEngine(): EngineService {
  return new EngineService(loadWebRuntime);
}
