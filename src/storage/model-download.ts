// The browser's model-file reader (CONTRACTS.md §2): fetches a model set's files next to its manifest
// and verifies each one, once, while its bytes stream in.
//
// - A file streams straight into Cache Storage while every chunk goes through an incremental SHA-256
//   (hash-wasm), so no file is held in memory at all; ONNX Runtime then reads the verified cache entry
//   through a blob: URL. Without a cache (or once a cache write failed, e.g. the quota) the stream fills
//   one buffer of the manifest's size, handed over as bytes.
// - A cut download resumes with an HTTP Range request from the bytes already received; those bytes are
//   kept in the cache under a temporary key (see model-cache.ts) so a later load resumes them too. A
//   server that ignores Range (200 instead of 206) is read again from byte 0. Nothing reaches a file's
//   final cache key before the whole file matched its size and hash.
// - Every request takes the load's AbortSignal and a stall watchdog (no bytes for STALL_TIMEOUT_MS);
//   every failure names the file, the URL and the byte offset; HTML served in place of a model is named
//   (the stall and HTML checks are http-checks.ts's, shared with ONNX Runtime's own file check).
// - `readAhead` starts the first task's files before any session asks for them (while ONNX Runtime is
//   still fetched and compiled), reporting their progress from the first byte; the session's own read
//   then takes over the read under way, and its progress from there on.
import { createSHA256, type IHasher } from 'hash-wasm';
import { thinProgress } from '../engine/download-progress';
import {
  IntegrityError,
  ManifestError,
  ModelFetchError,
  SamplingCancelledError,
  StorageError,
} from '../engine/errors';
import {
  releaseSource,
  type ByteProgress,
  type FileEntry,
  type ModelFileReader,
  type ModelFileSource,
} from '../engine/model-set/reader';
import { servedHtmlPage, servedMarkup, StallWatchdog, STALL_TIMEOUT_MS } from './http-checks';
import { consumeStream, type ModelCache } from './model-cache';
/** How often one load reopens a file's download by itself after the connection broke mid-body. */
export const MAX_AUTO_RESUMES = 3;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The URL of a file named by a manifest: resolved against the manifest's URL first, then checked. The
 * result must lie inside the manifest's folder on the same origin, so `%2e%2e/other/dit.onnx` (which
 * URL resolution decodes to `..`), absolute URLs, `//host/x`, `/x` and backslashes are refused.
 */
export function resolveModelFileUrl(file: string, manifestUrl: string): URL {
  const folder = new URL('.', manifestUrl);
  const refuse = (why: string) =>
    new ManifestError(`${manifestUrl}: file "${file}" ${why}; files must lie inside ${folder.href}`);
  if (file.includes('\\')) throw refuse('contains a backslash');
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('/')) throw refuse('is not a relative path');
  const resolved = new URL(file, manifestUrl);
  if (
    resolved.origin !== folder.origin ||
    !resolved.pathname.startsWith(folder.pathname) ||
    resolved.pathname === folder.pathname ||
    resolved.search !== '' ||
    resolved.hash !== ''
  ) {
    throw refuse(`resolves to ${resolved.href}, outside the set's folder`);
  }
  return resolved;
}

export interface DownloadReaderOptions {
  readonly manifestUrl: string;
  /** null: nothing is cached (no Cache Storage, or local policy) */
  readonly cache: ModelCache | null;
  /** the whole load's signal (Cancel in the model manager); each read may add its own */
  readonly signal?: AbortSignal;
  readonly stallTimeoutMs?: number;
  readonly fetch?: Fetch;
}

/** What a reader did with the cache during one load, for the model manager's cache report. */
export interface DownloadCacheReport {
  /** files served from the cache */
  readonly fromCache: ReadonlySet<string>;
  /** files this load added to the cache (no set record refers to them until the load completes) */
  readonly stored: readonly FileEntry[];
  /** why caching stopped part-way; the load then continued uncached */
  readonly failure: string | null;
}

/**
 * The reader of a set loaded from a manifest URL. Cache hits are served on the record of the hash made
 * when they were stored (model-cache.ts), without hashing again; misses download into the cache (or
 * memory) as described at the top of this file.
 */
export class DownloadReader {
  /** reads started by `readAhead` that no `read` has taken over yet, by file name */
  private readonly early = new Map<string, EarlyRead>();
  private readonly fromCache = new Set<string>();
  private readonly stored: FileEntry[] = [];
  private failure: string | null = null;
  private readonly stallTimeoutMs: number;
  private readonly fetch: Fetch;

  constructor(private readonly options: DownloadReaderOptions) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The caching still in force: null once a write failed. */
  private get cache(): ModelCache | null {
    return this.failure === null ? this.options.cache : null;
  }

  report(): DownloadCacheReport {
    return { fromCache: this.fromCache, stored: this.stored, failure: this.failure };
  }

  /** Stops caching for the rest of the load and drops what this load wrote (no orphan files). */
  async giveUpCaching(error: StorageError): Promise<void> {
    const cache = this.cache;
    if (!cache) return;
    this.failure = error.message;
    await Promise.all(this.stored.map((entry) => cache.deleteFile(entry)));
  }

  /** A cancelled load keeps nothing: drops the files it stored (no set record refers to them). */
  async discardStored(): Promise<void> {
    const cache = this.options.cache;
    await Promise.all(this.stored.splice(0).map((entry) => cache?.deleteFile(entry)));
  }

  /**
   * Starts reading `entries` now, one after another (so they do not share the bandwidth), before any
   * session asks for them. Until a `read` takes a file over, its progress goes to `onProgress` (the
   * load's own progress, so the bar moves while ONNX Runtime compiles). A later `read` of the same file
   * takes over the read under way: its progress from then on (the figure so far too, when no
   * `onProgress` reported it already, so no figure is reported twice), its result or error, and its
   * cancellation by the taker's signal.
   *
   * It covers the time before any session exists (ONNX Runtime still downloading and compiling), which
   * is why it lives in the reader. Once sessions open, SessionSet.prepare (src/runtime/session-set.ts)
   * reads one network ahead of the session being created, for any reader; its reads of these files are
   * the `read`s that take them over, so the two never download a file twice.
   */
  readAhead(entries: readonly FileEntry[], onProgress?: ReadAheadProgress): void {
    let previous: Promise<unknown> = Promise.resolve();
    for (const entry of entries) {
      if (this.early.has(entry.file)) continue;
      const relay = new ProgressRelay(onProgress && ((loaded, total) => onProgress(entry, loaded, total)));
      const abort = new AbortController();
      const source = previous.then(() => this.readNow(entry, relay.report, abort.signal));
      source.catch(() => undefined); // reported to the read that takes it over, if any
      previous = source.catch(() => undefined); // one file's failure does not stop the next
      this.early.set(entry.file, { entry, source, relay, abort });
    }
  }

  /** Stops and releases the reads ahead nobody took over (the load failed, or opened other variants). */
  dropReadAhead(): void {
    for (const early of this.early.values()) {
      early.relay.attach(undefined); // the load is over: nobody listens to a dropped read
      early.abort.abort(new SamplingCancelledError(`${early.entry.file} was read ahead for nothing`));
      void early.source.then(releaseSource, () => undefined);
    }
    this.early.clear();
  }

  readonly read: ModelFileReader = (entry, everyProgress, signal) =>
    this.takeOver(entry, everyProgress, signal) ?? this.readNow(entry, everyProgress, signal);

  /** The read ahead of `entry` (same name, size and hash), handed to this caller; null when none. */
  private takeOver(
    entry: FileEntry,
    onProgress: ByteProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ModelFileSource> | null {
    const early = this.early.get(entry.file);
    if (!early || early.entry.bytes !== entry.bytes || early.entry.sha256 !== entry.sha256) return null;
    this.early.delete(entry.file);
    early.relay.attach(onProgress);
    if (signal?.aborted) early.abort.abort(signal.reason);
    else signal?.addEventListener('abort', () => early.abort.abort(signal.reason), { once: true });
    return early.source;
  }

  private async readNow(
    entry: FileEntry,
    everyProgress: ByteProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ModelFileSource> {
    const onProgress = thinProgress(entry.bytes, everyProgress);
    const load = combineSignals(this.options.signal, signal);
    const url = resolveModelFileUrl(entry.file, this.options.manifestUrl).href;
    const cancelled = () =>
      new SamplingCancelledError(`loading ${entry.file} was cancelled; nothing of it was kept`);
    try {
      load?.throwIfAborted();
      const cache = this.cache;
      if (cache) {
        // Bytes served from the cache count as 'from cache' in the progress.
        const fromCache: ByteProgress = (loaded, total) => {
          this.fromCache.add(entry.file);
          onProgress?.(loaded, total);
        };
        const blob = await cache.openFile(entry, fromCache, load);
        if (blob) return blobSource(blob);
        this.fromCache.delete(entry.file); // missing, or damaged and deleted: downloaded below
        try {
          const blob = await this.downloadIntoCache(cache, entry, url, onProgress, load);
          this.stored.push(entry);
          return blobSource(blob);
        } catch (error) {
          if (!(error instanceof StorageError)) throw error;
          await cache.deletePartial(entry);
          await this.giveUpCaching(error);
          // Continues uncached: the file is read again, into memory this time.
        }
      }
      return { kind: 'bytes', bytes: await this.downloadIntoMemory(entry, url, onProgress, load) };
    } catch (error) {
      if (load?.aborted) {
        await this.options.cache?.deletePartial(entry).catch(() => undefined);
        throw cancelled();
      }
      throw error;
    }
  }

  /** Downloads `entry` into the cache, resuming kept bytes; returns the verified entry's Blob. */
  private async downloadIntoCache(
    cache: ModelCache,
    entry: FileEntry,
    url: string,
    onProgress: ByteProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Blob> {
    const transfer = await Transfer.start(entry, url, onProgress);
    // Bytes a previous attempt kept: hashed again (this load has not seen them), not downloaded again.
    for (const segment of await cache.partialSegments(entry)) {
      await consumeStream(await cache.readPartial(entry, segment), (chunk) => transfer.absorb(chunk), signal);
    }
    for (let resumes = 0; transfer.received < entry.bytes; resumes++) {
      const body = await this.open(transfer, signal);
      if (transfer.received === 0) await cache.deletePartial(entry); // a restart from byte 0
      const start = transfer.received;
      // The segment stream is pulled by cache.put: the network is read at the speed the disk takes it.
      let broken: TransferBroken | null = null;
      /** what ended the segment with an error (the cache's own error would hide it) */
      let failed: unknown = null;
      const segment = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            try {
              const chunk = await this.nextChunk(transfer, body, signal);
              if (chunk) controller.enqueue(chunk);
              else controller.close();
            } catch (error) {
              if (error instanceof TransferBroken) {
                broken = error;
                controller.close(); // keeps the bytes received so far under the temporary key
              } else {
                failed = error;
                controller.error(error);
              }
            }
          },
          cancel: (reason) => body.reader.cancel(reason),
        },
        { highWaterMark: 0 },
      );
      try {
        await cache.writePartial(entry, start, segment);
      } catch (error) {
        await body.reader.cancel().catch(() => undefined);
        if (failed !== null || !(error instanceof StorageError)) await cache.deletePartial(entry);
        throw failed ?? error;
      }
      if (broken) this.failOrResume(broken, resumes, transfer);
    }
    try {
      transfer.verify();
    } catch (error) {
      await cache.deletePartial(entry);
      throw error;
    }
    await cache.promotePartial(entry, await cache.partialSegments(entry));
    // The entry carries the record of the hash just made: opening it does not hash it a second time.
    const blob = await cache.openFile(entry);
    if (!blob) throw new StorageError(`${entry.file}: the cache lost the file just written`);
    return blob;
  }

  /** Downloads `entry` into one buffer of the manifest's size, resuming in memory after a cut. */
  private async downloadIntoMemory(
    entry: FileEntry,
    url: string,
    onProgress: ByteProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const transfer = await Transfer.start(entry, url, onProgress);
    const bytes = new Uint8Array(entry.bytes);
    for (let resumes = 0; transfer.received < entry.bytes; resumes++) {
      const body = await this.open(transfer, signal);
      try {
        for (;;) {
          const chunk = await this.nextChunk(transfer, body, signal);
          if (!chunk) break;
          bytes.set(chunk, transfer.received - chunk.byteLength);
        }
      } catch (error) {
        if (!(error instanceof TransferBroken)) throw error;
        this.failOrResume(error, resumes, transfer);
      }
    }
    transfer.verify();
    return bytes;
  }

  /** A cut connection is reopened by itself a few times; a stall, or too many cuts, fail the load. */
  private failOrResume(broken: TransferBroken, resumes: number, transfer: Transfer): void {
    if (broken.stalled || resumes >= MAX_AUTO_RESUMES) {
      const kept =
        transfer.received > 0 && this.cache
          ? `; the ${transfer.received} bytes received are kept, and loading the set again resumes there`
          : '';
      throw new ModelFetchError(`${broken.message}${kept}`, { cause: broken });
    }
  }

  /**
   * Requests the rest of the file (a Range from `received`) and checks the response's status and type;
   * the body comes with the request's stall watchdog, which then times each chunk.
   */
  private async open(transfer: Transfer, signal: AbortSignal | undefined): Promise<OpenBody> {
    const { entry, url } = transfer;
    const offset = transfer.received;
    const watchdog = new StallWatchdog({ limitMs: this.stallTimeoutMs, signal });
    let response: Response;
    try {
      const request = this.fetch(url, {
        signal: watchdog.signal,
        ...(offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : {}),
      });
      response = await watchdog.wait(request);
    } catch (error) {
      signal?.throwIfAborted();
      if (watchdog.stalled) {
        throw new ModelFetchError(
          `${entry.file}: ${url} sent no response for ${watchdog.limitText} at byte ${offset}; the server is not answering`,
        );
      }
      const failure = new ModelFetchError(
        `${entry.file}: could not fetch ${url} at byte ${offset} (${describe(error)}); ${offlineHint()}`,
        { cause: error },
      );
      if (offset === 0) throw failure;
      // A cross-origin host whose CORS rules do not allow the Range header fails the request outright:
      // once, ask for the whole file instead (the kept bytes stay until that request succeeds).
      await transfer.restart();
      try {
        return await this.open(transfer, signal);
      } catch (retryError) {
        throw retryError instanceof ModelFetchError ? failure : retryError;
      }
    }
    if (offset > 0 && response.status === 206) {
      const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (start !== undefined && Number(start) !== offset) {
        await response.body?.cancel();
        throw new ModelFetchError(
          `${entry.file}: ${url} answered a request for bytes from ${offset} with bytes from ${start}`,
        );
      }
    } else if (response.ok && response.status !== 206) {
      // 200: the whole file (on a resume the server ignored Range): start over from byte 0.
      if (offset > 0) await transfer.restart();
    } else {
      await response.body?.cancel().catch(() => undefined);
      throw new ModelFetchError(
        `${entry.file}: ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd() +
          (offset > 0 ? ` at byte ${offset}` : ''),
      );
    }
    const htmlPage = servedHtmlPage(url, response);
    if (htmlPage) {
      await response.body?.cancel().catch(() => undefined);
      throw new IntegrityError(
        `${entry.file}: ${htmlPage} instead of the model file; the file is missing on the server or the address is wrong`,
      );
    }
    if (!response.body) throw new ModelFetchError(`${entry.file}: ${url} answered without a body`);
    return { reader: response.body.getReader(), watchdog };
  }

  /** The next chunk, checked and hashed; null at the end. Throws TransferBroken on a cut or a stall. */
  private async nextChunk(
    transfer: Transfer,
    body: OpenBody,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array | null> {
    signal?.throwIfAborted();
    const { entry, url } = transfer;
    const { reader, watchdog } = body;
    try {
      const { done, value } = await watchdog.wait(reader.read());
      if (done && transfer.received < entry.bytes) {
        // Closed early without an error (a proxy's timeout, a truncated file): resumable like a cut.
        throw new TransferBroken(
          `${entry.file}: the response from ${url} ended at byte ${transfer.received} of ${entry.bytes}`,
          false,
        );
      }
      if (done) return null;
      transfer.absorb(value);
      return value;
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      signal?.throwIfAborted();
      if (watchdog.stalled) {
        throw new TransferBroken(
          `${entry.file}: no bytes from ${url} for ${watchdog.limitText} after byte ${transfer.received} of ${entry.bytes}; the download stalled`,
          true,
        );
      }
      if (error instanceof TransferBroken || error instanceof IntegrityError) throw error;
      throw new TransferBroken(
        `${entry.file}: the connection to ${url} broke at byte ${transfer.received} of ${entry.bytes} (${describe(error)})`,
        false,
        { cause: error },
      );
    }
  }
}

/** A response's body being read, with the watchdog that ends it when it goes silent. */
interface OpenBody {
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly watchdog: StallWatchdog;
}

/** A read started by `readAhead`, until a `read` takes it over. */
interface EarlyRead {
  readonly entry: FileEntry;
  readonly source: Promise<ModelFileSource>;
  readonly relay: ProgressRelay;
  /** aborted by the taker's signal, or when dropped */
  readonly abort: AbortController;
}

/** Which file a read ahead is reading, and its bytes so far of the whole, before a session takes it over. */
export type ReadAheadProgress = (entry: FileEntry, loadedBytes: number, totalBytes: number) => void;

/**
 * Progress of a read ahead, passed to one listener at a time: the read ahead's own, then the taker's.
 * The latest figure is kept so a taker hears it at once, unless a listener has heard it already.
 */
class ProgressRelay {
  private latest: readonly [number, number] | null = null;
  /** whether a listener heard `latest` */
  private heard = false;

  constructor(private listener: ByteProgress | undefined) {}

  readonly report: ByteProgress = (loaded, total) => {
    this.latest = [loaded, total];
    this.heard = this.listener !== undefined;
    this.listener?.(loaded, total);
  };

  attach(listener: ByteProgress | undefined): void {
    this.listener = listener;
    if (this.latest && !this.heard && listener) {
      this.heard = true;
      listener(...this.latest);
    }
  }
}

/** A download that stopped part-way and may be resumed (a cut connection) or not by itself (a stall). */
class TransferBroken extends ModelFetchError {
  constructor(
    message: string,
    readonly stalled: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One file's bytes as they arrive, across resumes: counted, sniffed, hashed once and reported. */
class Transfer {
  received = 0;

  private constructor(
    readonly entry: FileEntry,
    readonly url: string,
    private readonly hasher: IHasher,
    private readonly onProgress: ByteProgress | undefined,
  ) {}

  static async start(entry: FileEntry, url: string, onProgress?: ByteProgress): Promise<Transfer> {
    const hasher = await createSHA256();
    hasher.init();
    return new Transfer(entry, url, hasher, onProgress);
  }

  absorb(chunk: Uint8Array): void {
    const markup = this.received === 0 ? servedMarkup(this.url, chunk) : null;
    if (markup) throw new IntegrityError(`${this.entry.file}: ${markup} instead of the model file`);
    this.received += chunk.byteLength;
    if (this.received > this.entry.bytes) {
      throw new IntegrityError(
        `${this.entry.file}: ${this.url} sent more than the ${this.entry.bytes} bytes the manifest says (incomplete manifest or replaced file)`,
      );
    }
    this.hasher.update(chunk);
    this.onProgress?.(this.received, this.entry.bytes);
  }

  /** The server ignored a Range request: the bytes come again from byte 0. */
  async restart(): Promise<void> {
    this.hasher.init();
    this.received = 0;
    this.onProgress?.(0, this.entry.bytes);
  }

  verify(): void {
    const { file, bytes, sha256 } = this.entry;
    if (this.received !== bytes) {
      throw new IntegrityError(
        `${file}: ${this.url} ended after ${this.received} bytes, the manifest says ${bytes} (size mismatch: incomplete or replaced file)`,
      );
    }
    const digest = this.hasher.digest('hex');
    if (digest !== sha256.toLowerCase()) {
      throw new IntegrityError(
        `${file}: SHA-256 of ${this.url} is ${digest}, the manifest says ${sha256} (hash mismatch: corrupt or replaced file)`,
      );
    }
  }
}

/**
 * A local (picked or dropped) file verified by streaming it through SHA-256; the file itself, on disk,
 * is then what ONNX Runtime reads through a blob: URL.
 */
export async function verifyLocalFile(
  entry: FileEntry,
  blob: Blob,
  everyProgress?: ByteProgress,
  signal?: AbortSignal,
): Promise<ModelFileSource> {
  const onProgress = thinProgress(entry.bytes, everyProgress);
  if (blob.size !== entry.bytes) {
    throw new IntegrityError(
      `${entry.file}: size is ${blob.size} bytes, the manifest says ${entry.bytes} (size mismatch: incomplete or replaced file)`,
    );
  }
  const hasher = await createSHA256();
  hasher.init();
  let loaded = 0;
  await consumeStream(
    blob.stream(),
    (chunk) => {
      hasher.update(chunk);
      loaded += chunk.byteLength;
      onProgress?.(loaded, entry.bytes);
    },
    signal,
  );
  const digest = hasher.digest('hex');
  if (digest !== entry.sha256.toLowerCase()) {
    throw new IntegrityError(
      `${entry.file}: SHA-256 is ${digest}, the manifest says ${entry.sha256} (hash mismatch: corrupt or replaced file)`,
    );
  }
  return blobSource(blob);
}

/** A Blob handed to ONNX Runtime by URL; the URL is released once the session holds the bytes. */
function blobSource(blob: Blob): ModelFileSource {
  const location = URL.createObjectURL(blob);
  return { kind: 'location', location, release: () => URL.revokeObjectURL(location) };
}

function combineSignals(...signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/** Why a request failed, when the browser knows it is offline. */
export function offlineHint(): string {
  return browserOffline()
    ? 'the browser is offline'
    : 'the server may be down, the address wrong, or it refuses cross-origin requests (CORS)';
}

/** The manifest could not be fetched at all (network down, stalled): a cached copy may stand in. */
export class ManifestUnreachableError extends ModelFetchError {}

/**
 * A manifest's text, fetched with the load's signal; the whole request (headers and body: a manifest is
 * small) must finish within the stall timeout.
 */
export async function fetchManifestText(
  url: string,
  signal?: AbortSignal,
  options: { readonly fetch?: Fetch; readonly stallTimeoutMs?: number } = {},
): Promise<string> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const watchdog = new StallWatchdog({ limitMs: options.stallTimeoutMs, signal });
  try {
    // One wait for headers and body together: a manifest is small.
    return await watchdog.wait(
      doFetch(url, { signal: watchdog.signal }).then(async (response) => {
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new ModelFetchError(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
        }
        return response.text();
      }),
    );
  } catch (error) {
    if (signal?.aborted) throw new SamplingCancelledError(`loading ${url} was cancelled`);
    if (error instanceof ModelFetchError) throw error;
    if (watchdog.stalled) {
      throw new ManifestUnreachableError(
        `${url} did not arrive within ${watchdog.limitText}; the server is not answering`,
      );
    }
    throw new ManifestUnreachableError(`${url} is unreachable (${describe(error)}); ${offlineHint()}`, {
      cause: error,
    });
  }
}
