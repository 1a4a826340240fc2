// Gallery fixtures shared by the storage tests, the store's IndexedDB tests and the bad-input cases:
// one valid entry, and raw writes that bypass the gallery store's checks.
import type { GalleryEntry } from '../../src/storage/gallery-db';

/** A valid gallery entry with today's fields (no recordVersion: the store adds it when it writes). */
export function goodEntry(id: string, createdAt = 1_700_000_000_000): GalleryEntry {
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

// The database and object store names are spelled out rather than imported: they are the stored
// format, and a test that pins them fails if a rename would strand the records users already have.
const DATABASE = 'svg-studio';
const GALLERY = 'gallery';

/** Puts raw values in the gallery object store of an existing database, as another build or a damaged disk could have. */
export function putRawRecords(factory: IDBFactory, records: readonly unknown[]): Promise<void> {
  return putAll(factory.open(DATABASE), records);
}

/** Writes raw records the way the first release did: database version 1, no quarantine store. */
export function seedFirstRelease(factory: IDBFactory, records: readonly unknown[]): Promise<void> {
  const request = factory.open(DATABASE, 1);
  request.onupgradeneeded = () =>
    request.result.createObjectStore(GALLERY, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  return putAll(request, records);
}

async function putAll(request: IDBOpenDBRequest, records: readonly unknown[]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const transaction = db.transaction(GALLERY, 'readwrite');
  for (const record of records) transaction.objectStore(GALLERY).put(record);
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
}
