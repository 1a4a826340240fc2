// A small static host for the model-download specs: serves a model-set folder with HTTP Range support
// and misbehaves on request, the way real networks do: it stalls after the headers and 1 KB of a model
// file, or cuts the connection half-way through each file's first request. The page reaches it through
// a Playwright route (route.continue to this server), so to the page it is a same-origin path.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type ServerMode = 'normal' | 'stall' | 'cut-once';

/** Bytes a stalling response sends before it goes silent. */
export const STALL_AFTER_BYTES = 1024;

export interface ServedRequest {
  readonly file: string;
  readonly range: string | null;
  readonly status: number;
}

export class MisbehavingServer {
  mode: ServerMode = 'normal';
  readonly requests: ServedRequest[] = [];
  private readonly cut = new Set<string>();
  private server: Server | null = null;

  constructor(private readonly folder: string) {}

  get origin(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the server is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const file =
        decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
          .split('/')
          .pop() ?? '';
      const filePath = path.join(this.folder, file);
      let size: number;
      try {
        size = statSync(filePath).size;
      } catch {
        response.writeHead(404).end();
        this.requests.push({ file, range: null, status: 404 });
        return;
      }
      const range = request.headers.range ?? null;
      const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
      const status = range ? 206 : 200;
      this.requests.push({ file, range, status });
      response.writeHead(status, {
        'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        'content-length': String(size - start),
        'accept-ranges': 'bytes',
        ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
      });
      const isModel = file.endsWith('.onnx') || file.endsWith('.data');
      if (isModel && this.mode === 'stall') {
        // Headers and 1 KB, then nothing: the socket stays open until the client gives up.
        createReadStream(filePath, { start, end: start + STALL_AFTER_BYTES - 1 }).on('data', (chunk) =>
          response.write(chunk),
        );
        return;
      }
      if (isModel && this.mode === 'cut-once' && !this.cut.has(file)) {
        this.cut.add(file);
        const half = Math.floor((size - start) / 2);
        const stream = createReadStream(filePath, { start, end: start + half - 1 });
        stream.on('data', (chunk) => response.write(chunk));
        stream.on('end', () => setTimeout(() => response.socket?.destroy(), 50));
        return;
      }
      createReadStream(filePath, { start }).pipe(response);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
