// The browser's model-file cache: files live in Cache Storage keyed by their SHA-256 (so two sets sharing
// a file store it once), and one record per model set says which files it uses, which manifest text it
// came with and from where; that record lets a reload load the set with the network down. Reads are
// verified against the hash; a full quota is reported to the caller, who continues uncached.
import { IntegrityError, StorageError } from '../engine/errors';
import { verifyFileIntegrity } from '../engine/manifest';

const CACHE_NAME = 'svg-studio-models-v1';
/** Synthetic same-origin URLs used as Cache Storage keys. */
const FILE_KEY = (sha256: string) => `/__model-cache/sha256/${sha256.toLowerCase()}`;
const SET_KEY = (source: string) => `/__model-cache/set/${encodeURIComponent(source)}`;
const SET_PREFIX = '/__model-cache/set/';

export interface CachedFileRef {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What the cache knows about one model set. */
export interface CachedSetRecord {
  /** the manifest URL the set was loaded from */
  readonly source: string;
  readonly id: string;
  readonly name: string;
  readonly manifestText: string;
  readonly files: readonly CachedFileRef[];
  readonly cachedAt: string;
}

/** The subset of the Cache Storage API used here (a fake stands in for it in unit tests). */
export type CacheStore = Pick<Cache, 'match' | 'put' | 'delete' | 'keys'>;

export const isQuotaError = (error: unknown) =>
  error instanceof DOMException
    ? error.name === 'QuotaExceededError'
    : error instanceof Error && error.name === 'QuotaExceededError';

/** Opens the studio's cache, or null where Cache Storage is missing (insecure context, old browser). */
export async function openModelCache(): Promise<ModelCache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    return new ModelCache(await caches.open(CACHE_NAME));
  } catch {
    return null;
  }
}

export class ModelCache {
  constructor(private readonly store: CacheStore) {}

  /** The file's bytes when cached and intact; a damaged entry is deleted and reported as missing. */
  async readFile(ref: CachedFileRef): Promise<Uint8Array | null> {
    const response = await this.store.match(FILE_KEY(ref.sha256));
    if (!response) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    try {
      await verifyFileIntegrity(ref.file, bytes, ref);
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      await this.store.delete(FILE_KEY(ref.sha256));
      return null;
    }
    return bytes;
  }

  /** Stores verified bytes; a QuotaExceededError becomes a StorageError the caller can tell apart. */
  async writeFile(ref: CachedFileRef, bytes: Uint8Array): Promise<void> {
    await this.put(FILE_KEY(ref.sha256), new Response(bytes as BodyInit), ref.file);
  }

  async deleteFile(ref: CachedFileRef): Promise<void> {
    await this.store.delete(FILE_KEY(ref.sha256));
  }

  async writeSet(record: CachedSetRecord): Promise<void> {
    const body = JSON.stringify(record);
    await this.put(
      SET_KEY(record.source),
      new Response(body, { headers: { 'content-type': 'application/json' } }),
      record.id,
    );
  }

  async readSet(source: string): Promise<CachedSetRecord | null> {
    const response = await this.store.match(SET_KEY(source));
    return response ? ((await response.json()) as CachedSetRecord) : null;
  }

  async listSets(): Promise<CachedSetRecord[]> {
    const keys = await this.store.keys();
    const records = await Promise.all(
      keys
        .filter((request) => new URL(request.url, 'http://x').pathname.startsWith(SET_PREFIX))
        .map(async (request) => (await this.store.match(request))?.json() as Promise<CachedSetRecord>),
    );
    return records.filter((record): record is CachedSetRecord => record !== undefined);
  }

  /** Deletes a set's record and every file no other cached set uses. */
  async deleteSet(source: string): Promise<void> {
    const record = await this.readSet(source);
    await this.store.delete(SET_KEY(source));
    if (!record) return;
    const stillUsed = new Set(
      (await this.listSets()).flatMap((other) => other.files.map((f) => f.sha256.toLowerCase())),
    );
    await Promise.all(
      record.files
        .filter((f) => !stillUsed.has(f.sha256.toLowerCase()))
        .map((f) => this.store.delete(FILE_KEY(f.sha256))),
    );
  }

  private async put(key: string, response: Response, what: string): Promise<void> {
    try {
      await this.store.put(key, response);
    } catch (error) {
      const reason = isQuotaError(error)
        ? 'the storage quota is exceeded'
        : error instanceof Error
          ? error.message
          : String(error);
      throw new StorageError(`${what} could not be cached: ${reason}`, { cause: error });
    }
  }
}

/** Bytes a set occupies in the cache (each file once, even if listed twice). */
export function cachedSetBytes(record: CachedSetRecord): number {
  const seen = new Map(record.files.map((f) => [f.sha256.toLowerCase(), f.bytes]));
  return [...seen.values()].reduce((sum, bytes) => sum + bytes, 0);
}
