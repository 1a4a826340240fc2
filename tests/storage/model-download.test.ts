// The browser reader against a fake Cache Storage and a fake server whose responses are hand-made
// ReadableStreams: a download streams into the cache and is verified once; a stall fails with the timeout
// named and keeps the bytes so a later load resumes with Range; a cut at any byte resumes by itself with
// 206; a server without Range support is read again from byte 0; a hash mismatch, HTML served as a model,
// a quota error mid-write, Cancel, and paths that escape the set's folder each end as named.
import * as hashWasm from 'hash-wasm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IntegrityError,
  ManifestError,
  ModelFetchError,
  SamplingCancelledError,
} from '../../src/engine/errors';
import { sha256Hex, type FileEntry, type ModelFileSource } from '../../src/engine/model-set';
import { ModelCache } from '../../src/storage/model-cache';
import {
  DownloadReader,
  fetchManifestText,
  MAX_AUTO_RESUMES,
  ManifestUnreachableError,
  resolveModelFileUrl,
  verifyLocalFile,
} from '../../src/storage/model-download';
import { FakeCache } from './fake-cache';
import { FakeModelHost, FILE_BYTES } from './fake-model-host';

// Counts the hashers made, to show that each file is hashed once (the hashing itself is hash-wasm's).
vi.mock('hash-wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof hashWasm>();
  return { ...actual, createSHA256: vi.fn(actual.createSHA256) };
});
const hashes = () => vi.mocked(hashWasm.createSHA256).mock.calls.length;

const MANIFEST_URL = 'https://models.test/sets/tiny/manifest.json';
const FILE_URL = 'https://models.test/sets/tiny/dit.onnx';
/** Stall timeout of these tests: short, so a stalled fake fails at once (no timing is asserted). */
const STALL_MS = 30;

let entry: FileEntry;

let store: FakeCache;
let server: FakeModelHost;

const reader = (options: { cached?: boolean; signal?: AbortSignal } = {}) =>
  new DownloadReader({
    manifestUrl: MANIFEST_URL,
    cache: options.cached === false ? null : new ModelCache(store),
    stallTimeoutMs: STALL_MS,
    fetch: server.fetch,
    ...(options.signal ? { signal: options.signal } : {}),
  });

async function bytesOf(source: ModelFileSource): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes;
  const bytes = new Uint8Array(await (await fetch(source.location)).arrayBuffer());
  source.release?.();
  return bytes;
}

const finalKeys = () => [...store.entries.keys()].filter((key) => key.includes('/sha256/'));
const partialKeys = () => [...store.entries.keys()].filter((key) => key.includes('/partial/'));

beforeEach(async () => {
  store = new FakeCache();
  server = new FakeModelHost();
  vi.mocked(hashWasm.createSHA256).mockClear();
  entry = { file: 'dit.onnx', bytes: FILE_BYTES.byteLength, sha256: await sha256Hex(FILE_BYTES) };
});

describe('download reader', () => {
  it('streams a file into the cache, verified, and serves it from the cache next time', async () => {
    const progress: number[] = [];
    const first = reader();
    const source = await first.read(entry, (loaded) => progress.push(loaded));
    expect(source.kind).toBe('location');
    expect(await bytesOf(source)).toEqual(FILE_BYTES);
    expect(progress.at(-1)).toBe(FILE_BYTES.byteLength);
    expect(progress.length).toBeGreaterThan(5); // per chunk, not once at the end
    expect(finalKeys()).toHaveLength(1);
    expect(partialKeys()).toEqual([]);
    expect(first.report().stored).toEqual([entry]);

    const second = reader();
    expect(await bytesOf(await second.read(entry))).toEqual(FILE_BYTES);
    expect(second.report().fromCache.has('dit.onnx')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('hashes a file once: while it downloads; a cached load reads it without hashing', async () => {
    await bytesOf(await reader().read(entry));
    expect(hashes()).toBe(1);
    const cached = reader();
    const progress: number[] = [];
    expect(await bytesOf(await cached.read(entry, (loaded) => progress.push(loaded)))).toEqual(FILE_BYTES);
    expect(hashes()).toBe(1);
    expect(progress).toEqual([FILE_BYTES.byteLength]);
    expect(cached.report().fromCache.has('dit.onnx')).toBe(true);
  });

  it('downloads again over a cached entry cut short (its record names another size)', async () => {
    await reader().read(entry);
    const key = finalKeys()[0] as string;
    store.entries.set(key, FILE_BYTES.subarray(0, 6000));
    const again = reader();
    expect(await bytesOf(await again.read(entry))).toEqual(FILE_BYTES);
    expect(again.report().fromCache.has('dit.onnx')).toBe(false);
    expect(again.report().stored).toEqual([entry]);
    expect(server.requests).toHaveLength(2);
  });

  it('hashes an entry whose record does not match, and downloads again when its bytes are damaged', async () => {
    await reader().read(entry);
    const key = finalKeys()[0] as string;
    store.entries.set(
      key,
      FILE_BYTES.map((b, i) => (i === 5000 ? b ^ 1 : b)),
    );
    store.headers.set(key, new Headers({ 'x-svg-studio-verified': '{"sha256":"tampered","bytes":1}' }));
    expect(await bytesOf(await reader().read(entry))).toEqual(FILE_BYTES);
    expect(server.requests).toHaveLength(2);
    expect(hashes()).toBe(3); // the first download, the tampered entry, the second download
  });

  it('fails a stalled download naming the timeout, keeps the bytes, and resumes them with Range', async () => {
    server.behaviours = [{ stallAfter: 1024 }];
    const stalled = reader().read(entry);
    await expect(stalled).rejects.toThrow(ModelFetchError);
    await expect(stalled).rejects.toThrow(
      `dit.onnx: no bytes from ${FILE_URL} for 0.03 s (STALL_TIMEOUT_MS) after byte 1024 of 10000; the download stalled; the 1024 bytes received are kept`,
    );
    expect(finalKeys()).toEqual([]);
    expect(partialKeys()).toHaveLength(1);

    const resumed = reader();
    const progress: number[] = [];
    expect(await bytesOf(await resumed.read(entry, (loaded) => progress.push(loaded)))).toEqual(FILE_BYTES);
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=1024-']);
    expect(progress[0]).toBe(1024); // the kept bytes count as loaded (re-hashed, not re-downloaded)
    expect(finalKeys()).toHaveLength(1);
    expect(partialKeys()).toEqual([]);
  });

  it.each([1, 1023, 1024, 4097, 9999])('resumes a connection cut at byte %i with a 206', async (cutAt) => {
    server.behaviours = [{ cutAt }];
    expect(await bytesOf(await reader().read(entry))).toEqual(FILE_BYTES);
    expect(server.requests.map((r) => r.range)).toEqual([null, `bytes=${cutAt}-`]);
    expect(finalKeys()).toHaveLength(1);
    expect(partialKeys()).toEqual([]);
  });

  it('resumes in memory when there is no cache', async () => {
    server.behaviours = [{ cutAt: 3000 }, { cutAt: 2000 }];
    const source = await reader({ cached: false }).read(entry);
    expect(source.kind).toBe('bytes');
    expect(await bytesOf(source)).toEqual(FILE_BYTES);
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=3000-', 'bytes=5000-']);
    expect(store.entries.size).toBe(0);
  });

  it('starts over cleanly when the server ignores Range (200 instead of 206)', async () => {
    server.behaviours = [{ cutAt: 4000 }, { ignoreRange: true }];
    expect(await bytesOf(await reader().read(entry))).toEqual(FILE_BYTES);
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=4000-']);
    expect(finalKeys()).toHaveLength(1);
    expect(partialKeys()).toEqual([]);
  });

  it('asks for the whole file when a Range request fails outright (CORS without Range allowed)', async () => {
    server.behaviours = [{ cutAt: 4000 }, { refuseRange: true }];
    expect(await bytesOf(await reader().read(entry))).toEqual(FILE_BYTES);
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=4000-', null]);
    expect(finalKeys()).toHaveLength(1);
    expect(partialKeys()).toEqual([]);
  });

  it('gives up after repeated cuts, naming the file, the URL and the byte offset', async () => {
    server.behaviours = Array.from({ length: MAX_AUTO_RESUMES + 1 }, () => ({ cutAt: 100 }));
    await expect(reader().read(entry)).rejects.toThrow(
      `dit.onnx: the connection to ${FILE_URL} broke at byte ${100 * (MAX_AUTO_RESUMES + 1)} of 10000 (network error)`,
    );
    expect(finalKeys()).toEqual([]);
  });

  it('refuses a file whose hash does not match, leaving nothing in the cache', async () => {
    server.behaviours = [{ body: FILE_BYTES.map((b, i) => (i === 7777 ? b ^ 0x40 : b)) }];
    const read = reader().read(entry);
    await expect(read).rejects.toThrow(IntegrityError);
    await expect(read).rejects.toThrow(`dit.onnx: SHA-256 of ${FILE_URL} is `);
    expect(store.entries.size).toBe(0);
  });

  it('refuses a file longer or shorter than the manifest says', async () => {
    server.behaviours = [{ body: new Uint8Array(12_000).fill(8) }];
    await expect(reader().read(entry)).rejects.toThrow('sent more than the 10000 bytes the manifest says');
    const truncated = FILE_BYTES.subarray(0, 9000);
    server.requests.length = 0;
    server.behaviours = Array.from({ length: MAX_AUTO_RESUMES + 1 }, () => ({ body: truncated }));
    await expect(reader().read(entry)).rejects.toThrow(
      `dit.onnx: the response from ${FILE_URL} ended at byte 9000 of 10000; the 9000 bytes received are kept`,
    );
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=9000-', 'bytes=9000-', 'bytes=9000-']);
    await reader().read(entry); // the rest, from a complete copy
    expect(partialKeys()).toEqual([]);
    store.entries.clear();
    expect(store.entries.size).toBe(0);
  });

  it('names HTML served in place of a model, by content type or by its first bytes', async () => {
    const page = new TextEncoder().encode('<!doctype html><html><body>Not here</body></html>');
    server.behaviours = [{ body: page, contentType: 'text/html; charset=utf-8' }];
    await expect(reader().read(entry)).rejects.toThrow(
      `dit.onnx: ${FILE_URL} served an HTML page (content-type text/html; charset=utf-8) instead of the model file`,
    );
    server.behaviours = [{ body: page }];
    await expect(reader().read(entry)).rejects.toThrow(
      `dit.onnx: ${FILE_URL} served text starting "<!doctype html><html><bo" (an HTML page?) instead of the model file`,
    );
    expect(store.entries.size).toBe(0);
  });

  it('names the file, the URL and the status of an HTTP error, and of an unreachable server', async () => {
    server.behaviours = [{ status: 404 }];
    await expect(reader().read(entry)).rejects.toThrow(`dit.onnx: ${FILE_URL} answered HTTP 404`);
    server.down = true;
    await expect(reader().read(entry)).rejects.toThrow(
      `dit.onnx: could not fetch ${FILE_URL} at byte 0 (Failed to fetch); the server may be down`,
    );
  });

  it('continues uncached when the quota runs out mid-write, dropping what it wrote', async () => {
    const downloads = reader();
    const small = new Uint8Array(3000).fill(8);
    const smallEntry = { file: 'decoder.onnx', bytes: 3000, sha256: await sha256Hex(small) };
    server.behaviours = [{ body: small }];
    await downloads.read(smallEntry);
    store.quotaBytes = 8000; // the 3000 bytes above + 5000 of dit.onnx
    const source = await downloads.read(entry);
    expect(source.kind).toBe('bytes');
    expect(await bytesOf(source)).toEqual(FILE_BYTES);
    expect(downloads.report().failure).toBe('dit.onnx could not be cached: the storage quota is exceeded');
    expect(store.entries.size).toBe(0); // decoder.onnx, stored earlier in this load, is dropped too
    expect(server.requests.map((r) => r.range)).toEqual([null, null, null]);
  });

  it('cancels a download: a named error, and no cache entry, partial or final', async () => {
    const controller = new AbortController();
    server.behaviours = [{ stallAfter: 2048 }];
    const read = reader({ signal: controller.signal }).read(entry, (loaded) => {
      if (loaded === 2048) setTimeout(() => controller.abort(), 0);
    });
    // a longer stall timeout than the abort takes: the Cancel, not the timeout, ends it
    await expect(read).rejects.toThrow(SamplingCancelledError);
    await expect(read).rejects.toThrow('loading dit.onnx was cancelled; nothing of it was kept');
    expect(store.entries.size).toBe(0);
  });
});

describe('model file URLs', () => {
  it('resolves plain names inside the manifest folder', () => {
    expect(resolveModelFileUrl('dit.onnx', MANIFEST_URL).href).toBe(FILE_URL);
    expect(resolveModelFileUrl('fp16/dit.onnx', MANIFEST_URL).href).toBe(
      'https://models.test/sets/tiny/fp16/dit.onnx',
    );
  });

  it.each([
    ['%2e%2e/other-set/dit.onnx', 'resolves to https://models.test/sets/other-set/dit.onnx'],
    ['%2E%2E/%2e%2E/x.onnx', 'resolves to https://models.test/x.onnx'],
    ['a/../../b.onnx', 'outside the set'],
    ['https://evil.test/dit.onnx', 'is not a relative path'],
    ['//evil.test/dit.onnx', 'is not a relative path'],
    ['/sets/tiny/dit.onnx', 'is not a relative path'],
    ['..\\dit.onnx', 'contains a backslash'],
    ['dit.onnx?x=1', 'outside the set'],
    ['.', 'outside the set'],
  ])('refuses %s', (file, why) => {
    expect(() => resolveModelFileUrl(file, MANIFEST_URL)).toThrow(ManifestError);
    expect(() => resolveModelFileUrl(file, MANIFEST_URL)).toThrow(
      new RegExp(`file "${file.replace(/[.?\\]/g, '\\$&')}" .*${why.replace(/[.?/]/g, '\\$&')}`),
    );
  });

  it('refuses an escaping name before any request', async () => {
    await expect(reader().read({ ...entry, file: '%2e%2e/other/dit.onnx' })).rejects.toThrow(ManifestError);
    expect(server.requests).toEqual([]);
  });
});

describe('local files', () => {
  it('verifies a picked file by streaming it, and refuses a damaged one', async () => {
    const source = await verifyLocalFile(entry, new Blob([FILE_BYTES]));
    expect(await bytesOf(source)).toEqual(FILE_BYTES);
    await expect(verifyLocalFile(entry, new Blob([FILE_BYTES.subarray(1)]))).rejects.toThrow(
      'dit.onnx: size is 9999 bytes, the manifest says 10000',
    );
    await expect(verifyLocalFile(entry, new Blob([FILE_BYTES.map((b) => b ^ 1)]))).rejects.toThrow(
      /dit\.onnx: SHA-256 is [0-9a-f]{64}, the manifest says/,
    );
  });
});

describe('manifest fetch', () => {
  /** A fetch that never answers until its signal aborts, like a host that accepted and went silent. */
  const silent = (_url: string, init: RequestInit) =>
    new Promise<Response>((_, reject) =>
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
    );

  it('names a silent host with the stall timeout, an unreachable one and an HTTP error by URL', async () => {
    const options = { fetch: silent, stallTimeoutMs: STALL_MS };
    await expect(fetchManifestText(MANIFEST_URL, undefined, options)).rejects.toThrow(
      new ManifestUnreachableError(
        `${MANIFEST_URL} did not arrive within 0.03 s (STALL_TIMEOUT_MS); the server is not answering`,
      ),
    );
    const down = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchManifestText(MANIFEST_URL, undefined, { fetch: down })).rejects.toThrow(
      `${MANIFEST_URL} is unreachable (Failed to fetch); the server may be down`,
    );
    const missing = async () => new Response('gone', { status: 404, statusText: 'Not Found' });
    await expect(fetchManifestText(MANIFEST_URL, undefined, { fetch: missing })).rejects.toThrow(
      `${MANIFEST_URL}: HTTP 404 Not Found`,
    );
  });

  it('stops at Cancel with a named error', async () => {
    const controller = new AbortController();
    const fetching = fetchManifestText(MANIFEST_URL, controller.signal, { fetch: silent });
    controller.abort();
    await expect(fetching).rejects.toThrow(SamplingCancelledError);
  });
});

describe('download reader: reading ahead', () => {
  const OTHER_BYTES = FILE_BYTES.map((b) => (b + 1) % 251);
  let decoder: FileEntry;
  /** requests as they start, and a gate per file that holds its response until opened */
  let started: string[];
  let gates: Map<string, () => void>;

  beforeEach(async () => {
    decoder = { file: 'decoder.onnx', bytes: OTHER_BYTES.byteLength, sha256: await sha256Hex(OTHER_BYTES) };
    started = [];
    gates = new Map();
  });

  /** A reader over a host that answers each file only once the test opens its gate. */
  const gatedReader = () =>
    new DownloadReader({
      manifestUrl: MANIFEST_URL,
      cache: new ModelCache(store),
      stallTimeoutMs: 10_000, // the gates hold responses: no stall may fire meanwhile
      fetch: async (url, init) => {
        const file = url.slice(url.lastIndexOf('/') + 1);
        started.push(file);
        await new Promise<void>((resolve, reject) => {
          gates.set(file, resolve);
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
        server.behaviours = file === 'decoder.onnx' ? [{ body: OTHER_BYTES }] : [];
        return server.fetch(url, init);
      },
    });
  const ticks = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('reads files before they are asked for, one at a time, and hands each read to its asker', async () => {
    const ahead = gatedReader();
    ahead.readAhead([entry, decoder]);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    await ticks();
    expect(started).toEqual(['dit.onnx']); // the decoder waits for the DiT's file
    gates.get('dit.onnx')?.();
    const progress: number[] = [];
    expect(await bytesOf(await ahead.read(entry, (loaded) => progress.push(loaded)))).toEqual(FILE_BYTES);
    expect(progress.at(-1)).toBe(FILE_BYTES.byteLength);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx', 'decoder.onnx']));
    gates.get('decoder.onnx')?.();
    expect(await bytesOf(await ahead.read(decoder))).toEqual(OTHER_BYTES);
    expect(started).toEqual(['dit.onnx', 'decoder.onnx']); // each downloaded once
    expect(ahead.report().stored).toEqual([entry, decoder]);
    expect(hashes()).toBe(2);
  });

  it("replays a finished read ahead's progress to its asker at once", async () => {
    const ahead = gatedReader();
    const created = vi.spyOn(URL, 'createObjectURL');
    ahead.readAhead([entry]);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    gates.get('dit.onnx')?.();
    await vi.waitFor(() => expect(created).toHaveBeenCalled());
    const progress: number[] = [];
    expect(await bytesOf(await ahead.read(entry, (loaded) => progress.push(loaded)))).toEqual(FILE_BYTES);
    expect(progress).toEqual([FILE_BYTES.byteLength]);
    created.mockRestore();
  });

  it('reports a read ahead from its first byte, then hands its progress to the asker, each figure once', async () => {
    const ahead = gatedReader();
    const early: Array<[string, number, number]> = [];
    ahead.readAhead([entry, decoder], (file, loaded, total) => early.push([file.file, loaded, total]));
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    gates.get('dit.onnx')?.();
    // nobody has asked for the DiT yet: its bytes are reported all the same, named and with its size
    await vi.waitFor(() => expect(early.at(-1)).toEqual(['dit.onnx', entry.bytes, entry.bytes]));
    const asked: number[] = [];
    expect(await bytesOf(await ahead.read(entry, (loaded) => asked.push(loaded)))).toEqual(FILE_BYTES);
    expect(asked).toEqual([]); // the finished figure was reported once, ahead
    // the decoder is asked for while its response is held: its progress goes to the asker from then on
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx', 'decoder.onnx']));
    const decoderAsked: number[] = [];
    const reading = ahead.read(decoder, (loaded) => decoderAsked.push(loaded));
    gates.get('decoder.onnx')?.();
    expect(await bytesOf(await reading)).toEqual(OTHER_BYTES);
    expect(decoderAsked.at(-1)).toBe(decoder.bytes);
    expect(early.filter(([file]) => file === 'decoder.onnx')).toEqual([]);
    const ditFigures = early.map(([, loaded]) => loaded);
    expect(ditFigures).toEqual([...ditFigures].sort((a, b) => a - b)); // rises, never counted again
    expect(new Set(ditFigures).size).toBe(ditFigures.length);
  });

  it('stops reporting a dropped read ahead', async () => {
    const ahead = gatedReader();
    const early: string[] = [];
    ahead.readAhead([entry], (file) => early.push(file.file));
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    ahead.dropReadAhead();
    gates.get('dit.onnx')?.();
    await ticks();
    expect(early).toEqual([]);
    expect(partialKeys()).toEqual([]);
  });

  it("cancels a read ahead with its asker's signal", async () => {
    const ahead = gatedReader();
    ahead.readAhead([entry]);
    const cancel = new AbortController();
    const reading = ahead.read(entry, undefined, cancel.signal);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    cancel.abort();
    await expect(reading).rejects.toThrow(
      new SamplingCancelledError('loading dit.onnx was cancelled; nothing of it was kept'),
    );
    expect(finalKeys()).toEqual([]);
  });

  it('drops the reads nobody asked for: stops the one under way, releases the finished one', async () => {
    const ahead = gatedReader();
    const created = vi.spyOn(URL, 'createObjectURL');
    const revoked = vi.spyOn(URL, 'revokeObjectURL');
    ahead.readAhead([entry, decoder]);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx']));
    gates.get('dit.onnx')?.();
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx', 'decoder.onnx']));
    ahead.dropReadAhead();
    await vi.waitFor(() => expect(revoked).toHaveBeenCalledWith(created.mock.results[0]?.value));
    expect(partialKeys()).toEqual([]);
    // asked for later, the decoder is read afresh (and the DiT comes from the cache)
    const fresh = ahead.read(decoder);
    await vi.waitFor(() => expect(started).toEqual(['dit.onnx', 'decoder.onnx', 'decoder.onnx']));
    gates.get('decoder.onnx')?.();
    expect(await bytesOf(await fresh)).toEqual(OTHER_BYTES);
    created.mockRestore();
    revoked.mockRestore();
  });
});
