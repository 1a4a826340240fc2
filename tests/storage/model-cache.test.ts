// The model cache over a Map-backed Cache Storage double: files by SHA-256 shared between sets, reads
// verified (a damaged entry is dropped), a full quota turned into a StorageError, and deleting a set
// keeps the files another set still uses.
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/engine/errors';
import { sha256Hex } from '../../src/engine/manifest';
import {
  cachedSetBytes,
  ModelCache,
  type CachedFileRef,
  type CachedSetRecord,
} from '../../src/storage/model-cache';
import { FakeCache } from './fake-cache';

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

  it('drops a damaged entry and reports it as missing', async () => {
    const store = new FakeCache();
    const cache = new ModelCache(store);
    const a = await file('dit.onnx', 'weights');
    await cache.writeFile(a.ref, new TextEncoder().encode('WEIGHTS'));
    expect(await cache.readFile(a.ref)).toBeNull();
    expect(store.entries.size).toBe(0);
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

  it('sizes a set counting each file once', async () => {
    const a = await file('a.onnx', 'aaaa');
    expect(cachedSetBytes(record('s', [a.ref, a.ref, { ...a.ref, sha256: 'f'.repeat(64), bytes: 10 }]))).toBe(
      14,
    );
  });
});
