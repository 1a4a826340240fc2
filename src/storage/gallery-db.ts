// Where the gallery lives: IndexedDB (survives reloads and browser restarts), or memory for this
// session when IndexedDB is missing or refuses to open (private windows). Both behind one interface;
// the factory says which one it returned and why.
import type { RgbaImage } from '../engine/image';
import { StorageError } from '../engine/errors';
import type { ExecutionProviderName } from '../engine/runtime-contract';
import type { LinkedSettings } from '../engine/workspace/settings-url';

export interface GalleryEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly modelSetId: string;
  readonly manifestSha256: string;
  /** The run's settings; with batchIndex they reproduce exactly this image. */
  readonly settings: LinkedSettings;
  readonly batchIndex: number;
  readonly className: string;
  readonly favourite: boolean;
  readonly image: RgbaImage;
  /** This image's final standardised latent tokens [N, C] (for interpolation and editing). */
  readonly latentTokens: Float32Array;
  readonly latentDims: readonly number[];
  readonly provider: ExecutionProviderName;
  readonly totalMs: number;
}

export interface GalleryStore {
  readonly persistent: boolean;
  /** Newest first. */
  list(): Promise<GalleryEntry[]>;
  put(entry: GalleryEntry): Promise<void>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
}

export class MemoryGalleryStore implements GalleryStore {
  readonly persistent = false;
  private readonly entries = new Map<string, GalleryEntry>();

  async list() {
    return [...this.entries.values()].sort((a, b) => b.createdAt - a.createdAt);
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
}

const DB_NAME = 'svg-studio';
const DB_VERSION = 1;
const STORE = 'gallery';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** IndexedDB errors, with a quota error named as such (the caller keeps the entry in memory). */
function storageError(error: unknown, action: string): StorageError {
  const name = error instanceof DOMException ? error.name : '';
  return new StorageError(
    name === 'QuotaExceededError'
      ? `the browser's storage quota is full: ${action} was not saved (it is kept for this session)`
      : `IndexedDB failed while ${action}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export class IndexedDbGalleryStore implements GalleryStore {
  readonly persistent = true;

  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory: IDBFactory): Promise<IndexedDbGalleryStore> {
    const request = factory.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('createdAt', 'createdAt');
    };
    return new IndexedDbGalleryStore(await requestResult(request));
  }

  private async run<T>(
    mode: IDBTransactionMode,
    action: string,
    work: (store: IDBObjectStore) => IDBRequest<T>,
  ) {
    try {
      const transaction = this.db.transaction(STORE, mode);
      const result = await requestResult(work(transaction.objectStore(STORE)));
      await new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      return result;
    } catch (error) {
      throw storageError(error, action);
    }
  }

  async list() {
    const all = await this.run(
      'readonly',
      'reading the gallery',
      (s) => s.getAll() as IDBRequest<GalleryEntry[]>,
    );
    return all.sort((a, b) => b.createdAt - a.createdAt);
  }
  async put(entry: GalleryEntry) {
    await this.run('readwrite', 'saving a result', (s) => s.put(entry));
  }
  async remove(id: string) {
    await this.run('readwrite', 'deleting a result', (s) => s.delete(id));
  }
  async clear() {
    await this.run('readwrite', 'clearing the gallery', (s) => s.clear());
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
    const detail = error instanceof Error ? error.message : String(error);
    return { store: new MemoryGalleryStore(), fallbackReason: `IndexedDB did not open (${detail})` };
  }
}
