// A plain static file server for the deploy specs, as GitHub Pages or a lab's web server would be: the
// built site under a sub-path, common content types, and none of the headers the studio would like
// (no COOP/COEP, no CSP): whatever isolation and policy the page gets, the build brings itself.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown',
};

export interface StaticSite {
  /** The site's URL, ending in the sub-path and a slash. */
  readonly url: string;
  /** Requests served, by path (to check what the page fetched). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves `root` at http://127.0.0.1:<free port><subPath>. */
export async function serveStatic(root: string, subPath: string): Promise<StaticSite> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    requests.push(pathname);
    if (!pathname.startsWith(subPath)) {
      response.writeHead(404).end('not found');
      return;
    }
    let file = path.join(root, pathname.slice(subPath.length));
    if (!file.startsWith(path.resolve(root))) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const { size } = statSync(file);
      response.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': size,
      });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${subPath}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
