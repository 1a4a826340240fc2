// The browser half of `npm run bench:xl`: headless Chromium (Debian's /usr/bin/chromium, never a
// downloaded one) runs onnxruntime-web's WASM provider on the benchmark set's int4 DiT and float32
// decoder (WASM computes in float32 only, so the planner's WASM choice): one guided step (the DiT at
// batch 2, conditional and unconditional rows together, as the studio runs it) and one 256 px decode.
// Sessions are opened one after another and released, as the studio's per-task sessions do. The page is
// served here with cross-origin isolation (multi-threaded WASM, and performance.measureUserAgentSpecificMemory);
// the peak is also read as the renderer process's VmHWM from /proc.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { REFERENCE_PRECISION, type ModelSetManifest } from '../engine/manifest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** SPEC §6: Chromium without network side traffic (no WebGPU flags: this run is WASM). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ORT_DIST = path.resolve('node_modules/onnxruntime-web/dist');
const PAGE_TIMEOUT_MS = 15 * 60_000;

export interface BrowserReport {
  readonly provider: 'wasm';
  readonly chromium: string;
  readonly ditFile: string;
  readonly decoderFile: string;
  /** peak resident memory of the page's renderer process (VmHWM), or null when /proc could not say */
  readonly peakBytes: number | null;
  /** performance.measureUserAgentSpecificMemory() after the decode (the page's JS + WASM memory) */
  readonly measuredMemoryBytes: number | null;
  readonly ditSessionMs: number | null;
  readonly oneStepMs: number | null;
  readonly decoderSessionMs: number | null;
  readonly decodeMs: number | null;
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  /** set when the run could not complete: the error as the page or Playwright reported it */
  readonly error?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.data': 'application/octet-stream',
  '.json': 'application/json',
};

/**
 * The page's code, plain JavaScript (not compiled from this module: the page gets only the arguments).
 * window.runBench({dit, decoder, tokens, channels, grid: [h, w], nullId}) -> PageResult.
 */
const PAGE_SCRIPT = `
import * as ort from '/ort/ort.wasm.min.mjs';
ort.env.wasm.wasmPaths = '/ort/';
const filled = (size) => { const d = new Float32Array(size); for (let i = 0; i < size; i++) d[i] = Math.sin(i * 0.37); return d; };
window.runBench = async (args) => {
  const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  ort.env.wasm.numThreads = threads;
  const options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  let started = performance.now();
  const dit = await ort.InferenceSession.create(args.dit, options);
  const ditSessionMs = performance.now() - started;
  started = performance.now();
  await dit.run({
    x: new ort.Tensor('float32', filled(2 * args.tokens * args.channels), [2, args.tokens, args.channels]),
    t: new ort.Tensor('float32', new Float32Array([0.5, 0.5]), [2]),
    y: new ort.Tensor('int64', BigInt64Array.from([0n, BigInt(args.nullId)]), [2]),
  });
  const oneStepMs = performance.now() - started;
  await dit.release();
  started = performance.now();
  const decoder = await ort.InferenceSession.create(args.decoder, options);
  const decoderSessionMs = performance.now() - started;
  const [h, w] = args.grid;
  started = performance.now();
  await decoder.run({ latent: new ort.Tensor('float32', filled(args.channels * h * w), [1, args.channels, h, w]) });
  const decodeMs = performance.now() - started;
  let measuredMemoryBytes = null;
  if (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
    try { measuredMemoryBytes = (await performance.measureUserAgentSpecificMemory()).bytes; } catch { measuredMemoryBytes = null; }
  }
  await decoder.release();
  return { ditSessionMs, oneStepMs, decoderSessionMs, decodeMs, crossOriginIsolated: self.crossOriginIsolated, threads, measuredMemoryBytes };
};
window.benchReady = true;
`;
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>bench-xl</title>
<script type="module">${PAGE_SCRIPT}</script></head><body>bench-xl</body></html>`;

interface PageArgs {
  readonly dit: string;
  readonly decoder: string;
  readonly tokens: number;
  readonly channels: number;
  readonly grid: readonly [number, number];
  readonly nullId: number;
}

interface PageResult {
  readonly ditSessionMs: number;
  readonly oneStepMs: number;
  readonly decoderSessionMs: number;
  readonly decodeMs: number;
  readonly crossOriginIsolated: boolean;
  readonly threads: number;
  readonly measuredMemoryBytes: number | null;
}

type BenchWindow = { runBench: (args: PageArgs) => Promise<PageResult>; benchReady?: boolean };

/** Serves the page, onnxruntime-web's dist folder under /ort/ and the set under /set/ (isolated). */
function serve(set: string): Promise<Server> {
  const roots: Record<string, string> = { '/ort/': ORT_DIST, '/set/': path.resolve(set) };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const headers = {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
      };
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204, headers).end();
        return;
      }
      if (url.pathname === '/') {
        response.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
        return;
      }
      const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
      const root = prefix ? roots[prefix] : undefined;
      const file = root ? path.resolve(root, decodeURIComponent(url.pathname.slice(prefix!.length))) : '';
      if (!root || !file.startsWith(root + path.sep)) {
        response.writeHead(404, headers).end();
        return;
      }
      try {
        const size = (await stat(file)).size;
        response.writeHead(200, {
          ...headers,
          'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Content-Length': size,
        });
        response.end(await readFile(file));
      } catch {
        response.writeHead(404, headers).end();
      }
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Peak RSS (VmHWM) of the renderer processes of the browser whose command line carries `marker`. */
function rendererPeakBytes(marker: string): number | null {
  const parents = new Map<number, number>();
  let browserPid: number | undefined;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ');
      parents.set(Number(name), Number(fields?.[1]));
      if (browserPid === undefined && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) {
        browserPid = Number(name);
      }
    } catch {
      // the process ended while we looked
    }
  }
  if (browserPid === undefined) return null;
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === browserPid) return true;
    return false;
  };
  let peak: number | null = null;
  for (const pid of parents.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak ?? 0, Number(hwm[1]) * 1024);
    } catch {
      // gone
    }
  }
  return peak;
}

export async function runBrowserBench(
  set: string,
  manifest: ModelSetManifest,
  log: (line: string) => void,
): Promise<BrowserReport> {
  const ditVariant =
    manifest.networks.dit.variants.int4 ?? manifest.networks.dit.variants[REFERENCE_PRECISION];
  const decoderVariant = manifest.networks.decoder.variants[REFERENCE_PRECISION];
  const base = {
    provider: 'wasm' as const,
    chromium: CHROMIUM,
    ditFile: ditVariant.file,
    decoderFile: decoderVariant.file,
  };
  const server = await serve(set);
  // an inert switch that names this run's browser process, so /proc can find its renderers
  const marker = `--bench-xl-run=${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, marker] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('console', (message) => log(`  [page] ${message.text()}`));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as BenchWindow).benchReady === true);
    const [gridH, gridW] = manifest.latent.grid;
    const args: PageArgs = {
      dit: `/set/${ditVariant.file}`,
      decoder: `/set/${decoderVariant.file}`,
      tokens: gridH * gridW,
      channels: manifest.latent.channels,
      grid: [gridH, gridW],
      nullId: manifest.classes.nullId,
    };
    const result = await page.evaluate((a) => (window as unknown as BenchWindow).runBench(a), args);
    const report: BrowserReport = { ...base, ...result, peakBytes: rendererPeakBytes(marker) };
    log(
      `browser WASM (${result.threads} threads): DiT session ${result.ditSessionMs.toFixed(0)} ms, one guided step ` +
        `${result.oneStepMs.toFixed(0)} ms, decode ${result.decodeMs.toFixed(0)} ms, renderer peak ` +
        `${report.peakBytes === null ? '?' : (report.peakBytes / 2 ** 30).toFixed(2)} GiB`,
    );
    return report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`browser run failed: ${message}`);
    return {
      ...base,
      peakBytes: rendererPeakBytes(marker),
      measuredMemoryBytes: null,
      ditSessionMs: null,
      oneStepMs: null,
      decoderSessionMs: null,
      decodeMs: null,
      crossOriginIsolated: false,
      threads: 0,
      error: message,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
