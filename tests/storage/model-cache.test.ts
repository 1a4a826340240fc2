// The model cache over a Map-backed Cache Storage double: files by SHA-256 shared between sets, each
// hashed once (an entry's verification record serves later reads; one without a matching record is
// hashed, dropped when damaged and recorded when sound), a full quota turned into a StorageError, and
// deleting a set keeps the files another set still uses.
import * as hashWasm from 'hash-wasm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/engine/errors';
import { sha256Hex } from '../../src/engine/model-set';
import {
  ModelCache,
  setRecordAfterLoad,
  type CachedFileRef,
  type CachedSetRecord,
} from '../../src/storage/model-cache';
import { FakeCache } from './fake-cache';

// Counts the hashers made, to show which reads hash (the hashing itself is hash-wasm's).
vi.mock('hash-wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof hashWasm>();
  return { ...actual, createSHA256: vi.fn(actual.createSHA256) };
});
const hashes = () => vi.mocked(hashWasm.createSHA256).mock.calls.length;
beforeEach(() => vi.mocked(hashWasm.createSHA256).mockClear());

const VERIFIED_HEADER = 'x-svg-studio-verified';
const fileKey = (ref: CachedFileRef) => `/__model-cache/sha256/${ref.sha256}`;
const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

async function file(name: string, text: string): Promise<{ ref: CachedFileRef; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text);
  return { ref: { file: name, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }, bytes };
}

const record = (source: string, files: CachedFileRef[]): CachedSetRecord => ({
  source,
  id: source,
  name: source,
  manifestText: '{}',
  files,
  cachedAt: '2026-01-01T00:00:00Z',
});

describe('ModelCache', () => {
  it('stores a file once by hash and reads it back verified', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    expect(await cache.readFile(a.ref)).toBeNull();
    await cache.writeFile(a.ref, a.bytes);
    await cache.writeFile({ ...a.ref, file: 'copy.onnx' }, a.bytes);
    expect(store.entries.size).toBe(1);
    expect(new TextDecoder().decode((await cache.readFile(a.ref)) as Uint8Array)).toBe('weights');
  });

  it('serves a recorded entry without hashing it, however often it is read', async () => {
    const cache = new ModelCache(new FakeCache());
    const a = await file('dit.onnx', 'weights');
    await cache.writeFile(a.ref, a.bytes);
    const progress: Array<[number, number]> = [];
    const blob = await cache.openFile(a.ref, (loaded, total) => progress.push([loaded, total]));
    expect(text(new Uint8Array(await (blob as Blob).arrayBuffer()))).toBe('weights');
    expect(text(await cache.readFile(a.ref))).toBe('weights');
    expect(hashes()).toBe(0);
    expect(progress).toEqual([[7, 7]]); // complete at once: the progress bar does not wait on a hash
  });

  it('hashes an entry without a record (an older cache), drops it when damaged, records it when sound', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    store.entries.set(fileKey(a.ref), new TextEncoder().encode('WEIGHTS'));
    expect(await cache.readFile(a.ref)).toBeNull();
    expect(store.entries.size).toBe(0);

    store.entries.set(fileKey(a.ref), a.bytes);
    expect(text(await cache.readFile(a.ref))).toBe('weights');
    expect(hashes()).toBe(2);
    expect(store.headers.get(fileKey(a.ref))?.get(VERIFIED_HEADER)).toBe(
      JSON.stringify({ sha256: a.ref.sha256, bytes: 7 }),
    );
    expect(text(await cache.readFile(a.ref))).toBe('weights');
    expect(hashes()).toBe(2); // recorded: the third read does not hash
  });

  it('serves a sound entry without a record even when there is no room to record it', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    store.entries.set(fileKey(a.ref), a.bytes);
    store.quotaBytes = 3;
    expect(text(await cache.readFile(a.ref))).toBe('weights');
    expect(store.entries.get(fileKey(a.ref))).toEqual(a.bytes);
    expect(store.headers.get(fileKey(a.ref))).toBeUndefined();
  });

  it.each([
    ['not JSON', '{sha256'],
    ['of the wrong shape', JSON.stringify({ sha256: 'xyz', bytes: -1 })],
    ['for another file', JSON.stringify({ sha256: 'ab'.repeat(32), bytes: 7 })],
    ['for another size', JSON.stringify({ sha256: '$SHA', bytes: 8 })],
  ])('hashes an entry whose record is %s before serving it', async (_, record) => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    await cache.writeFile(a.ref, a.bytes);
    store.headers.set(
      fileKey(a.ref),
      new Headers({ [VERIFIED_HEADER]: record.replace('$SHA', a.ref.sha256) }),
    );
    expect(text(await cache.readFile(a.ref))).toBe('weights');
    expect(hashes()).toBe(1);
    // and with damaged bytes under such a record, the entry is dropped (the reader downloads it again)
    store.entries.set(fileKey(a.ref), new TextEncoder().encode('WEIGHTS'));
    store.headers.set(
      fileKey(a.ref),
      new Headers({ [VERIFIED_HEADER]: record.replace('$SHA', a.ref.sha256) }),
    );
    expect(await cache.readFile(a.ref)).toBeNull();
    expect(store.entries.size).toBe(0);
  });

  it('drops a recorded entry whose body is not the recorded size, without hashing', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    await cache.writeFile(a.ref, a.bytes);
    store.entries.set(fileKey(a.ref), a.bytes.subarray(0, 4));
    expect(await cache.readFile(a.ref)).toBeNull();
    expect(store.entries.size).toBe(0);
    expect(hashes()).toBe(0);
  });

  it('turns a full quota into a StorageError naming the file', async () => {
    const store = new FakeCache();
    store.quotaBytes = 3;
    const a = await file('dit.onnx', 'weights');
    const write = new ModelCache(store).writeFile(a.ref, a.bytes);
    await expect(write).rejects.toThrow(StorageError);
    await expect(new ModelCache(store).writeFile(a.ref, a.bytes)).rejects.toThrow(
      'dit.onnx could not be cached: the storage quota is exceeded',
    );
  });

  it('lists set records and deletes a set, keeping files another set shares', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const shared = await file('decoder.onnx', 'shared');
    const own = await file('dit.onnx', 'own');
    for (const f of [shared, own]) await cache.writeFile(f.ref, f.bytes);
    await cache.writeSet(record('https://a/manifest.json', [shared.ref, own.ref]));
    await cache.writeSet(record('https://b/manifest.json', [shared.ref]));
    expect((await cache.listSets()).map((r) => r.source).sort()).toEqual([
      'https://a/manifest.json',
      'https://b/manifest.json',
    ]);
    expect((await cache.readSet('https://a/manifest.json'))?.files).toHaveLength(2);

    await cache.deleteSet('https://a/manifest.json');
    expect(await cache.readSet('https://a/manifest.json')).toBeNull();
    expect(await cache.readFile(own.ref)).toBeNull();
    expect(await cache.readFile(shared.ref)).not.toBeNull();
  });

  it('writes a record as given', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const first = record('https://a/manifest.json', []);
    await cache.writeSet(first);
    await cache.writeSet({ ...first, cachedAt: '2026-02-01T00:00:00Z' });
    expect((await cache.readSet(first.source))?.cachedAt).toBe('2026-02-01T00:00:00Z');
    expect(store.puts).toBe(2);
  });
  it('sizes a set by the files it has in the cache, each once', async () => {
    const cache = new ModelCache(new FakeCache());
    const a = await file('a.onnx', 'aaaa');
    await cache.writeFile(a.ref, a.bytes);
    const missing = { ...a.ref, file: 'b.onnx', sha256: 'f'.repeat(64), bytes: 10 };
    expect(await cache.storedBytes(record('s', [a.ref, a.ref, missing]))).toBe(4);
  });

  it('skips a set record that is not valid, and one that is not JSON', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const good = record('https://a/manifest.json', []);
    await cache.writeSet(good);
    store.entries.set('/__model-cache/set/bad', new TextEncoder().encode('{"source": 3}'));
    store.entries.set('/__model-cache/set/worse', new TextEncoder().encode('not json'));
    expect(await cache.listSets()).toEqual([good]);
    expect(await cache.readSet('bad')).toBeNull();
  });

  it('keeps partial segments that join up, drops ones with a gap, and promotes a complete download', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'abcdefghij');
    const stream = (text: string) => new Response(text).body as ReadableStream<Uint8Array>;
    await cache.writePartial(a.ref, 0, stream('abcd'));
    await cache.writePartial(a.ref, 4, stream('efg'));
    expect(await cache.partialSegments(a.ref)).toEqual([
      { offset: 0, bytes: 4 },
      { offset: 4, bytes: 3 },
    ]);
    await cache.writePartial(a.ref, 7, stream('hij'));
    await cache.promotePartial(a.ref, await cache.partialSegments(a.ref));
    expect([...store.entries.keys()]).toEqual([`/__model-cache/sha256/${a.ref.sha256}`]);
    expect(new TextDecoder().decode((await cache.readFile(a.ref)) as Uint8Array)).toBe('abcdefghij');

    await cache.writePartial(a.ref, 0, stream('ab'));
    expect(await cache.unfinishedBytes()).toBe(2);
    await cache.writePartial(a.ref, 5, stream('fg')); // a gap: bytes 2..4 are missing
    expect(await cache.partialSegments(a.ref)).toEqual([]);
    expect([...store.entries.keys()].filter((key) => key.includes('partial'))).toEqual([]);

    await cache.writePartial(a.ref, 0, stream('abc'));
    await cache.deleteUnfinished();
    expect(await cache.unfinishedBytes()).toBe(0);
    expect(await cache.readFile(a.ref)).not.toBeNull(); // the finished file stays
  });

  it('stores nothing when the stream of a partial write errors', async () => {
    const store = new FakeCache();
    const a = await file('dit.onnx', 'abcdefghij');
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2]));
        controller.error(new TypeError('network error'));
      },
    });
    await expect(new ModelCache(store).writePartial(a.ref, 0, failing)).rejects.toThrow('network error');
    expect(store.entries.size).toBe(0);
  });
});

describe('setRecordAfterLoad', () => {
  const source = 'https://a/manifest.json';
  const stored = record(source, [{ file: 'dit.onnx', bytes: 4, sha256: 'AB'.repeat(32) }]);
  const reload = { ...stored, cachedAt: '2026-02-01T00:00:00Z' };

  it('writes the first record of a set', () => {
    expect(setRecordAfterLoad(null, reload)).toBe(reload);
  });

  it('writes nothing when a later load of the same manifest finds its record (a cached reload)', () => {
    expect(setRecordAfterLoad(stored, reload)).toBeNull();
    // the same record with its fields in another order, or the hash in another case, is the same record
    const { cachedAt, files, ...rest } = stored;
    const reordered = {
      cachedAt,
      files: files.map((f) => ({ ...f, sha256: f.sha256.toLowerCase() })),
      ...rest,
    };
    expect(setRecordAfterLoad(reordered, reload)).toBeNull();
  });

  it('keeps the time a set was stored when its record of the same manifest needs rewriting', () => {
    const renamed = { ...reload, name: 'Renamed by an older version' };
    expect(setRecordAfterLoad(stored, renamed)).toEqual({ ...renamed, cachedAt: stored.cachedAt });
  });

  it('takes the new record, and its time, for a changed manifest', () => {
    const changed = { ...reload, manifestText: '{"v":2}' };
    expect(setRecordAfterLoad(stored, changed)).toBe(changed);
  });
});
