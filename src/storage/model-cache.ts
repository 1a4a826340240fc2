// The browser's model-file cache: files live in Cache Storage keyed by their SHA-256 (so two sets sharing
// a file store it once), and one record per model set says which files it uses, which manifest text it
// came with and from where; that record lets a reload load the set with the network down.
//
// Files are written and read as streams, never as one buffer: a download in progress is kept under a
// temporary key per SHA-256 (one segment per HTTP response, so a broken download resumes where it
// stopped) and reaches the file's final key only after the whole file has been verified. Each file is
// hashed once: its entry carries a verification record (VERIFIED_HEADER) written with it, and a read that
// finds the record for the expected hash and size serves the entry without hashing it again (hashing a
// 2.7 GB file takes ~37 s at hash-wasm's ~73 MiB/s). An entry without a matching record is hashed as it
// streams, deleted when damaged, and recorded when sound. A full quota is reported to the caller (a
// StorageError), who continues uncached.
import { createSHA256 } from 'hash-wasm';
import * as v from 'valibot';
import { IntegrityError, StorageError } from '../engine/errors';
import { Sha256HexSchema } from '../engine/model-set/schema';

const CACHE_NAME = 'svg-studio-models-v1';
/** Synthetic same-origin URLs used as Cache Storage keys. */
const FILE_KEY = (sha256: string) => `/__model-cache/sha256/${sha256.toLowerCase()}`;
const PARTIAL_ROOT = '/__model-cache/partial/';
const PARTIAL_PREFIX = (sha256: string) => `${PARTIAL_ROOT}${sha256.toLowerCase()}/`;
/** A partial segment's key ends in the byte offset where its bytes start in the file. */
const PARTIAL_KEY = (sha256: string, offset: number) => `${PARTIAL_PREFIX(sha256)}${offset}`;
const SET_KEY = (source: string) => `/__model-cache/set/${encodeURIComponent(source)}`;
const SET_PREFIX = '/__model-cache/set/';

const ByteCountSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

const FileRefSchema = v.object({ file: v.string(), bytes: ByteCountSchema, sha256: Sha256HexSchema });

/**
 * The response header of a file's entry that says which file its bytes were verified as, when they were
 * written. It is trusted because it travels in the entry itself: Cache Storage commits an entry (headers
 * and body together) only once its body has ended, and only verified bytes are ever put under a file's
 * key, so a record cannot outlive or describe other bytes than its own. The read still checks the body's
 * size against it, which catches a truncated entry without reading it.
 */
const VERIFIED_HEADER = 'x-svg-studio-verified';
/** The record's value, JSON; one that fails this schema counts as no record (the entry is hashed). */
const VerifiedRecordSchema = v.object({ sha256: Sha256HexSchema, bytes: ByteCountSchema });

/** One set's record as stored; a record that fails this schema is skipped, never trusted. */
const CachedSetRecordSchema = v.object({
  /** the manifest URL the set was loaded from */
  source: v.string(),
  id: v.string(),
  name: v.string(),
  manifestText: v.string(),
  files: v.array(FileRefSchema),
  cachedAt: v.string(),
});

export type CachedFileRef = Readonly<v.InferOutput<typeof FileRefSchema>>;
/** What the cache knows about one model set. */
export type CachedSetRecord = Readonly<
  Omit<v.InferOutput<typeof CachedSetRecordSchema>, 'files'> & { files: readonly CachedFileRef[] }
>;

/** The subset of the Cache Storage API used here (a fake stands in for it in unit tests). */
export type CacheStore = Pick<Cache, 'match' | 'put' | 'delete' | 'keys'>;

/** The bytes of a download kept so far, one segment per HTTP response, in file order. */
export interface PartialSegment {
  readonly offset: number;
  readonly bytes: number;
}

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

/** Reads a stream to its end, handing each chunk to `onChunk`; aborts (cancelling the stream) on `signal`. */
export async function consumeStream(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = stream.getReader();
  const abort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) return;
      onChunk(value);
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}

export class ModelCache {
  constructor(private readonly store: CacheStore) {}

  /**
   * The cached file as a Blob (in a browser, backed by the cache's disk entry: no copy in memory), or null
   * when missing or damaged (then deleted). An entry whose record matches `ref` is served without hashing;
   * any other entry streams through SHA-256 first (`onProgress` sees the bytes as they are verified) and,
   * when sound, is written again with its record so the next read skips the hash.
   */
  async openFile(
    ref: CachedFileRef,
    onProgress?: (loaded: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Blob | null> {
    const key = FILE_KEY(ref.sha256);
    const response = await this.store.match(key);
    if (!response?.body) return null;
    if (recordMatches(response.headers, ref)) {
      const blob = await response.blob();
      if (blob.size === ref.bytes) {
        onProgress?.(ref.bytes, ref.bytes);
        return blob;
      }
      // Not the size its own record says: the entry was damaged after it was written.
      await this.store.delete(key);
      return null;
    }
    const hasher = await createSHA256();
    hasher.init();
    let loaded = 0;
    await consumeStream(
      response.body,
      (chunk) => {
        loaded += chunk.byteLength;
        if (loaded <= ref.bytes) hasher.update(chunk);
        onProgress?.(Math.min(loaded, ref.bytes), ref.bytes);
      },
      signal,
    );
    if (loaded !== ref.bytes || hasher.digest('hex') !== ref.sha256.toLowerCase()) {
      await this.store.delete(key);
      return null;
    }
    // A second match: the first body was consumed by the hash, and a clone would buffer it in memory.
    const verified = await (await this.store.match(key))?.blob();
    if (!verified) return null;
    try {
      await this.put(key, verifiedResponse(verified, ref), ref.file);
    } catch {
      // (put reports every failure as a StorageError.) The record only saves the next read a hash:
      // without room for it the entry stays as it was, verified for this read.
      return verified;
    }
    return (await (await this.store.match(key))?.blob()) ?? null;
  }

  /** The cached file's verified bytes (small files), or null when missing or damaged (then deleted). */
  async readFile(ref: CachedFileRef): Promise<Uint8Array | null> {
    const blob = await this.openFile(ref);
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  }

  /** Stores bytes already verified by the caller (tests and small files). */
  async writeFile(ref: CachedFileRef, bytes: Uint8Array): Promise<void> {
    await this.put(FILE_KEY(ref.sha256), verifiedResponse(bytes as BodyInit, ref), ref.file);
  }

  async deleteFile(ref: CachedFileRef): Promise<void> {
    await Promise.all([this.store.delete(FILE_KEY(ref.sha256)), this.deletePartial(ref)]);
  }

  /**
   * The segments of an unfinished download of `ref`, in file order, when they join up from byte 0 and do
   * not exceed the file; anything else (a gap, an overlap, too many bytes) is deleted and [] returned.
   */
  async partialSegments(ref: CachedFileRef): Promise<PartialSegment[]> {
    const prefix = PARTIAL_PREFIX(ref.sha256);
    const offsets = (await this.store.keys())
      .map((request) => new URL(request.url, 'http://x').pathname)
      .filter((path) => path.startsWith(prefix))
      .map((path) => Number(path.slice(prefix.length)))
      .sort((a, b) => a - b);
    const segments: PartialSegment[] = [];
    let end = 0;
    for (const offset of offsets) {
      const blob = await (await this.store.match(PARTIAL_KEY(ref.sha256, offset)))?.blob();
      if (!Number.isSafeInteger(offset) || offset !== end || !blob) {
        await this.deletePartial(ref);
        return [];
      }
      segments.push({ offset, bytes: blob.size });
      end += blob.size;
    }
    if (end > ref.bytes) {
      await this.deletePartial(ref);
      return [];
    }
    return segments.filter((segment) => segment.bytes > 0);
  }

  /** One kept segment's bytes, as a stream. */
  async readPartial(ref: CachedFileRef, segment: PartialSegment): Promise<ReadableStream<Uint8Array>> {
    const response = await this.store.match(PARTIAL_KEY(ref.sha256, segment.offset));
    if (!response?.body) {
      throw new StorageError(`${ref.file}: the kept bytes from offset ${segment.offset} disappeared`);
    }
    return response.body;
  }

  /**
   * Stores bytes of `ref` from `offset` on as they stream in. The entry exists only once `body` closes;
   * a body that errors stores nothing. A QuotaExceededError becomes a StorageError.
   */
  async writePartial(ref: CachedFileRef, offset: number, body: ReadableStream<Uint8Array>): Promise<void> {
    await this.put(PARTIAL_KEY(ref.sha256, offset), new Response(body), ref.file);
  }

  /**
   * Moves a complete, verified download from its temporary segments to the file's key (the only way an
   * entry reaches that key), then deletes the segments. The caller has hashed every byte already.
   */
  async promotePartial(ref: CachedFileRef, segments: readonly PartialSegment[]): Promise<void> {
    const total = segments.reduce((sum, segment) => sum + segment.bytes, 0);
    if (total !== ref.bytes) {
      throw new IntegrityError(`${ref.file}: ${total} bytes were kept, the manifest says ${ref.bytes}`);
    }
    const [only] = segments;
    const body =
      segments.length === 1 && only
        ? await this.readPartial(ref, only)
        : concatenateStreams(segments.map((segment) => () => this.readPartial(ref, segment)));
    try {
      await this.put(FILE_KEY(ref.sha256), verifiedResponse(body, ref), ref.file);
    } finally {
      await this.deletePartial(ref);
    }
  }

  /** Bytes kept by unfinished downloads (all files), for the storage panel. */
  async unfinishedBytes(): Promise<number> {
    const sizes = await Promise.all(
      (await this.partialKeys()).map(async (key) => (await (await this.store.match(key))?.blob())?.size ?? 0),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  }

  /** Deletes what every unfinished download kept (their next load starts from byte 0). */
  async deleteUnfinished(): Promise<void> {
    await Promise.all((await this.partialKeys()).map((key) => this.store.delete(key)));
  }

  private async partialKeys(): Promise<string[]> {
    return (await this.store.keys())
      .map((request) => new URL(request.url, 'http://x').pathname)
      .filter((path) => path.startsWith(PARTIAL_ROOT));
  }

  /** Deletes the temporary segments of an unfinished download of `ref`. */
  async deletePartial(ref: CachedFileRef): Promise<void> {
    const prefix = PARTIAL_PREFIX(ref.sha256);
    const keys = (await this.store.keys()).filter((request) =>
      new URL(request.url, 'http://x').pathname.startsWith(prefix),
    );
    await Promise.all(keys.map((request) => this.store.delete(new URL(request.url, 'http://x').pathname)));
  }

  /** Writes the set's record as given (setRecordAfterLoad says what a load writes, if anything). */
  async writeSet(record: CachedSetRecord): Promise<void> {
    const body = JSON.stringify(record);
    await this.put(
      SET_KEY(record.source),
      new Response(body, { headers: { 'content-type': 'application/json' } }),
      record.id,
    );
  }

  /** The set's record, or null when there is none or it does not match the schema. */
  async readSet(source: string): Promise<CachedSetRecord | null> {
    return parseRecord(await this.store.match(SET_KEY(source)));
  }

  /** Every valid set record (a damaged record is skipped; its files stay until a set is deleted). */
  async listSets(): Promise<CachedSetRecord[]> {
    const keys = await this.store.keys();
    const records = await Promise.all(
      keys
        .filter((request) => new URL(request.url, 'http://x').pathname.startsWith(SET_PREFIX))
        .map(async (request) => parseRecord(await this.store.match(request))),
    );
    return records.filter((record): record is CachedSetRecord => record !== null);
  }

  /**
   * Bytes of a set's files that are in the cache now (each file once): a record lists every file the set
   * may cache, and the networks a task never used were never downloaded.
   */
  async storedBytes(record: CachedSetRecord): Promise<number> {
    const files = new Map(record.files.map((f) => [f.sha256.toLowerCase(), f]));
    const sizes = await Promise.all(
      [...files.keys()].map(
        async (sha256) => (await (await this.store.match(FILE_KEY(sha256)))?.blob())?.size,
      ),
    );
    return sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
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
      record.files.filter((f) => !stillUsed.has(f.sha256.toLowerCase())).map((f) => this.deleteFile(f)),
    );
  }

  private async put(key: string, response: Response, what: string): Promise<void> {
    try {
      await this.store.put(key, response);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      const reason = isQuotaError(error)
        ? 'the storage quota is exceeded'
        : error instanceof Error
          ? error.message
          : String(error);
      throw new StorageError(`${what} could not be cached: ${reason}`, { cause: error });
    }
  }
}

/**
 * The set record a finished load leaves in the cache, or null when the cache holds it already, so a
 * reload of an unchanged set (a cached reload above all) writes nothing. An earlier record of the same
 * manifest keeps its `cachedAt`: the storage panel shows when the set was stored, not when it was last
 * opened. A changed manifest (new files to download) takes the new record and its time.
 */
export function setRecordAfterLoad(
  earlier: CachedSetRecord | null,
  loaded: CachedSetRecord,
): CachedSetRecord | null {
  if (!earlier || earlier.manifestText !== loaded.manifestText) return loaded;
  const next: CachedSetRecord = { ...loaded, cachedAt: earlier.cachedAt };
  return recordText(next) === recordText(earlier) ? null : next;
}

/** A record's stored content in a fixed field order (an earlier record may list its fields otherwise). */
function recordText(record: CachedSetRecord): string {
  const { source, id, name, manifestText, files, cachedAt } = record;
  const refs = files.map(({ file, bytes, sha256 }) => ({ file, bytes, sha256: sha256.toLowerCase() }));
  return JSON.stringify({ source, id, name, manifestText, files: refs, cachedAt });
}

/** A file entry's response: its bytes with the record that they were verified as `ref`. */
function verifiedResponse(body: BodyInit, ref: CachedFileRef): Response {
  const record: v.InferOutput<typeof VerifiedRecordSchema> = {
    sha256: ref.sha256.toLowerCase(),
    bytes: ref.bytes,
  };
  return new Response(body, { headers: { [VERIFIED_HEADER]: JSON.stringify(record) } });
}

/** Whether an entry's record says its bytes were verified as exactly `ref` (same hash and size). */
function recordMatches(headers: Headers, ref: CachedFileRef): boolean {
  const value = headers.get(VERIFIED_HEADER);
  if (value === null) return false;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return false; // not JSON: no record
  }
  const parsed = v.safeParse(VerifiedRecordSchema, json);
  return (
    parsed.success &&
    parsed.output.sha256.toLowerCase() === ref.sha256.toLowerCase() &&
    parsed.output.bytes === ref.bytes
  );
}

async function parseRecord(response: Response | undefined): Promise<CachedSetRecord | null> {
  if (!response) return null;
  try {
    const parsed = v.safeParse(CachedSetRecordSchema, await response.json());
    return parsed.success ? parsed.output : null;
  } catch {
    return null; // not JSON
  }
}

/** One stream of several, opened one after another as the previous one ends. */
function concatenateStreams(
  parts: ReadonlyArray<() => Promise<ReadableStream<Uint8Array>>>,
): ReadableStream<Uint8Array> {
  let index = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (!reader) {
          const open = parts[index++];
          if (!open) return controller.close();
          reader = (await open()).getReader();
        }
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        reader = null;
      }
    },
    cancel: (reason) => reader?.cancel(reason),
  });
}
