// The app's one service worker (a page has one per scope), built to <base>/sw.js by vite.config.ts:
// 1. offline app: it precaches every built file except model weights (those stay in the studio's own
//    SHA-256 model cache), serves them cache-first, and falls back to the cached page for navigations;
// 2. cross-origin isolation shim: it adds COOP/COEP (and the security headers) to every response it
//    serves, so ONNX Runtime gets SharedArrayBuffer and multi-threaded WASM on static hosts that cannot
//    send those headers (GitHub Pages, Hugging Face static Spaces) — the technique of coi-serviceworker.
// A new version installs in the background and waits: the page offers the update (src/pwa/register.ts)
// and only a user's click activates it, so a running generation is never cut off.
// Self-contained on purpose: a classic service worker script cannot import other chunks.

interface ServiceWorkerBuild {
  /** Hash of the precached files: a new build is a new cache. */
  readonly version: string;
  /** Paths relative to the service worker's folder (the app's base), cached before it activates. */
  readonly precache: readonly string[];
  /** Large app files (ORT's WebAssembly), cached when first fetched or in the background once active. */
  readonly deferred: readonly string[];
  /** Added to every response served here (cross-origin isolation, CSP, nosniff). */
  readonly headers: Readonly<Record<string, string>>;
}

declare const __SVG_STUDIO_SW_BUILD__: ServiceWorkerBuild;
const BUILD = __SVG_STUDIO_SW_BUILD__;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE_PREFIX = 'svg-studio-app-';
const CACHE_NAME = `${CACHE_PREFIX}${BUILD.version}`;
/** Messages the page sends (src/pwa/register.ts). */
const ACTIVATE_UPDATE = 'svg-studio:activate-update';
/** Model weights are never handled here: the studio caches them by SHA-256 itself. */
const MODEL_WEIGHTS = /\.onnx(\.data)?$/;
/** Small, changing catalogue files: fresh from the network when online, else the cached copy. */
const NETWORK_FIRST = /\/models\/.*\.json$/;

const scopeUrl = (file: string) => new URL(file, sw.registration.scope).href;
const deferredUrls = new Set(BUILD.deferred.map((file) => scopeUrl(file)));

/** Caches the deferred files not cached yet; a failure only means they are cached on first use instead. */
async function cacheDeferred(): Promise<void> {
  const cache = await caches.open(CACHE_NAME);
  for (const url of deferredUrls) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url);
      if (response.ok) await cache.put(url, response);
    } catch {
      return; // offline or gone: the page's own fetch caches it
    }
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) => cache.addAll(BUILD.precache.map((file) => scopeUrl(file)))),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      await sw.clients.claim();
    })(),
  );
  // Not awaited: the worker is active (and controls the page) before these large downloads finish.
  void cacheDeferred();
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === ACTIVATE_UPDATE) void sw.skipWaiting();
});

/** The response with the build's headers added (opaque responses cannot be changed, nor need to be). */
function withHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0)
    return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(BUILD.headers)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The cached page for a navigation: the URL without its query, index.html for a folder. */
function pageKey(url: URL): string {
  const page = new URL(url.pathname, url.origin);
  if (page.pathname.endsWith('/')) page.pathname += 'index.html';
  return page.href;
}

async function respond(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  const url = new URL(request.url);
  if (request.mode === 'navigate') {
    const cached = await cache.match(pageKey(url));
    return cached ?? fetch(request);
  }
  if (NETWORK_FIRST.test(url.pathname)) {
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  }
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  const key = new URL(url.pathname, url.origin).href;
  if (response.ok && deferredUrls.has(key)) await cache.put(key, response.clone());
  return response;
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (!url.href.startsWith(sw.registration.scope) || MODEL_WEIGHTS.test(url.pathname)) return;
  event.respondWith(respond(request).then(withHeaders));
});
