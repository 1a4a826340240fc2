// What every file request of the studio checks on the way in, written once for the model downloader
// (model-download.ts: model files and manifests) and for the ONNX Runtime file check (src/runtime/
// ort-assets.ts: ort/*.mjs, ort/*.wasm):
//
// - an HTML page served in place of the file (a host's 404 page or single-page fallback), by its
//   content type or, under any other type, by its first bytes; the problem names the URL and what came;
// - a stall: a StallWatchdog arms a timer while the caller waits for the response's headers or for the
//   next body chunk, and aborts the request when nothing arrived for STALL_TIMEOUT_MS. It is disarmed
//   between waits, so a slow consumer (the disk a download streams into) never counts as a silent host.
//
// Each caller wraps these in its own error class and names its own file (a model file is an
// IntegrityError, a runtime file a RuntimeFailureError).
import { LIMITS } from '../engine/limits';

/** No byte for this long, before the headers or within the body, ends a request as stalled. */
export const STALL_TIMEOUT_MS = LIMITS.networkStallMs;

/** How many of a body's first bytes are shown when they turn out to be a page. */
const PREVIEW_BYTES = 24;
/** How many of a body's first bytes must be printable text after a '<' to count as markup. */
const MARKUP_SNIFF_BYTES = 16;

/** `${url} served an HTML page (content-type …)` when the response says it is one; null otherwise. */
export function servedHtmlPage(url: string, response: Response): string | null {
  const type = response.headers.get('content-type') ?? '';
  return /^\s*text\/html\b/i.test(type) ? `${url} served an HTML page (content-type ${type})` : null;
}

const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
const isText = (byte: number) => (byte >= 0x20 && byte < 0x7f) || isWhitespace(byte);

/**
 * `${url} served text starting "…" (an HTML page?)` when a body's first bytes are markup: after any
 * leading whitespace, a '<' followed by printable text (an HTML or XML page under another content type).
 * Neither a model file (protobuf starts 0x08) nor a script or WebAssembly module starts so.
 */
export function servedMarkup(url: string, head: Uint8Array): string | null {
  let start = 0;
  while (start < head.length && isWhitespace(head[start] as number)) start++;
  const text = head.subarray(start);
  if (text[0] !== 0x3c || !text.subarray(0, MARKUP_SNIFF_BYTES).every(isText)) return null;
  const preview = new TextDecoder().decode(text.subarray(0, PREVIEW_BYTES)).replace(/\s+/g, ' ');
  return `${url} served text starting "${preview}" (an HTML page?)`;
}

/**
 * Ends a request that goes silent. `signal` (the caller's, if any, joined with the watchdog's own) goes
 * to fetch; every wait for the request's next step (headers, a body chunk, a whole small body) goes
 * through `wait`, which aborts `signal` when the step took longer than the limit. Body reads do not end
 * by themselves when a fetch's signal aborts on every implementation, so `wait` races them with it.
 */
export class StallWatchdog {
  readonly limitMs: number;
  /** the caller's signal and the stall, together: give it to fetch */
  readonly signal: AbortSignal;
  private readonly stall = new AbortController();

  constructor(options: { readonly limitMs?: number; readonly signal?: AbortSignal | undefined } = {}) {
    this.limitMs = options.limitMs ?? STALL_TIMEOUT_MS;
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stall.signal]) : this.stall.signal;
  }

  /** Whether a wait went past the limit (and aborted the request). */
  get stalled(): boolean {
    return this.stall.signal.aborted;
  }

  /** The limit as messages name it: "20 s (STALL_TIMEOUT_MS)". */
  get limitText(): string {
    return `${this.limitMs / 1000} s (STALL_TIMEOUT_MS)`;
  }

  /**
   * `step`'s result, or a rejection with `signal`'s reason once `signal` aborts: the caller's own abort,
   * or the stall when `step` took longer than the limit (then `stalled` is true).
   */
  async wait<T>(step: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const interrupted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.signal.reason);
      if (this.signal.aborted) return onAbort();
      this.signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () => this.stall.abort(new DOMException(`no bytes for ${this.limitText}`, 'TimeoutError')),
        this.limitMs,
      );
    });
    try {
      return await Promise.race([step, interrupted]);
    } finally {
      clearTimeout(timer);
      if (onAbort) this.signal.removeEventListener('abort', onAbort);
    }
  }
}
