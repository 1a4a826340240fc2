import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/engine/errors';
import {
  IndexedDbGalleryStore,
  MemoryGalleryStore,
  openGalleryStore,
  type GalleryEntry,
} from '../../src/storage/gallery-db';

function entry(id: string, createdAt: number): GalleryEntry {
  return {
    id,
    createdAt,
    modelSetId: 'svg-mini',
    manifestSha256: 'ab',
    settings: {
      classId: 1,
      seed: 7,
      steps: 4,
      sampler: 'euler',
      shift: 0.3,
      guidanceScale: 3,
      guidanceSchedule: 'constant',
      batch: 2,
    },
    batchIndex: 1,
    className: 'heart',
    favourite: false,
    image: { width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) },
    latentTokens: new Float32Array([0.5, -1]),
    latentDims: [1, 1, 2],
    provider: 'wasm',
    totalMs: 12,
  };
}

describe('IndexedDB gallery', () => {
  it('keeps entries across a reopen, newest first, with their pixels and latents', async () => {
    const factory = new IDBFactory();
    const first = await openGalleryStore(factory);
    expect(first.fallbackReason).toBeNull();
    expect(first.store.persistent).toBe(true);
    await first.store.put(entry('a', 1));
    await first.store.put(entry('b', 2));
    await first.store.put({ ...entry('a', 1), favourite: true });

    const reopened = await IndexedDbGalleryStore.open(factory);
    const listed = await reopened.list();
    expect(listed.map((e) => e.id)).toEqual(['b', 'a']);
    expect(listed[1]?.favourite).toBe(true);
    expect(Array.from(listed[1]!.latentTokens)).toEqual([0.5, -1]);
    expect(Array.from(listed[1]!.image.data)).toEqual([1, 2, 3, 255]);

    await reopened.remove('b');
    expect((await reopened.list()).map((e) => e.id)).toEqual(['a']);
    await reopened.clear();
    expect(await reopened.list()).toEqual([]);
  });

  it('falls back to memory when there is no IndexedDB, or it will not open, and says why', async () => {
    const none = await openGalleryStore(undefined);
    expect(none.store).toBeInstanceOf(MemoryGalleryStore);
    expect(none.fallbackReason).toMatch(/no IndexedDB/);
    const broken = {
      open: () => {
        throw new DOMException('blocked in private mode', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const refused = await openGalleryStore(broken);
    expect(refused.store.persistent).toBe(false);
    expect(refused.fallbackReason).toMatch(/blocked in private mode/);
  });

  it('reports a failed save as a StorageError', async () => {
    const store = await IndexedDbGalleryStore.open(new IDBFactory());
    const hostile = {
      ...entry('q', 1),
      image: { ...entry('q', 1).image, data: () => 0 },
    } as unknown as GalleryEntry;
    // A value IndexedDB cannot clone fails the put: the store reports a StorageError, not a raw DOMException.
    await expect(store.put(hostile)).rejects.toBeInstanceOf(StorageError);
  });

  it('names a full storage quota as such, saying the result is kept for the session', async () => {
    const store = await IndexedDbGalleryStore.open(new IDBFactory());
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    });
    try {
      const saving = store.put(entry('big', 1));
      await expect(saving).rejects.toBeInstanceOf(StorageError);
      await expect(saving).rejects.toThrow(/storage quota is full.*kept for this session/);
    } finally {
      put.mockRestore();
    }
    expect(await store.list()).toEqual([]);
  });
});

describe('memory gallery', () => {
  it('lists newest first and forgets on clear', async () => {
    const store = new MemoryGalleryStore();
    await store.put(entry('a', 1));
    await store.put(entry('b', 3));
    expect((await store.list()).map((e) => e.id)).toEqual(['b', 'a']);
    await store.clear();
    expect(await store.list()).toHaveLength(0);
  });
});
