// A fake static host for the download reader's tests: serves FILE_BYTES (or a given body) as hand-made
// ReadableStreams, honours Range, and misbehaves per request as told (stall, cut, ignore Range, HTML).

/** Protobuf-like bytes (an ONNX file starts 0x08), not all one value so offsets matter to the hash. */
export const FILE_BYTES = Uint8Array.from({ length: 10_000 }, (_, i) =>
  i === 0 ? 0x08 : (i * 31 + 7) % 251,
);

export interface Behaviour {
  /** stop sending (without closing) after this many bytes of the body */
  stallAfter?: number;
  /** break the connection after this many bytes of the body */
  cutAt?: number;
  /** answer 200 with the whole file even when asked for a Range */
  ignoreRange?: boolean;
  body?: Uint8Array;
  contentType?: string;
  status?: number;
  /** a Content-Range that starts elsewhere than the range asked for */
  contentRangeStart?: number;
  /** accept the request and never answer (until the request is aborted) */
  silent?: boolean;
  /** fail a request that carries a Range header (a CORS preflight that does not allow it) */
  refuseRange?: boolean;
}

/** A fake static host: serves FILE_BYTES (or `body`), honouring Range; each request takes the next behaviour. */
export class FakeModelHost {
  readonly requests: Array<{ url: string; range: string | null }> = [];
  behaviours: Behaviour[] = [];
  down = false;

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (this.down) throw new TypeError('Failed to fetch');
    const range = new Headers(init.headers).get('range');
    this.requests.push({ url, range });
    const behaviour = this.behaviours.shift() ?? {};
    if (behaviour.refuseRange && range) throw new TypeError('Failed to fetch');
    if (behaviour.silent) {
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    const all = behaviour.body ?? FILE_BYTES;
    const from = range && !behaviour.ignoreRange ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0;
    const bytes = all.subarray(from);
    const signal = init.signal;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (signal?.aborted) return controller.error(signal.reason);
        const limit = Math.min(behaviour.stallAfter ?? Infinity, behaviour.cutAt ?? Infinity);
        if (sent >= limit) {
          if (behaviour.cutAt !== undefined) return controller.error(new TypeError('network error'));
          return new Promise<void>(() => {}); // stalled: never another byte
        }
        const chunk = bytes.subarray(sent, Math.min(sent + 1024, limit, bytes.byteLength));
        if (chunk.byteLength === 0) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
    });
    const headers = new Headers({ 'content-type': behaviour.contentType ?? 'application/octet-stream' });
    const rangeStart = behaviour.contentRangeStart ?? from;
    if (from > 0) headers.set('content-range', `bytes ${rangeStart}-${all.byteLength - 1}/${all.byteLength}`);
    return new Response(body, { status: behaviour.status ?? (from > 0 ? 206 : 200), headers });
  };
}
