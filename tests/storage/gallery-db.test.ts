import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/engine/errors';
import {
  GALLERY_RECORD_VERSION,
  IndexedDbGalleryStore,
  MemoryGalleryStore,
  migrateRecord,
  openGalleryStore,
  quarantineExportJson,
  readRecord,
  type GalleryEntry,
} from '../../src/storage/gallery-db';
import { goodEntry, seedFirstRelease } from './gallery-fixtures';

describe('IndexedDB gallery', () => {
  it('keeps entries across a reopen, newest first, with their pixels and latents', async () => {
    const factory = new IDBFactory();
    const first = await openGalleryStore(factory);
    expect(first.fallbackReason).toBeNull();
    expect(first.store.persistent).toBe(true);
    await first.store.put(goodEntry('a', 1));
    await first.store.put(goodEntry('b', 2));
    await first.store.put({ ...goodEntry('a', 1), favourite: true });

    const reopened = await IndexedDbGalleryStore.open(factory);
    const listed = (await reopened.list()).entries;
    expect(listed.map((e) => e.id)).toEqual(['b', 'a']);
    expect(listed[1]?.favourite).toBe(true);
    expect(Array.from(listed[1]!.latentTokens)).toEqual([0.5, -1]);
    expect(Array.from(listed[1]!.image.data)).toEqual([1, 2, 3, 255]);

    await reopened.remove('b');
    expect((await reopened.list()).entries.map((e) => e.id)).toEqual(['a']);
    await reopened.clear();
    expect((await reopened.list()).entries).toEqual([]);
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
      ...goodEntry('q', 1),
      image: { ...goodEntry('q', 1).image, data: () => 0 },
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
      const saving = store.put(goodEntry('big', 1));
      await expect(saving).rejects.toBeInstanceOf(StorageError);
      await expect(saving).rejects.toThrow(/storage quota is full.*kept for this session/);
    } finally {
      put.mockRestore();
    }
    expect((await store.list()).entries).toEqual([]);
  });
});

describe('memory gallery', () => {
  it('lists newest first and forgets on clear', async () => {
    const store = new MemoryGalleryStore();
    await store.put(goodEntry('a', 1));
    await store.put(goodEntry('b', 3));
    expect((await store.list()).entries.map((e) => e.id)).toEqual(['b', 'a']);
    await store.clear();
    expect((await store.list()).entries).toHaveLength(0);
  });
});

describe('stored records: versions, migration and quarantine', () => {
  it('migrates records written before versioning and sets a malformed one aside (defect 1)', async () => {
    const factory = new IDBFactory();
    // goodEntry() has today's fields and no recordVersion: what every build before versioning wrote.
    const legacy = goodEntry('old', 1);
    await seedFirstRelease(factory, [
      legacy,
      { ...goodEntry('broken', 2), settings: null },
      goodEntry('good', 3),
    ]);

    const store = await IndexedDbGalleryStore.open(factory);
    const first = await store.list();
    expect(first.entries.map((e) => e.id)).toEqual(['good', 'old']);
    expect(first.entries.every((e) => e.settings !== null)).toBe(true);
    expect(first.newlyQuarantined).toHaveLength(1);
    expect(first.newlyQuarantined[0]?.problems).toEqual(['settings: must be an object of settings']);
    expect((first.newlyQuarantined[0]?.record as { id: string }).id).toBe('broken');

    // Reported once: a second read finds nothing new, and the record is kept aside, not lost.
    const second = await store.list();
    expect(second.newlyQuarantined).toEqual([]);
    expect(second.entries).toHaveLength(2);
    const aside = await store.listQuarantine();
    expect(aside).toHaveLength(1);
    await store.removeQuarantined(aside[0]!.id);
    expect(await store.listQuarantine()).toEqual([]);
  });

  it('writes migrated records back in the current version', async () => {
    const factory = new IDBFactory();
    await seedFirstRelease(factory, [{ ...goodEntry('old', 1), favourite: undefined }]);
    const store = await IndexedDbGalleryStore.open(factory);
    const [migrated] = (await store.list()).entries;
    expect(migrated?.favourite).toBe(false);
    expect(readRecord(migrateRecord({ ...goodEntry('x', 1) }))).toMatchObject({ ok: true });
    expect(migrateRecord({ ...goodEntry('x', 1), recordVersion: 0 })).toMatchObject({
      recordVersion: GALLERY_RECORD_VERSION,
    });
  });

  it('names every problem of a record, and refuses records from a future version', () => {
    const bad = readRecord({
      ...goodEntry('x', 1),
      recordVersion: 1,
      image: { width: 2, height: 2, data: new Uint8ClampedArray(4) },
      settings: { ...goodEntry('x', 1).settings, steps: 0, guidanceSchedule: 'early-x' },
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.problems).toEqual([
      'settings.steps: must be an integer in 1..1000, got 0',
      'settings.guidanceSchedule: "early-x" is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>, none',
      'image: holds 4 bytes, not 2x2x4',
    ]);
    expect(readRecord({ ...goodEntry('x', 1), recordVersion: 99 })).toMatchObject({
      ok: false,
      problems: ['recordVersion: must be the current record version'],
    });
  });

  it('exports set-aside records as JSON with typed arrays as number lists', () => {
    const json = quarantineExportJson([
      {
        id: 'q',
        quarantinedAt: 5,
        problems: ['settings: missing'],
        record: { latent: new Float32Array([1, 2]) },
      },
    ]);
    const parsed = JSON.parse(json);
    expect(parsed.kind).toBe('gallery-quarantine');
    expect(parsed.records[0].record.latent).toEqual({ typedArray: 'Float32Array', values: [1, 2] });
  });
});
