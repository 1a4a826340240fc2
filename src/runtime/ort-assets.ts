// ONNX Runtime fetches its own glue script and WebAssembly (ort/*.mjs, ort/*.wasm) and reports a missing
// or wrong one as "no available backend found" with neither file nor URL, which the user then reads as a
// broken model file. While ORT starts, this module asks for the same files itself (each with an
// AbortSignal and a stall timeout) and checks each answers with its kind of content, so a 404, an HTML
// page served in its place, an unreachable host or a silent one is named: the runtime file, its URL, and
// that it is the runtime, not a model file. The files per build are one table (ort-runtime-files.json),
// also read by vite.config.ts, which copies them to ort/ (JSON, so the config's loader reads it as is).
import { describeError } from '../engine/api/describe-error';
import { RuntimeFailureError } from '../engine/errors';
import type { WebProvider } from './ort-web';
import runtimeFiles from './ort-runtime-files.json' with { type: 'json' };

/** The runtime files each provider's ORT build loads from env.wasm.wasmPaths (see ORT_BUILDS in ort-web.ts). */
export const ORT_RUNTIME_FILES: Readonly<Record<WebProvider, readonly string[]>> = runtimeFiles;

/** No byte for this long, before the headers or the first body bytes, ends a check as stalled. */
export const RUNTIME_STALL_TIMEOUT_MS = 20_000;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface RuntimeFileCheckOptions {
  readonly fetch?: Fetch;
  readonly stallTimeoutMs?: number;
}

/** What each kind of runtime file must look like for ORT to use it; null when it does. */
const EXPECTED: Readonly<Record<'.mjs' | '.wasm', (type: string, head: Uint8Array) => string | null>> = {
  // The glue script is imported as a module, which browsers refuse without a JavaScript MIME type.
  '.mjs': (type, head) => {
    const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart();
    if (text.startsWith('<')) return `starts "${text.slice(0, 24)}" (an HTML page?)`;
    return /javascript|ecmascript/i.test(type)
      ? null
      : `is served as "${type}", and a module script needs a JavaScript content type`;
  },
  '.wasm': (_type, head) =>
    [0x00, 0x61, 0x73, 0x6d].every((byte, i) => head[i] === byte)
      ? null
      : 'does not start with the WebAssembly signature (\\0asm)',
};

function runtimeFileError(file: string, what: string, cause?: unknown): RuntimeFailureError {
  return new RuntimeFailureError(
    `ONNX Runtime file ${file}: ${what}. This is the inference runtime, not a model file: the app's ort/ folder is missing it or serves it wrongly`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Asks for one runtime file and reads only its first bytes (the request is then cancelled: ORT
 * downloads the file itself). `no-store` keeps this request out of the HTTP cache, so it never waits
 * on, or for, ORT's own request of the same URL. Returns quietly once `started` is aborted.
 */
async function checkRuntimeFile(
  file: string,
  url: string,
  started: AbortSignal,
  options: RuntimeFileCheckOptions,
): Promise<void> {
  const expected = file.endsWith('.wasm') ? EXPECTED['.wasm'] : EXPECTED['.mjs'];
  const stallMs = options.stallTimeoutMs ?? RUNTIME_STALL_TIMEOUT_MS;
  const stall = new AbortController();
  const timer = setTimeout(() => stall.abort(), stallMs);
  const failed = (what: string, error: unknown) =>
    runtimeFileError(
      file,
      stall.signal.aborted
        ? `no bytes from ${url} for ${stallMs / 1000} s (RUNTIME_STALL_TIMEOUT_MS)`
        : `${what} (${describeError(error)})`,
      error,
    );
  const signal = AbortSignal.any([started, stall.signal]);
  // A body read does not end by itself when the signal aborts on every fetch implementation: raced.
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );
  aborted.catch(() => undefined);
  try {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, { signal, cache: 'no-store' });
    } catch (error) {
      if (started.aborted) return;
      throw failed(`could not fetch ${url}`, error);
    }
    const type = response.headers.get('content-type') ?? '';
    const reader = response.ok && !type.includes('text/html') ? response.body?.getReader() : undefined;
    if (!reader) {
      void response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw runtimeFileError(file, `${url} answered HTTP ${response.status}`);
      throw runtimeFileError(
        file,
        type.includes('text/html')
          ? `${url} served an HTML page (content-type ${type})`
          : `${url} answered with no body`,
      );
    }
    let head: Uint8Array;
    try {
      head = (await Promise.race([reader.read(), aborted])).value ?? new Uint8Array();
    } catch (error) {
      if (started.aborted) return;
      throw failed(`${url} broke off`, error);
    } finally {
      void reader.cancel().catch(() => undefined);
    }
    const problem = expected(type, head);
    if (problem) throw runtimeFileError(file, `${url} ${problem}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts ONNX Runtime with `start` while checking the runtime files it loads from `folderUrl`. The check
 * never delays a start that works: it is stopped when ORT has started. When a file check fails, its
 * error is thrown (at once: ORT may hang on a silent host); ORT's own error only when every file
 * answered as it should.
 */
export async function startCheckingRuntimeFiles<T>(
  provider: WebProvider,
  folderUrl: string,
  start: () => Promise<T>,
  options: RuntimeFileCheckOptions = {},
): Promise<T> {
  const started = new AbortController();
  const checks = Promise.all(
    ORT_RUNTIME_FILES[provider].map((file) =>
      checkRuntimeFile(file, new URL(file, folderUrl).href, started.signal, options),
    ),
  );
  try {
    const outcome = await Promise.race([
      start().then(
        (value) => ({ started: true, value }) as const,
        (error: unknown) => ({ started: false, error }) as const,
      ),
      checks.then(() => new Promise<never>(() => {})), // every file answered: wait for ORT either way
    ]);
    if (outcome.started) return outcome.value;
    await checks; // ORT failed: a file's error explains it better than ORT's own message
    throw new RuntimeFailureError(
      `ONNX Runtime (${provider} build) did not start although its files at ${folderUrl} answered: ${describeError(outcome.error)}`,
      { cause: outcome.error },
    );
  } finally {
    started.abort();
  }
}
