// The browser half of `npm run bench:xl`: the studio itself (its built page, its model manager, its
// loader: streamed download into Cache Storage with incremental hashing, the capability planner, the
// per-task sessions) opens the benchmark set from a manifest URL in headless Chromium (Debian's
// /usr/bin/chromium, never a downloaded one) on the WASM provider, then generates one guided step at the
// set's image size through the Generate view. What is measured is what a user would meet: download bytes,
// time to ready, the sampling and decode times the result line reports, the sessions the top bar shows
// open, and the renderer's peak memory.
//
// The set is served by a small static host on 127.0.0.1 (Range, CORS, Cross-Origin-Resource-Policy:
// cross-origin, as a model host for a cross-origin-isolated page must send). The studio's CSP allows
// only https: hosts besides its own origin, so the page reaches the host through a Playwright route on a
// same-origin path, as the model-download specs do; the bytes still stream from the host unbuffered.
// The studio is built once into a git-ignored folder (.bench-xl/studio) and served by `vite preview`.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { describeError } from '../engine/api/describe-error';
import type { ModelSetManifest } from '../engine/model-set';
import { CHROMIUM_PATH, QUIET_CHROMIUM_ARGS } from './headless-chromium';

/** The studio build the bench serves (git-ignored with the rest of .bench-xl). */
const STUDIO_DIR = '.bench-xl/studio';
/** The same-origin path the page loads the set from; the route sends it to the static host. */
const SET_PATH = '/bench-xl-set';
const LOAD_TIMEOUT_MS = 20 * 60_000;
const GENERATE_TIMEOUT_MS = 15 * 60_000;
/** The one run the bench times: one guided Euler step at batch 1 (the DiT at batch 2). */
const RUN_SETTINGS = { steps: 1, guidance: 4, batch: 1, sampler: 'euler' } as const;

export interface BrowserReport {
  readonly provider: 'wasm';
  readonly chromium: string;
  /** "through the studio page": the figures come from the real page and loader */
  readonly measuredThrough: 'studio page';
  /** what the planner chose, per network: precision, file and its sentence */
  readonly plan: Readonly<Record<string, { readonly precision: string; readonly file: string }>>;
  /** the capability report's text (the planner's sentences) */
  readonly planText: string | null;
  /** bytes the static host sent for model files during the load (what the page downloaded) */
  readonly downloadBytes: number | null;
  readonly downloadedFiles: Readonly<Record<string, number>>;
  /** networks whose sessions the top bar showed open after the load and after the run */
  readonly residentAfterLoad: readonly string[];
  readonly residentAfterRun: readonly string[];
  /** from pressing Load to the studio's "ready" */
  readonly readyMs: number | null;
  /** from pressing Generate to the image on the page (waits for a warm-up forward in flight) */
  readonly firstImageMs: number | null;
  /** after a page reload: to ready again, and the model bytes fetched (0 when Cache Storage served all) */
  readonly cachedReadyMs: number | null;
  readonly cachedDownloadBytes: number | null;
  /** sampling time of the one guided step, as the result line reports it */
  readonly oneStepMs: number | null;
  readonly decodeMs: number | null;
  /** peak resident memory of the page's renderer process (VmHWM; the engine worker lives in it) up to the result */
  readonly peakBytes: number | null;
  /** the same at the end, after the reload and the load from the cache (the renderer may be reused) */
  readonly peakBytesWithReload: number | null;
  /** performance.measureUserAgentSpecificMemory() after the run (JS + WASM memory of the page) */
  readonly measuredMemoryBytes: number | null;
  readonly crossOriginIsolated: boolean;
  /** the screenshot of the Generate view with the result */
  readonly screenshot: string | null;
  /** set when the run could not complete: the error as the page or Playwright reported it */
  readonly error?: string;
}

/** Serves `folder` with Range support and the headers a cross-origin model host sends; counts bytes sent. */
function serveSet(folder: string, sent: Map<string, number>): Promise<Server> {
  const server = createServer((request, response) => {
    const headers = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Accept-Ranges': 'bytes',
    };
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
      .split('/')
      .pop();
    const file = name ? path.join(folder, name) : '';
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      response.writeHead(404, headers).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    response.writeHead(range ? 206 : 200, {
      ...headers,
      'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Content-Length': String(end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream = createReadStream(file, { start, end });
    stream.on('data', (chunk) => sent.set(name!, (sent.get(name!) ?? 0) + chunk.length));
    stream.pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function run(command: string, args: readonly string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => log(`  [build] ${d.toString().trimEnd()}`));
    child.stderr.on('data', (d: Buffer) => log(`  [build] ${d.toString().trimEnd()}`));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** The newest modification time of a file under `folder`, in ms. */
function newestChange(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (newest, entry) => Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs),
      0,
    );
}

/** Builds the studio into STUDIO_DIR when it is missing or older than src/, then serves it with `vite preview`. */
async function startStudio(log: (line: string) => void): Promise<{ origin: string; child: ChildProcess }> {
  const built = path.join(STUDIO_DIR, 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newestChange('src')) {
    log(`building the studio into ${STUDIO_DIR} ...`);
    await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', STUDIO_DIR, '--emptyOutDir'], log);
  }
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const child = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--outDir',
      STUDIO_DIR,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { stdio: 'ignore' },
  );
  const origin = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 120; tries++) {
    try {
      if ((await fetch(origin)).ok) return { origin, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error(`vite preview did not answer on ${origin} within a minute`);
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

async function residentNetworks(page: Page): Promise<string[]> {
  return page
    .getByRole('status', { name: 'Open sessions' })
    .locator('[data-resident="true"]')
    .evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-network') ?? '?'));
}

/**
 * Waits for the load started at `started` (ms) to end: the status leaves "ready" (unless `mayBeDone` and
 * it is ready already), then comes back to it; a load error or the timeout throws.
 */
async function waitForLoad(page: Page, started: number, log: (line: string) => void, mayBeDone = false) {
  const loadState = () =>
    page.evaluate(() => ({
      state: document.querySelector('[aria-label="Execution status"]')?.getAttribute('data-load-state'),
      text: document.querySelector('[aria-label="Execution status"]')?.textContent ?? '',
      error: document.querySelector('[role="alert"][aria-label="Model load error"]')?.textContent ?? '',
    }));
  let left = mayBeDone;
  let lastLog = 0;
  for (;;) {
    const now = await loadState();
    if (now.error) throw new Error(`the studio refused or failed the load: ${now.error}`);
    if (now.state === 'error') throw new Error(`the studio failed the load: ${now.text}`);
    if (now.state !== 'ready') left = true;
    else if (left) return;
    if (Date.now() - started > LOAD_TIMEOUT_MS)
      throw new Error(`no ready after ${LOAD_TIMEOUT_MS} ms: ${now.text}`);
    if (Date.now() - lastLog > 20_000) {
      lastLog = Date.now();
      log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${now.text}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function runBrowserBench(
  set: string,
  manifest: ModelSetManifest,
  log: (line: string) => void,
  screenshotPath = path.join(path.dirname(path.resolve(set)), 'studio-xl.png'),
): Promise<BrowserReport> {
  const sent = new Map<string, number>();
  const server = await serveSet(path.resolve(set), sent);
  const { port: setPort } = server.address() as AddressInfo;
  let studio: { origin: string; child: ChildProcess } | null = null;
  // A persistent profile: an incognito context keeps Cache Storage in memory with a small quota.
  const profile = mkdtempSync(path.join(tmpdir(), 'bench-xl-profile-'));
  // an inert switch that names this run's browser process, so /proc can find its renderers
  const marker = `--bench-xl-run=${process.pid}-${Date.now()}`;
  // what the run has measured so far (a failed run still reports it)
  const progress: { -readonly [K in keyof BrowserReport]?: BrowserReport[K] } = {};
  const finish = (extra: Partial<BrowserReport>): BrowserReport => ({
    provider: 'wasm',
    chromium: CHROMIUM_PATH,
    measuredThrough: 'studio page',
    plan: {},
    planText: null,
    downloadBytes: null,
    downloadedFiles: Object.fromEntries(sent),
    residentAfterLoad: [],
    residentAfterRun: [],
    readyMs: null,
    firstImageMs: null,
    cachedReadyMs: null,
    cachedDownloadBytes: null,
    oneStepMs: null,
    decodeMs: null,
    peakBytes: rendererPeakBytes(marker),
    peakBytesWithReload: rendererPeakBytes(marker),
    measuredMemoryBytes: null,
    crossOriginIsolated: false,
    screenshot: null,
    ...progress,
    ...extra,
  });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...QUIET_CHROMIUM_ARGS, marker],
    serviceWorkers: 'block', // a service worker's fetches would bypass the route
    viewport: { width: 1400, height: 1000 },
  });
  try {
    studio = await startStudio(log);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') log(`  [page] ${message.text()}`);
    });
    await page.route(`**${SET_PATH}/**`, (route) =>
      route.continue({
        url: `http://127.0.0.1:${setPort}/${new URL(route.request().url()).pathname.split('/').pop()}`,
      }),
    );
    const status = page.getByRole('status', { name: 'Execution status' });
    await page.goto(`${studio.origin}/`);
    await page.waitForSelector('[aria-label="Execution status"][data-load-state="ready"]');
    await page.getByLabel('Execution provider').selectOption('wasm');
    await page.waitForSelector('[aria-label="Execution status"][data-load-state="ready"]');
    progress.crossOriginIsolated = await page.evaluate(() => self.crossOriginIsolated);

    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByLabel('Manifest URL').fill(`${studio.origin}${SET_PATH}/manifest.json`);
    sent.clear(); // what the bundled set's start-up load fetched is not this set's download
    const started = Date.now();
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    log('studio: loading the set from its manifest URL ...');
    await waitForLoad(page, started, log);
    progress.readyMs = Date.now() - started;
    progress.downloadedFiles = Object.fromEntries(sent);
    progress.downloadBytes = [...sent.entries()]
      .filter(([file]) => file !== 'manifest.json')
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    progress.planText = await page.getByRole('region', { name: 'Capability report' }).innerText();
    progress.plan = Object.fromEntries(
      await page
        .getByRole('table', { name: 'Chosen variants' })
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((row) => [
            row.getAttribute('data-network') ?? '?',
            {
              precision: row.getAttribute('data-precision') ?? '?',
              file: row.querySelectorAll('td')[1]?.textContent ?? '?',
            },
          ]),
        ),
    );
    progress.residentAfterLoad = await residentNetworks(page);
    log(
      `studio: ready in ${(progress.readyMs / 1000).toFixed(1)} s, ${(progress.downloadBytes / 1e9).toFixed(3)} GB ` +
        `downloaded, open: ${progress.residentAfterLoad.join(', ')}; ${await status.innerText()}`,
    );

    await page.getByRole('tab', { name: 'Generate' }).click();
    await page.getByLabel('Steps', { exact: true }).fill(String(RUN_SETTINGS.steps));
    await page.getByLabel('Guidance scale', { exact: true }).fill(String(RUN_SETTINGS.guidance));
    await page.getByLabel('Batch size', { exact: true }).fill(String(RUN_SETTINGS.batch));
    await page.getByLabel('Sampler', { exact: true }).selectOption(RUN_SETTINGS.sampler);
    await page.getByLabel('Live previews', { exact: true }).setChecked(false);
    log('studio: generating one guided step ...');
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('result').waitFor({ timeout: GENERATE_TIMEOUT_MS });
    progress.firstImageMs = Date.now() - clicked;
    const meta = await page.locator('.result-meta').innerText();
    const sampling = /sampling (\d+) ms/.exec(meta);
    const decode = /decode (\d+) ms/.exec(meta);
    progress.oneStepMs = sampling ? Number(sampling[1]) / RUN_SETTINGS.steps : null;
    progress.decodeMs = decode ? Number(decode[1]) : null;
    progress.residentAfterRun = await residentNetworks(page);
    progress.measuredMemoryBytes = await page.evaluate(async () => {
      const measure = (
        performance as Performance & {
          measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
        }
      ).measureUserAgentSpecificMemory;
      if (!self.crossOriginIsolated || !measure) return null;
      try {
        return (await measure.call(performance)).bytes;
      } catch {
        return null;
      }
    });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    progress.screenshot = screenshotPath;
    progress.peakBytes = rendererPeakBytes(marker); // before the reload below adds a second page's load

    // A user coming back: the page reloads and opens the set again, from Cache Storage this time.
    sent.clear();
    const reloaded = Date.now();
    await page.reload();
    await waitForLoad(page, reloaded, log, true);
    if ((await page.getByLabel('Model set').inputValue()) !== manifest.id) {
      await page.getByLabel('Execution provider').selectOption('wasm');
      await page.getByRole('tab', { name: 'Models' }).click();
      await page.getByLabel('Manifest URL').fill(`${studio.origin}${SET_PATH}/manifest.json`);
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await waitForLoad(page, reloaded, log);
    }
    progress.cachedReadyMs = Date.now() - reloaded;
    progress.cachedDownloadBytes = [...sent.entries()]
      .filter(([file]) => file !== 'manifest.json')
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    log(
      `studio: after a reload, ready again in ${(progress.cachedReadyMs / 1000).toFixed(1)} s with ` +
        `${progress.cachedDownloadBytes} bytes downloaded`,
    );
    const report = finish({});
    log(
      `studio WASM: one guided step ${report.oneStepMs} ms, decode ${report.decodeMs} ms, renderer peak ` +
        `${report.peakBytes === null ? '?' : (report.peakBytes / 2 ** 30).toFixed(2)} GiB; open after the run: ` +
        `${report.residentAfterRun.join(', ')}; ${meta}`,
    );
    return report;
  } catch (error) {
    const message = describeError(error);
    log(`browser run failed: ${message}`);
    const page = context.pages()[0];
    if (page) {
      await page.screenshot({ path: screenshotPath, fullPage: true }).catch(() => undefined);
      progress.screenshot = screenshotPath;
    }
    return finish({ error: message });
  } finally {
    await context.close();
    server.close();
    studio?.child.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}
