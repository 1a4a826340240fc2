// The browser loader with ONNX Runtime mocked out: a load by URL downloads and caches; with the network
// down it loads from the cache (manifest included); a full quota continues uncached and says so; local
// files are read, not cached; a cached reload writes nothing to the cache (its record keeps its time); a
// page that is not a manifest and a set too large are refused before any file is fetched. A network
// opened after the load reports its download live to the task's listener (from the cache when cached),
// and the task's cancel stops that download, keeping nothing half-stored.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ManifestError,
  ModelFetchError,
  ModelTooLargeError,
  SamplingCancelledError,
} from '../../src/engine/errors';
import {
  parseManifest,
  TASK_NETWORKS,
  type ModelFileReader,
  type ModelSetManifest,
  type NetworkRole,
} from '../../src/engine/model-set';
import type { ModelSetRuntime } from '../../src/engine/api/runtime-contract';
import type {
  LoadModelSetRequest,
  LoadProgressEvent,
  OpeningProgress,
} from '../../src/engine/api/studio-engine';
import { FakeCache } from '../storage/fake-cache';

/** What the mocked loadWebModelSet waits for before it reads (ONNX Runtime compiling). */
let compiled: Promise<void> = Promise.resolve();
/** Providers whose ONNX Runtime build the loader started, with how many files were fetched by then. */
const prepared: Array<{ provider: string; fetchedBefore: number }> = [];

vi.mock('../../src/runtime/ort-web', () => ({
  prepareWebRuntime: async (provider: string) =>
    void prepared.push({ provider, fetchedBefore: fetched.length }),
  readAdapterCapabilities: async () => ({
    webgpu: false,
    description: 'none',
    shaderF16: false,
    maxBufferSize: 0,
    maxStorageBufferBindingSize: 0,
    unavailableReason: 'no WebGPU in this test',
  }),
  // Reads the first task's float32 files the way session-set.ts does (the encoders open on first use,
  // through `prepare`, with the loader's describeProgress applied and the task's listener and signal).
  loadWebModelSet: async (options: {
    manifest: ModelSetManifest;
    readFile: ModelFileReader;
    onProgress?: (event: LoadProgressEvent) => void;
    describeProgress?: (event: LoadProgressEvent) => LoadProgressEvent;
  }) => {
    const describe = options.describeProgress ?? ((event: LoadProgressEvent) => event);
    const read = async (
      role: NetworkRole,
      listener?: (event: OpeningProgress) => void,
      signal?: AbortSignal,
    ) => {
      const entry = options.manifest.networks[role].variants.float32;
      const { file, bytes } = entry;
      const source = await options.readFile(
        entry,
        (loaded) =>
          listener?.({
            ...describe({ kind: 'load', file, stage: 'download', loadedBytes: loaded, totalBytes: bytes }),
            network: role,
          }),
        signal,
      );
      if (source.kind === 'location') source.release?.();
    };
    await compiled; // ONNX Runtime still compiling: no session asks for a file yet
    for (const role of TASK_NETWORKS.generate) await read(role, options.onProgress);
    const opened = new Set<NetworkRole>(TASK_NETWORKS.generate);
    const runtime = {
      execution: { provider: 'wasm', adapter: 'test', reason: 'test' },
      dispose: async () => {},
      prepare: async (
        roles: readonly NetworkRole[],
        signal?: AbortSignal,
        listener?: (e: OpeningProgress) => void,
      ) => {
        for (const role of roles) if (!opened.has(role)) await read(role, listener, signal);
      },
    };
    lastRuntime = runtime;
    return runtime;
  },
}));

/** The runtime the mocked loader returned last: its prepare opens networks the way the session set does. */
let lastRuntime: Required<Pick<ModelSetRuntime<unknown>, 'prepare'>> | undefined;

const FOLDER = 'public/models/random-tiny';
const MANIFEST_URL = 'http://models.test/random-tiny/manifest.json';
const manifestText = readFileSync(`${FOLDER}/manifest.json`, 'utf8');
let cache = new FakeCache();
let networkUp = true;
const fetched: string[] = [];
let serveText: string | null = null;
/** A file served slowly: its first half, then nothing until the request is aborted. */
let stallingFile: string | null = null;

vi.stubGlobal('navigator', {});
vi.stubGlobal('caches', { open: async () => cache });
vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
  init?.signal?.throwIfAborted();
  if (!networkUp) throw new TypeError('Failed to fetch');
  fetched.push(input);
  const name = input.slice(input.lastIndexOf('/') + 1);
  if (name === 'manifest.json') return new Response(serveText ?? manifestText);
  const body = readFileSync(`${FOLDER}/${name}`);
  if (name !== stallingFile) return new Response(body);
  const signal = init?.signal;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body.subarray(0, body.length >> 1));
      signal?.addEventListener('abort', () => controller.error(signal.reason));
    },
  });
  return new Response(stream, { headers: { 'content-length': String(body.length) } });
});
const { createWebEngine } = await import('../../src/worker/web-engine');

const byUrl: LoadModelSetRequest = { source: { kind: 'url', url: MANIFEST_URL }, provider: 'wasm' };

async function load(request: LoadModelSetRequest = byUrl) {
  const events: LoadProgressEvent[] = [];
  const loaded = await createWebEngine().loadModelSet(request, { onProgress: (e) => events.push(e) });
  return { loaded, events };
}

beforeEach(() => {
  cache = new FakeCache();
  networkUp = true;
  fetched.length = 0;
  prepared.length = 0;
  serveText = null;
  stallingFile = null;
  compiled = Promise.resolve();
});

describe('web engine loader', () => {
  it('plans before reading, downloads with set-wide progress and caches the set', async () => {
    const { loaded, events } = await load();
    expect(loaded.cache).toEqual({ status: 'stored' });
    expect(events[0]?.stage).toBe('plan');
    expect(events[0]?.plan?.explanation[0]).toBe('WASM was selected.');
    const last = events.at(-1) as LoadProgressEvent;
    expect(last.setLoadedBytes).toBe(last.setTotalBytes);
    // the load reads the DiT and the decoder; the encoders download when a view needs them
    const manifest = parseManifest(JSON.parse(manifestText), 'manifest.json');
    const generation = TASK_NETWORKS.generate.map((role) => manifest.networks[role].variants.float32.bytes);
    expect(last.setTotalBytes).toBe(generation.reduce((a, b) => a + b));
    expect(cache.entries.size).toBe(3); // two files by hash + the set record
  });

  it('shows the progress of files read ahead while ONNX Runtime compiles, counted once', async () => {
    let finishCompiling = () => {};
    compiled = new Promise((resolve) => (finishCompiling = resolve));
    const events: LoadProgressEvent[] = [];
    const loading = createWebEngine().loadModelSet(byUrl, { onProgress: (e) => events.push(e) });
    const manifest = parseManifest(JSON.parse(manifestText), 'manifest.json');
    const dit = manifest.networks.dit.variants.float32;
    // no session has asked for a file, yet the first task's downloads show, by name, in the set's bar
    await vi.waitFor(() => {
      const last = events.at(-1);
      expect(last?.stage).toBe('download');
      expect(last?.setLoadedBytes).toBe(last?.setTotalBytes);
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        file: dit.file,
        stage: 'download',
        loadedBytes: dit.bytes,
        totalBytes: dit.bytes,
      }),
    );
    finishCompiling();
    await loading;
    const downloads = events.filter((e) => e.stage === 'download');
    const setBytes = downloads.map((e) => e.setLoadedBytes ?? 0);
    expect(setBytes).toEqual([...setBytes].sort((a, b) => a - b)); // the bar only moves forward
    const last = events.at(-1) as LoadProgressEvent;
    expect(last.setLoadedBytes).toBe(last.setTotalBytes); // each file counted once
    // the DiT's finished figure is not reported again when its session takes the read over
    expect(downloads.filter((e) => e.file === dit.file && e.loadedBytes === dit.bytes)).toHaveLength(1);
  });

  it("starts the chosen provider's ONNX Runtime build before any model file is fetched", async () => {
    await load({ ...byUrl, provider: 'auto' }); // no WebGPU here: Automatic is WASM
    expect(prepared).toEqual([{ provider: 'wasm', fetchedBefore: 0 }]);
  });

  it('loads a remembered WebGPU choice on WASM where there is no WebGPU, with a notice saying so', async () => {
    const { loaded, events } = await load({ ...byUrl, provider: 'webgpu' });
    expect(prepared.map((p) => p.provider)).toEqual(['wasm']); // the WebGPU build is never fetched
    expect(events[0]?.plan?.provider).toBe('wasm');
    expect(events[0]?.plan?.providerNotice).toMatch(
      /^WebGPU is not available in this browser \(no WebGPU in this test\); running on WASM\./,
    );
    expect(loaded.execution.provider).toBe('wasm');
  });

  it('writes nothing to the cache on a cached reload, and keeps the time the set was stored', async () => {
    await load();
    const [recordKey] = [...cache.entries.keys()].filter((key) => key.startsWith('/__model-cache/set/'));
    const stored = () =>
      JSON.parse(new TextDecoder().decode(cache.entries.get(recordKey as string))) as object;
    const first = stored();
    expect(first).toMatchObject({ source: MANIFEST_URL, manifestText });
    cache.puts = 0;
    fetched.length = 0;
    const { loaded } = await load();
    expect(loaded.cache).toEqual({ status: 'cached' });
    expect(fetched).toEqual([MANIFEST_URL]); // the files came from the cache
    expect(cache.puts).toBe(0); // no file and no record written
    expect(stored()).toEqual(first);
  });

  it('writes a new record when the manifest changed, with the time of that load', async () => {
    await load();
    const changed = JSON.parse(manifestText);
    changed.name = 'Random tiny, renamed';
    serveText = JSON.stringify(changed);
    cache.puts = 0;
    const before = Date.now();
    await load();
    expect(cache.puts).toBe(1); // the record; the files were cached
    const [recordKey] = [...cache.entries.keys()].filter((key) => key.startsWith('/__model-cache/set/'));
    const record = JSON.parse(new TextDecoder().decode(cache.entries.get(recordKey as string))) as {
      name: string;
      cachedAt: string;
    };
    expect(record.name).toBe('Random tiny, renamed');
    expect(Date.parse(record.cachedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('loads from the cache, manifest included, when the network is down', async () => {
    await load();
    networkUp = false;
    const { loaded, events } = await load();
    expect(loaded.manifest.id).toBe('random-tiny');
    expect(loaded.cache?.status).toBe('cached');
    expect(loaded.cache?.note).toMatch(/is unreachable .*using the cached copy/);
    expect(events.filter((e) => e.stage === 'download')).toEqual([]);
    expect(events.filter((e) => e.stage === 'cache')).toHaveLength(TASK_NETWORKS.generate.length);
  });

  it('continues uncached when the quota is exceeded, and says so', async () => {
    cache.quotaBytes = 2_000_000;
    const { loaded } = await load();
    expect(loaded.cache?.status).toBe('uncached');
    expect(loaded.cache?.note).toMatch(
      /could not be cached: the storage quota is exceeded; continued without caching/,
    );
    expect(loaded.manifest.id).toBe('random-tiny');
    expect(cache.entries.size).toBe(0); // what fitted before the quota ran out is dropped, not orphaned
  });

  it('names an unreachable URL without a cached copy', async () => {
    networkUp = false;
    await expect(load()).rejects.toThrow(ModelFetchError);
    await expect(load()).rejects.toThrow(/is unreachable .*CORS/);
  });

  it('refuses a page that is not a manifest, and a set too large for WASM, before fetching files', async () => {
    serveText = '<!doctype html><html></html>';
    await expect(load()).rejects.toThrow(ManifestError);
    await expect(load()).rejects.toThrow(
      'is not a model-set manifest (a JSON object); it starts with "<!doctype',
    );
    const huge = JSON.parse(manifestText);
    huge.networks.dit.variants.float32.bytes = 5 * 1024 ** 3;
    serveText = JSON.stringify(huge);
    fetched.length = 0;
    await expect(load()).rejects.toThrow(ModelTooLargeError);
    expect(fetched).toEqual([MANIFEST_URL]);
  });

  it('reads local files from a dropped folder without caching them', async () => {
    const files = [
      'manifest.json',
      'dino_encoder.onnx',
      'residual_encoder.onnx',
      'decoder.onnx',
      'dit.onnx',
    ].map((name) => ({ path: `random-tiny/${name}`, data: new Blob([readFileSync(`${FOLDER}/${name}`)]) }));
    const { loaded } = await load({ source: { kind: 'files', files }, provider: 'wasm' });
    expect(loaded.cache).toEqual({ status: 'uncached', note: 'Local files are read from disk, not cached.' });
    expect(cache.entries.size).toBe(0);
    const withoutDit = load({ source: { kind: 'files', files: files.slice(0, 3) }, provider: 'wasm' });
    // the first file a load reads; a local file, named by its path among the picked ones
    await expect(withoutDit).rejects.toThrow(
      'dit.onnx is named by the manifest but was not among the picked files',
    );
    await expect(withoutDit).rejects.toMatchObject({
      code: 'model-file-local',
      path: 'random-tiny/dit.onnx',
    });
    await expect(
      load({ source: { kind: 'files', files: files.slice(1) }, provider: 'wasm' }),
    ).rejects.toThrow(/no manifest\.json among the 4 picked file\(s\)/);
  });

  it('refuses a file name that resolves outside the set folder before fetching any file', async () => {
    const escaping = JSON.parse(manifestText);
    escaping.networks.dit.variants.float32.file = '%2e%2e/other-set/dit.onnx';
    serveText = JSON.stringify(escaping);
    await expect(load()).rejects.toThrow(ManifestError);
    await expect(load()).rejects.toThrow(
      'file "%2e%2e/other-set/dit.onnx" resolves to http://models.test/other-set/dit.onnx, outside the set\'s folder',
    );
    expect(fetched.every((url) => url === MANIFEST_URL)).toBe(true);
  });

  it('says the browser is offline when it is and the set is not cached', async () => {
    networkUp = false;
    vi.stubGlobal('navigator', { onLine: false });
    try {
      await expect(load()).rejects.toThrow(
        `${MANIFEST_URL}: the browser is offline and this model set is not in the cache`,
      );
    } finally {
      vi.stubGlobal('navigator', {});
    }
  });

  it('cancels a load part-way: a named error, and nothing of it in the cache', async () => {
    const controller = new AbortController();
    const downloading = new Set<string>();
    const loading = createWebEngine().loadModelSet(byUrl, {
      signal: controller.signal,
      // Cancel once the first file is stored and the second is downloading.
      onProgress: (event) => {
        if (event.stage !== 'download') return;
        downloading.add(event.file);
        if (downloading.size === 2) controller.abort();
      },
    });
    await expect(loading).rejects.toThrow(SamplingCancelledError);
    expect(cache.entries.size).toBe(0);
  });
});

describe('web engine: networks opened after the load', () => {
  const manifest = parseManifest(JSON.parse(manifestText), 'manifest.json');
  const dino = manifest.networks.dinoEncoder.variants.float32;

  it("reports the download to the task's listener live, then from the cache on a later load", async () => {
    await load();
    const events: LoadProgressEvent[] = [];
    await lastRuntime?.prepare(['dinoEncoder'], undefined, (event) => events.push(event));
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({
      file: dino.file,
      network: 'dinoEncoder',
      stage: 'download',
      loadedBytes: dino.bytes,
      totalBytes: dino.bytes,
    });
    // the load's whole-set totals are not stretched over a later open
    expect(events.every((event) => event.setTotalBytes === undefined)).toBe(true);
    // the set is cached now: the next session's open says the bytes came from the cache
    await load();
    const again: LoadProgressEvent[] = [];
    await lastRuntime?.prepare(['dinoEncoder'], undefined, (event) => again.push(event));
    expect(again.at(-1)).toMatchObject({ file: dino.file, stage: 'cache', loadedBytes: dino.bytes });
  });

  it('stops the download when the task is cancelled, keeping nothing of it; the next use downloads it', async () => {
    await load();
    const stored = cache.entries.size;
    stallingFile = dino.file;
    const cancel = new AbortController();
    const events: LoadProgressEvent[] = [];
    const opening = lastRuntime?.prepare(['dinoEncoder'], cancel.signal, (event) => events.push(event));
    await vi.waitFor(() => expect(events.at(-1)?.loadedBytes).toBeGreaterThan(0));
    expect(events.at(-1)?.loadedBytes).toBeLessThan(dino.bytes);
    cancel.abort();
    await expect(opening).rejects.toThrow(SamplingCancelledError);
    expect(cache.entries.size).toBe(stored);
    stallingFile = null;
    await lastRuntime?.prepare(['dinoEncoder']);
    expect(cache.entries.size).toBe(stored + 1);
  });
});
