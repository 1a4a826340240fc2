// ONNX Runtime fetches its own glue script and WebAssembly (ort/*.mjs, ort/*.wasm) and reports a missing
// or wrong one as "no available backend found" with neither file nor URL, which the user then reads as a
// broken model file. When ORT fails to start (or is still starting after a stall timeout), this module
// asks for the same files itself (each with an AbortSignal and a stall timeout) and checks each answers
// with its kind of content, so a 404, an HTML page served in its place, a wrong content type or an
// unreachable host is named: the runtime file, its URL, and that it is the runtime, not a model file.
// The HTML-page and stall checks are src/storage/http-checks.ts's, shared with the model downloader.
// A start that works asks for nothing more: the service worker caches ORT's WebAssembly on its first
// fetch, so asking at the same time would download it twice. The files per build are one table
// (ort-runtime-files.json), also read by vite.config.ts, which copies them to ort/ (JSON, so the
// config's loader reads it as is).
import { describeError } from '../engine/api/describe-error';
import { RuntimeFailureError } from '../engine/errors';
import { servedHtmlPage, servedMarkup, StallWatchdog, STALL_TIMEOUT_MS } from '../storage/http-checks';
import type { WebProvider } from './ort-web';
import runtimeFiles from './ort-runtime-files.json' with { type: 'json' };

/** The runtime files each provider's ORT build loads from env.wasm.wasmPaths (see ORT_BUILDS in ort-web.ts). */
export const ORT_RUNTIME_FILES: Readonly<Record<WebProvider, readonly string[]>> = runtimeFiles;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface RuntimeFileCheckOptions {
  readonly fetch?: Fetch;
  readonly stallTimeoutMs?: number;
}

/** What each kind of runtime file must look like for ORT to use it (past the HTML checks); null when it does. */
const EXPECTED: Readonly<Record<'.mjs' | '.wasm', (type: string, head: Uint8Array) => string | null>> = {
  // The glue script is imported as a module, which browsers refuse without a JavaScript MIME type.
  '.mjs': (type) =>
    /javascript|ecmascript/i.test(type)
      ? null
      : `is served as "${type}", and a module script needs a JavaScript content type`,
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

/** A runtime file that is not what ORT needs; `stalled` when it only sent nothing for too long. */
interface FileProblem {
  readonly error: RuntimeFailureError;
  readonly stalled: boolean;
}

/**
 * Asks for one runtime file and reads only its first bytes (the request is then cancelled). `no-store`
 * keeps this request out of the HTTP cache, so it never waits on ORT's own request of the same URL.
 * Resolves null when the file is fine or `stop` was aborted.
 */
async function checkRuntimeFile(
  file: string,
  url: string,
  stop: AbortSignal,
  options: RuntimeFileCheckOptions,
): Promise<FileProblem | null> {
  const expected = file.endsWith('.wasm') ? EXPECTED['.wasm'] : EXPECTED['.mjs'];
  const watchdog = new StallWatchdog({ limitMs: options.stallTimeoutMs, signal: stop });
  const problem = (what: string): FileProblem => ({ error: runtimeFileError(file, what), stalled: false });
  const failed = (what: string, error: unknown): FileProblem | null => {
    if (stop.aborted) return null;
    if (watchdog.stalled) {
      const silent = `no bytes from ${url} for ${watchdog.limitText}`;
      return { error: runtimeFileError(file, silent, error), stalled: true };
    }
    return { error: runtimeFileError(file, `${what} (${describeError(error)})`, error), stalled: false };
  };
  let response: Response;
  try {
    const request = (options.fetch ?? fetch)(url, { signal: watchdog.signal, cache: 'no-store' });
    response = await watchdog.wait(request);
  } catch (error) {
    return failed(`could not fetch ${url}`, error);
  }
  const htmlPage = servedHtmlPage(url, response);
  const reader = response.ok && !htmlPage ? response.body?.getReader() : undefined;
  if (!reader) {
    void response.body?.cancel().catch(() => undefined);
    if (!response.ok) return problem(`${url} answered HTTP ${response.status}`);
    return problem(htmlPage ?? `${url} answered with no body`);
  }
  let head: Uint8Array;
  try {
    head = (await watchdog.wait(reader.read())).value ?? new Uint8Array();
  } catch (error) {
    return failed(`${url} broke off`, error);
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const markup = servedMarkup(url, head);
  if (markup) return problem(markup);
  const wrong = expected(response.headers.get('content-type') ?? '', head);
  return wrong ? problem(`${url} ${wrong}`) : null;
}

/** The first problem among the build's runtime files (in table order), all asked for at once. */
async function checkRuntimeFiles(
  provider: WebProvider,
  folderUrl: string,
  stop: AbortSignal,
  options: RuntimeFileCheckOptions,
): Promise<FileProblem | null> {
  const problems = await Promise.all(
    ORT_RUNTIME_FILES[provider].map((file) =>
      checkRuntimeFile(file, new URL(file, folderUrl).href, stop, options),
    ),
  );
  return problems.find((problem) => problem !== null) ?? null;
}

/** Resolves after `ms`, or never once `signal` is aborted. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

const never = new Promise<never>(() => {});

/**
 * Starts ONNX Runtime with `start`. When ORT fails, its runtime files are checked and a file's problem
 * is thrown (ORT's own error, with the build and folder, when every file answered as it should). When
 * ORT has not started after the stall timeout, the files are checked while it goes on: a definite
 * fault (an HTTP error, an HTML page, a wrong type, no connection) ends the wait, since ORT cannot
 * start on it; a file that only answers slowly does not, as the network may just be slow.
 */
export async function startCheckingRuntimeFiles<T>(
  provider: WebProvider,
  folderUrl: string,
  start: () => Promise<T>,
  options: RuntimeFileCheckOptions = {},
): Promise<T> {
  const stop = new AbortController();
  const check = () => checkRuntimeFiles(provider, folderUrl, stop.signal, options);
  const runtime = start().then(
    (value) => ({ started: true, value }) as const,
    (error: unknown) => ({ started: false, error }) as const,
  );
  try {
    const stallMs = options.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    let outcome = await Promise.race([runtime, delay(stallMs, stop.signal).then(() => null)]);
    if (!outcome) {
      const fault = check().then((problem) => (problem && !problem.stalled ? problem.error : never));
      outcome = await Promise.race([
        runtime,
        fault.then((error) => {
          throw error;
        }),
      ]);
    }
    if (outcome.started) return outcome.value;
    const problem = await check();
    if (problem) throw problem.error;
    throw new RuntimeFailureError(
      `ONNX Runtime (${provider} build) did not start although its files at ${folderUrl} answered: ${describeError(outcome.error)}`,
      { cause: outcome.error },
    );
  } finally {
    stop.abort();
  }
}
