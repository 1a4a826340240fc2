// Where the gallery lives: IndexedDB (survives reloads and browser restarts), or memory for this
// session when IndexedDB is missing or refuses to open (private windows). Both behind one interface;
// the factory says which one it returned and why.
//
// Every record read back is migrated to the current recordVersion and checked with the record schema.
// A record that fails the check is never handed to the UI (one record with `settings: null` used to
// blank the studio on every load): it is moved to the `quarantine` store with the reasons, where the
// gallery offers to export or delete it. Nothing stored is ever dropped silently.
import * as v from 'valibot';
import { describeError } from '../engine/api/describe-error';
import { StorageError } from '../engine/errors';
import { LIMITS } from '../engine/limits';
import type { ExecutionProviderName } from '../engine/api/runtime-contract';
import { formatIssues, GENERATION_SETTINGS_SCHEMA } from '../engine/settings-schema';

/** The shape written today; bump it with a step in MIGRATIONS when the record changes. */
export const GALLERY_RECORD_VERSION = 1;

const text = v.string('must be text');
const nonNegativeInteger = v.pipe(
  v.number('must be a number'),
  v.integer('must be an integer'),
  v.minValue(0, (issue) => `must be 0 or more, got ${String(issue.input)}`),
);
const side = v.pipe(
  nonNegativeInteger,
  v.minValue(1, 'must be at least 1'),
  v.maxValue(
    LIMITS.image.maxSide,
    (issue) => `must be at most ${LIMITS.image.maxSide}, got ${String(issue.input)}`,
  ),
);

const IMAGE_SCHEMA = v.pipe(
  v.object(
    {
      width: side,
      height: side,
      data: v.custom<Uint8ClampedArray>(
        (value) => value instanceof Uint8ClampedArray,
        'must be RGBA bytes (Uint8ClampedArray)',
      ),
    },
    'must be an image',
  ),
  v.check(
    (image) => image.data.length === image.width * image.height * 4,
    (issue) => {
      const image = issue.input as { width: number; height: number; data: Uint8ClampedArray };
      return `holds ${image.data.length} bytes, not ${image.width}x${image.height}x4`;
    },
  ),
);

/** One gallery result as stored (version GALLERY_RECORD_VERSION). */
export const GALLERY_RECORD_SCHEMA = v.pipe(
  v.object(
    {
      recordVersion: v.literal(GALLERY_RECORD_VERSION, 'must be the current record version'),
      id: v.pipe(text, v.minLength(1, 'must not be empty')),
      createdAt: v.pipe(v.number('must be a time'), v.finite('must be a finite time')),
      modelSetId: v.pipe(text, v.minLength(1, 'must not be empty')),
      manifestSha256: text,
      /** The run's settings; with batchIndex they reproduce exactly this image. */
      settings: GENERATION_SETTINGS_SCHEMA,
      batchIndex: nonNegativeInteger,
      className: text,
      favourite: v.boolean('must be true or false'),
      image: IMAGE_SCHEMA,
      /** This image's final standardised latent tokens [N, C] (for interpolation and editing). */
      latentTokens: v.custom<Float32Array>(
        (value) => value instanceof Float32Array,
        'must be float32 latent values',
      ),
      latentDims: v.array(nonNegativeInteger, 'must be a list of dimensions'),
      provider: v.custom<ExecutionProviderName>(
        (value) => typeof value === 'string' && value !== '',
        'must name an execution provider',
      ),
      totalMs: v.pipe(v.number('must be a number'), v.finite('must be finite')),
    },
    'must be an object',
  ),
  v.check((record) => record.batchIndex < record.settings.batch, 'batchIndex must be below the batch size'),
  v.check(
    (record) => record.latentDims.reduce((a, b) => a * b, 1) === record.latentTokens.length,
    'latentDims must match the number of latent values',
  ),
);

export type GalleryRecord = v.InferOutput<typeof GALLERY_RECORD_SCHEMA>;
/** What the UI and the store trade: a record without its storage version stamp. */
export type GalleryEntry = Omit<GalleryRecord, 'recordVersion'>;

/**
 * Steps from each older version to the next. Version 0 is every record written before records were
 * versioned: the same fields without `recordVersion` (favourite and className could be absent in the
 * earliest builds: default them).
 */
const MIGRATIONS: Readonly<Record<number, (record: Record<string, unknown>) => Record<string, unknown>>> = {
  0: (record) => ({
    ...record,
    favourite: record.favourite ?? false,
    className:
      record.className ??
      `class ${String((record.settings as { classId?: unknown } | null)?.classId ?? '?')}`,
    recordVersion: 1,
  }),
};

/** Brings a stored value up to the current version; unknown or future versions are left as they are. */
export function migrateRecord(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let record = raw as Record<string, unknown>;
  for (;;) {
    const version = record.recordVersion === undefined ? 0 : record.recordVersion;
    const step = typeof version === 'number' ? MIGRATIONS[version] : undefined;
    if (!step) return record;
    record = step(record);
  }
}

export type ReadRecord =
  | { readonly ok: true; readonly entry: GalleryEntry; readonly migrated: boolean }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Migrates and checks one stored value; every problem is named ("settings.steps: must be …"). */
export function readRecord(raw: unknown): ReadRecord {
  // valibot's object schema reads a list's indices as missing keys; a list is simply not a record.
  if (Array.isArray(raw)) return { ok: false, problems: ['must be an object'] };
  const migrated = migrateRecord(raw);
  const result = v.safeParse(GALLERY_RECORD_SCHEMA, migrated);
  if (!result.success) return { ok: false, problems: formatIssues(result.issues) };
  const { recordVersion, ...entry } = result.output;
  return { ok: true, entry, migrated: migrated !== raw || recordVersion !== GALLERY_RECORD_VERSION };
}

export function toRecord(entry: GalleryEntry): GalleryRecord {
  return { ...entry, recordVersion: GALLERY_RECORD_VERSION };
}

/** A stored value that failed the record check, kept as it was with the reasons. */
export interface QuarantinedRecord {
  readonly id: string;
  readonly quarantinedAt: number;
  readonly problems: readonly string[];
  /** The value exactly as it was stored. */
  readonly record: unknown;
}

export interface GalleryListing {
  /** Newest first. */
  readonly entries: GalleryEntry[];
  /** Records set aside by this read (not those set aside earlier). */
  readonly newlyQuarantined: QuarantinedRecord[];
}

export interface GalleryStore {
  readonly persistent: boolean;
  list(): Promise<GalleryListing>;
  put(entry: GalleryEntry): Promise<void>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
  /** Every record set aside so far (this read's and earlier ones). */
  listQuarantine(): Promise<QuarantinedRecord[]>;
  removeQuarantined(id: string): Promise<void>;
}

const newestFirst = (a: GalleryEntry, b: GalleryEntry) => b.createdAt - a.createdAt;

export class MemoryGalleryStore implements GalleryStore {
  readonly persistent = false;
  private readonly entries = new Map<string, GalleryEntry>();

  async list() {
    return { entries: [...this.entries.values()].sort(newestFirst), newlyQuarantined: [] };
  }
  async put(entry: GalleryEntry) {
    this.entries.set(entry.id, entry);
  }
  async remove(id: string) {
    this.entries.delete(id);
  }
  async clear() {
    this.entries.clear();
  }
  async listQuarantine() {
    return [];
  }
  async removeQuarantined() {}
}

const DB_NAME = 'svg-studio';
/** 1: the gallery store; 2: adds the quarantine store. */
const DB_VERSION = 2;
const STORE = 'gallery';
const QUARANTINE = 'quarantine';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function transactionDone(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** IndexedDB errors, with a quota error named as such (the caller keeps the entry in memory). */
function storageError(error: unknown, action: string): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof DOMException ? error.name : '';
  return new StorageError(
    name === 'QuotaExceededError'
      ? `the browser's storage quota is full: ${action} was not saved (it is kept for this session)`
      : `IndexedDB failed while ${action}: ${describeError(error)}`,
    { cause: error },
  );
}

const keyText = (key: IDBValidKey) => (typeof key === 'string' ? key : (JSON.stringify(key) ?? String(key)));

export class IndexedDbGalleryStore implements GalleryStore {
  readonly persistent = true;

  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory: IDBFactory): Promise<IndexedDbGalleryStore> {
    const request = factory.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) {
        db.createObjectStore(STORE, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      }
      if (!db.objectStoreNames.contains(QUARANTINE)) db.createObjectStore(QUARANTINE, { keyPath: 'id' });
    };
    const db = await requestResult(request);
    // A newer build opening in another tab upgrades the database: let it, instead of blocking it.
    db.onversionchange = () => db.close();
    return new IndexedDbGalleryStore(db);
  }

  private async run<T>(
    stores: string[],
    mode: IDBTransactionMode,
    action: string,
    work: (transaction: IDBTransaction) => Promise<T>,
  ): Promise<T> {
    try {
      const transaction = this.db.transaction(stores, mode);
      const done = transactionDone(transaction);
      const result = await work(transaction);
      await done;
      return result;
    } catch (error) {
      throw storageError(error, action);
    }
  }

  /**
   * Reads every record in one transaction: valid ones are returned (migrated ones written back in
   * the current version), invalid ones are moved to the quarantine store.
   */
  async list(): Promise<GalleryListing> {
    return this.run([STORE, QUARANTINE], 'readwrite', 'reading the gallery', async (transaction) => {
      const gallery = transaction.objectStore(STORE);
      const quarantine = transaction.objectStore(QUARANTINE);
      const [keys, values] = await Promise.all([
        requestResult(gallery.getAllKeys()),
        requestResult(gallery.getAll() as IDBRequest<unknown[]>),
      ]);
      const entries: GalleryEntry[] = [];
      const newlyQuarantined: QuarantinedRecord[] = [];
      const now = Date.now();
      values.forEach((raw, index) => {
        const key = keys[index] as IDBValidKey;
        const read = readRecord(raw);
        if (read.ok) {
          entries.push(read.entry);
          if (read.migrated) gallery.put(toRecord(read.entry));
          return;
        }
        const set: QuarantinedRecord = {
          id: `${now}-${index}-${keyText(key)}`,
          quarantinedAt: now,
          problems: read.problems,
          record: raw,
        };
        quarantine.put(set);
        gallery.delete(key);
        newlyQuarantined.push(set);
      });
      return { entries: entries.sort(newestFirst), newlyQuarantined };
    });
  }

  private write(action: string, work: (store: IDBObjectStore) => IDBRequest, store = STORE) {
    return this.run([store], 'readwrite', action, async (transaction) => {
      await requestResult(work(transaction.objectStore(store)));
    });
  }

  async put(entry: GalleryEntry) {
    await this.write('saving a result', (s) => s.put(toRecord(entry)));
  }
  async remove(id: string) {
    await this.write('deleting a result', (s) => s.delete(id));
  }
  async clear() {
    await this.write('clearing the gallery', (s) => s.clear());
  }
  async listQuarantine() {
    return this.run([QUARANTINE], 'readonly', 'reading the set-aside records', (transaction) =>
      requestResult(transaction.objectStore(QUARANTINE).getAll() as IDBRequest<QuarantinedRecord[]>),
    );
  }
  async removeQuarantined(id: string) {
    await this.write('deleting a set-aside record', (s) => s.delete(id), QUARANTINE);
  }
}

export interface OpenedGallery {
  readonly store: GalleryStore;
  /** Why the gallery is in memory only; null when it persists. */
  readonly fallbackReason: string | null;
}

/** IndexedDB when it opens; otherwise memory, with the reason to show the user. */
export async function openGalleryStore(factory: IDBFactory | undefined): Promise<OpenedGallery> {
  if (!factory) {
    return { store: new MemoryGalleryStore(), fallbackReason: 'this browser offers no IndexedDB' };
  }
  try {
    return { store: await IndexedDbGalleryStore.open(factory), fallbackReason: null };
  } catch (error) {
    return {
      store: new MemoryGalleryStore(),
      fallbackReason: `IndexedDB did not open (${describeError(error)})`,
    };
  }
}

/** JSON of set-aside records for the user to keep (typed arrays become plain number lists). */
export function quarantineExportJson(records: readonly QuarantinedRecord[]): string {
  return JSON.stringify(
    { exportedBy: 'SVG Studio', kind: 'gallery-quarantine', records },
    (_key, value: unknown) =>
      ArrayBuffer.isView(value) && !(value instanceof DataView)
        ? { typedArray: value.constructor.name, values: Array.from(value as unknown as ArrayLike<number>) }
        : value,
    2,
  );
}
