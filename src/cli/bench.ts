// `npm run bench [-- --json <file>] [--models <dir>] [--repeats N] [--no-browser] [--no-torch]` (options:
// bench-args.ts; `npm run bench -- --help` lists them): one run that measures,
// on the same weights, batch and thread count, the DiT forward in onnxruntime-node, in PyTorch eager
// (Debian's torch on OpenBLAS, export-scripts/bench_torch.py) and in headless Chromium's WASM build
// (cross-origin isolated, threads reported), plus the studio's time to first image (cold and from the
// cache) against the CLI's in-process generation of the same settings. It prints ratios against the
// targets of issue 16 and writes the figures as JSON. Wall-clock numbers vary by machine and load (this
// one is shared): read the ratios, and nothing here is asserted in a test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { ModelSetManifest } from '../engine/model-set';
import type { ModelSetRuntime } from '../engine/api/runtime-contract';
import { EngineService } from '../engine/api/service';
import type { GenerateRequest } from '../engine/api/studio-engine';
import { cpuTensor, type CpuTensor } from '../engine/latent/tensor';
import { loadNodeRuntime, NODE_INTRA_OP_THREADS, openOnnxFile } from '../runtime/ort-node';
import { defaultModelsDirectory } from './package-paths';
import type { BrowserDitReport, BrowserDitRequest } from './bench-browser-dit';
import { describeError } from '../engine/api/describe-error';
import { InvalidSettingError } from '../engine/errors';
import { BENCH_USAGE, parseBenchArgs } from './bench-args';
import { CHROMIUM_PATH, QUIET_CHROMIUM_ARGS } from './headless-chromium';

/** The batch every DiT comparison runs at: one guided image (conditional and unconditional rows). */
const BATCH = 2;
/** Forwards the browser harness runs after a fresh load (enough to pass the baseline-tier phase). */
const BROWSER_FORWARDS = 200;
/** browserWasmColdMs: mean of this many first forwards after a fresh load (issue 16). */
const COLD_FORWARDS = 32;
/** The PyTorch comparison's second model: the SVG DiT-B (12 x 768, 16 x 16 tokens of 392 channels). */
const DIT_B_PRESET = 'B';
/** The PyTorch-comparison row of the benched set's own DiT config (the bundled default unless --models). */
const BENCHED_DIT = 'benched set';
const PYTHON = process.env.SVG_PYTHON ?? '/usr/bin/python3';
const WORK_DIR = path.join(os.tmpdir(), 'svg-bench');

/** The figures issue 16 asks for; every target is a ratio (or a bound) from one run. */
const TARGETS = [
  {
    name: 'cold time to first image / CLI generation',
    max: 5,
    value: (r: BenchReport) => r.ttfi.coldMs / r.ttfi.cliGenerateMs,
  },
  { name: 'cached reload ready (ms)', max: 1000, value: (r: BenchReport) => r.ttfi.cachedReadyMs },
  {
    name: 'browser WASM DiT forward / onnxruntime-node',
    max: 2.5,
    value: (r: BenchReport) => r.dit.browserWasmMs / r.dit.ortNodeMs,
  },
  {
    name: 'first 32 browser forwards / steady state',
    max: 1.5,
    value: (r: BenchReport) => r.dit.browserWasmColdMs / r.dit.browserWasmMs,
  },
  {
    name: 'guided step / unguided step (onnxruntime-node)',
    max: 1.6,
    value: (r: BenchReport) => r.guidedStepOverBatchedRatio,
  },
  ...[BENCHED_DIT, 'DiT-B'].map((model) => ({
    name: `onnxruntime-node / PyTorch eager DiT forward, ${model}`,
    max: 0.7,
    value: (r: BenchReport) => {
      const row = r.dit.torchComparison.find((c) => c.model === model);
      return row ? row.ortNodeMs / row.torchMs : NaN;
    },
  })),
] as const;

interface TorchComparison {
  readonly model: string;
  readonly parameters: number;
  readonly ortNodeMs: number;
  readonly torchMs: number;
  readonly blas: string;
}

interface BenchReport {
  readonly machine: {
    readonly cpus: number;
    readonly threads: number;
    /** 1-minute load average when the run started and ended: above `cpus`, other work shared the cores */
    readonly loadAverage: { readonly start: number; readonly end: number };
    readonly note: string;
  };
  readonly modelSet: string;
  readonly batch: number;
  /** timed runs per DiT forward comparison (--repeats) */
  readonly repeats: number;
  readonly dit: {
    readonly ortNodeMs: number;
    readonly ortNodeBatch1Ms: number;
    readonly torchMs: number;
    readonly browserWasmMs: number;
    readonly browserWasmColdMs: number;
    /** the first 32 forwards of a second load in the same browser profile (WebAssembly code cache) */
    readonly browserWasmCachedColdMs: number;
    readonly browserThreads: number;
    readonly browserCrossOriginIsolated: boolean;
    /** first forward index from which the rolling median stays within 1.25x of the steady state */
    readonly browserForwardsToSteadyState: number;
    readonly browserForwardTimesMs: readonly number[];
    readonly torchComparison: readonly TorchComparison[];
  };
  readonly ttfi: {
    readonly coldMs: number;
    readonly coldReadyMs: number;
    readonly cachedReadyMs: number;
    readonly cachedFirstImageMs: number;
    readonly cliGenerateMs: number;
    readonly cliGenerateWarmMs: number;
    readonly settings: string;
  };
  readonly guidedStepOverBatchedRatio: number;
  /** sections that could not be measured, with why */
  readonly failures: readonly string[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function medianMs(run: () => Promise<unknown>, repeats: number, warmUps = 3): Promise<number> {
  for (let i = 0; i < warmUps; i++) await run(); // first runs allocate and specialise kernels
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The first index from which the median of every later window of 16 is within 1.25x of `steady`. */
function forwardsToSteadyState(times: readonly number[], steady: number): number {
  const window = 16;
  let index = times.length;
  for (let i = times.length - window; i >= 0; i--) {
    if (median(times.slice(i, i + window)) > 1.25 * steady) break;
    index = i;
  }
  return index;
}

const tokensOf = (manifest: ModelSetManifest) => manifest.latent.grid[0] * manifest.latent.grid[1];

function filled(dims: number[]): CpuTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  return cpuTensor(
    Float32Array.from({ length: size }, (_, i) => 0.5 * Math.sin(i)),
    dims,
  );
}

/** The shipped float32 DiT file of a set, read from the manifest text (version 1 or 2). */
function ditFile(modelDir: string): string {
  const raw = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')) as {
    networks: { dit: { file?: string; variants?: { float32?: { file: string } } } };
  };
  const file = raw.networks.dit.variants?.float32?.file ?? raw.networks.dit.file;
  if (!file) throw new Error(`${modelDir}/manifest.json names no DiT file`);
  return file;
}

function defaultRequest(manifest: ModelSetManifest, guidanceSchedule?: string): GenerateRequest {
  const { steps, sampler, shift, guidanceScale } = manifest.sampler;
  return {
    classId: 0,
    seed: 0,
    steps,
    sampler,
    shift,
    guidanceScale,
    guidanceSchedule: guidanceSchedule ?? manifest.sampler.guidanceSchedule,
    batch: 1,
    previewEvery: 0,
  } as GenerateRequest;
}

async function nodeFigures(modelDir: string, repeats: number) {
  const source = { kind: 'directory' as const, path: modelDir };
  // The CLI's in-process generation: a fresh load, then the first generation (what one CLI run does).
  const cli = new EngineService(loadNodeRuntime);
  const { manifest } = await cli.loadModelSet({ source, provider: 'auto' });
  const request = defaultRequest(manifest);
  const first = performance.now();
  await cli.generate(request);
  const cliGenerateMs = performance.now() - first;
  const cliGenerateWarmMs = await medianMs(() => cli.generate(request), 5, 1);
  const sampling = async (schedule: string) => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++)
      times.push((await cli.generate(defaultRequest(manifest, schedule))).timings.samplingMs);
    return median(times);
  };
  const guidedStepOverBatchedRatio =
    (await sampling(manifest.sampler.guidanceSchedule)) / (await sampling('none'));
  await cli.dispose();

  const { runtime } = await loadNodeRuntime({ source, provider: 'auto' });
  const typed = runtime as ModelSetRuntime<CpuTensor>;
  const [tokens, channels] = [tokensOf(manifest), manifest.latent.channels];
  const x2 = filled([BATCH, tokens, channels]);
  const x1 = filled([1, tokens, channels]);
  const ortNodeMs = await medianMs(() => typed.velocity(x2, 0.5, [0, manifest.classes.nullId]), repeats);
  const ortNodeBatch1Ms = await medianMs(() => typed.velocity(x1, 0.5, [0]), repeats);
  await runtime.dispose();
  return {
    manifest,
    cliGenerateMs,
    cliGenerateWarmMs,
    guidedStepOverBatchedRatio,
    ortNodeMs,
    ortNodeBatch1Ms,
  };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = process.cwd(),
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args[0]} exited with ${code}`)),
    );
  });
}

/** PyTorch eager and onnxruntime-node on the same seeded random weights (bench_torch.py exports them). */
async function torchComparison(manifest: ModelSetManifest, repeats: number): Promise<TorchComparison[]> {
  const models: Array<[string, string]> = [
    [BENCHED_DIT, JSON.stringify((manifest.networks.dit as unknown as { config: unknown }).config)],
    ['DiT-B', DIT_B_PRESET],
  ];
  const rows: TorchComparison[] = [];
  for (const [model, config] of models) {
    const onnx = path.join(WORK_DIR, `${model}-seed0.onnx`);
    const threads = String(NODE_INTRA_OP_THREADS);
    // OpenBLAS and OpenMP each get the thread count, so neither oversubscribes the other.
    const out = await run(
      PYTHON,
      [
        'bench_torch.py',
        '--config',
        config,
        '--threads',
        threads,
        '--batch',
        String(BATCH),
        '--onnx',
        onnx,
        '--repeats',
        model === 'DiT-B' ? '5' : String(repeats),
      ],
      { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads },
      path.resolve('export-scripts'),
    );
    const torch = JSON.parse(out.trim().split('\n').at(-1) as string) as {
      torchMs: number;
      blas: string;
      parameters: number;
      tokens: number;
      channels: number;
    };
    const session = await openOnnxFile(onnx, NODE_INTRA_OP_THREADS);
    const inputs = {
      x: filled([BATCH, torch.tokens, torch.channels]),
      t: { data: new Float32Array(BATCH).fill(0.5), dims: [BATCH] },
      y: { data: new BigInt64Array(BATCH), dims: [BATCH] },
    };
    const ortNodeMs = await medianMs(() => session.run(inputs), model === 'DiT-B' ? 5 : repeats, 1);
    await session.release();
    rows.push({ model, parameters: torch.parameters, ortNodeMs, torchMs: torch.torchMs, blas: torch.blas });
  }
  return rows;
}

/** A TCP port nobody listens on now (other test servers share this machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a Vite server (dev or preview) on a free port; resolves with its URL and a stop function. */
async function startServer(mode: 'dev' | 'preview'): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const args = mode === 'dev' ? [] : ['preview'];
  const child: ChildProcess = spawn(
    'node_modules/.bin/vite',
    [...args, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--logLevel', 'warn'],
    { stdio: 'ignore', detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  };
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (let i = 0; i < 600 && exited === null; i++) {
    try {
      if ((await fetch(`${url}/models/index.json`)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error(`vite ${mode} did not start on ${url}${exited !== null ? ` (exited with ${exited})` : ''}`);
}

async function browserForwards(page: Page, request: BrowserDitRequest, tries = 6): Promise<BrowserDitReport> {
  // The dev server may re-optimise dependencies on first use and reload the page: try again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await browserForwardsOnce(page, request);
    } catch (error) {
      if (attempt >= tries) throw error;
      console.warn(`bench: ${describeError(error)}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, 5000)); // let the dev server finish optimising
      await page.reload();
    }
  }
}

async function browserForwardsOnce(page: Page, request: BrowserDitRequest): Promise<BrowserDitReport> {
  const result = await page.evaluate(
    (req) =>
      new Promise<{ ok: boolean; report?: BrowserDitReport; error?: string }>((resolve) => {
        const worker = new Worker('/src/cli/bench-browser-dit.ts', { type: 'module' });
        worker.onmessage = (event) => {
          worker.terminate();
          resolve(event.data);
        };
        worker.onerror = (event) =>
          resolve({ ok: false, error: event.message || 'the worker module failed to load' });
        worker.postMessage(req);
      }),
    request,
  );
  if (!result.ok || !result.report) throw new Error(`browser DiT harness: ${result.error}`);
  return result.report;
}

/** Browser WASM DiT forwards after a fresh load, then after a second load in the same profile. */
async function browserDit(browser: Browser, manifest: ModelSetManifest, modelDir: string) {
  const dev = await startServer('dev');
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dev.url}/models/index.json`); // any same-origin page: COOP/COEP come with it
    const request: BrowserDitRequest = {
      modelUrl: `/models/${path.basename(modelDir)}/${ditFile(modelDir)}`,
      batch: BATCH,
      tokens: tokensOf(manifest),
      channels: manifest.latent.channels,
      forwards: BROWSER_FORWARDS,
    };
    const fresh = await browserForwards(page, request);
    await page.reload();
    const again = await browserForwards(page, { ...request, forwards: COLD_FORWARDS });
    await context.close();
    const steady = median(fresh.forwardTimesMs.slice(-COLD_FORWARDS));
    return {
      fresh,
      browserWasmMs: steady,
      browserWasmColdMs: mean(fresh.forwardTimesMs.slice(0, COLD_FORWARDS)),
      browserWasmCachedColdMs: mean(again.forwardTimesMs),
      browserForwardsToSteadyState: forwardsToSteadyState(fresh.forwardTimesMs, steady),
    };
  } finally {
    dev.stop();
  }
}

/** The studio's own journey on the built app: open, wait until ready, Generate, wait for the image. */
async function timeToFirstImage(browser: Browser, setId: string) {
  await run('node_modules/.bin/vite', ['build', '--logLevel', 'warn']);
  const preview = await startServer('preview');
  try {
    const context = await browser.newContext(); // a fresh profile: empty caches
    const page = await context.newPage();
    const status = page.getByRole('status', { name: 'Execution status' });
    const journey = async (open: () => Promise<unknown>) => {
      const start = performance.now();
      await open();
      await status.and(page.locator('[data-load-state="ready"]')).waitFor({ timeout: 300_000 });
      const readyMs = performance.now() - start;
      await page.getByRole('button', { name: 'Generate' }).click();
      await page
        .getByRole('img', { name: /^Result \d+$/ })
        .first()
        .waitFor({ timeout: 300_000 });
      return { readyMs, firstImageMs: performance.now() - start };
    };
    const cold = await journey(() => page.goto(`${preview.url}/?set=${setId}`));
    const steps = await page.getByLabel('Steps', { exact: true }).inputValue();
    const cached = await journey(() => page.reload());
    await context.close();
    return { cold, cached, steps };
  } finally {
    preview.stop();
  }
}

function printReport(report: BenchReport): void {
  const { dit, ttfi } = report;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const { loadAverage } = report.machine;
  console.log(
    `\nbench: ${report.modelSet}, batch ${report.batch}, ${report.machine.threads} threads (${report.machine.note}); load average ${loadAverage.start.toFixed(1)} at the start, ${loadAverage.end.toFixed(1)} at the end`,
  );
  console.log(
    `DiT forward: onnxruntime-node ${ms(dit.ortNodeMs)} (batch 1: ${ms(dit.ortNodeBatch1Ms)}), PyTorch eager ${ms(dit.torchMs)}, browser WASM ${ms(dit.browserWasmMs)} steady, first ${COLD_FORWARDS}: ${ms(dit.browserWasmColdMs)} (cached profile: ${ms(dit.browserWasmCachedColdMs)}), ${dit.browserThreads} thread(s), cross-origin isolated: ${dit.browserCrossOriginIsolated}`,
  );
  console.log(`browser WASM reaches its steady state after ${dit.browserForwardsToSteadyState} forwards`);
  const spans = [
    [0, 8],
    [8, 16],
    [16, 32],
    [32, 64],
    [64, 128],
    [128, BROWSER_FORWARDS],
  ] as const;
  console.log(
    `  mean forward by span: ${spans
      .map(([from, to]) => `${from + 1}-${to}: ${ms(mean(dit.browserForwardTimesMs.slice(from, to)))}`)
      .join(', ')}`,
  );
  for (const row of dit.torchComparison)
    console.log(
      `  ${row.model} (${(row.parameters / 1e6).toFixed(1)} M parameters): onnxruntime-node ${ms(row.ortNodeMs)}, PyTorch ${ms(row.torchMs)} on ${path.basename(row.blas)}`,
    );
  console.log(
    `time to first image (${ttfi.settings}): cold ${ms(ttfi.coldMs)} (ready ${ms(ttfi.coldReadyMs)}), cached reload ready ${ms(ttfi.cachedReadyMs)}, first image ${ms(ttfi.cachedFirstImageMs)}; CLI generation ${ms(ttfi.cliGenerateMs)} (warm ${ms(ttfi.cliGenerateWarmMs)})`,
  );
  console.log('\ntargets (issue 16):');
  for (const target of TARGETS) {
    const value = target.value(report);
    const verdict = Number.isNaN(value) ? 'not measured' : value <= target.max ? 'met' : 'MISSED';
    console.log(
      `  ${target.name.padEnd(52)} ${value.toFixed(2).padStart(9)}  (at most ${target.max})  ${verdict}`,
    );
  }
}

async function main(): Promise<void> {
  const values = parseBenchArgs(process.argv.slice(2));
  if (values === 'help') {
    console.log(BENCH_USAGE);
    return;
  }
  const modelDir = path.resolve(values.models ?? defaultModelsDirectory());
  const loadAtStart = os.loadavg()[0] ?? NaN;
  mkdirSync(WORK_DIR, { recursive: true });
  const node = await nodeFigures(modelDir, values.repeats);
  const { manifest } = node;
  const failures: string[] = [];
  /** A failed section is reported and left out (NaN), so one broken part does not lose the others. */
  const section = async <T>(name: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      failures.push(`${name}: ${describeError(error)}`);
      console.error(`bench: ${failures.at(-1)}`);
      return null;
    }
  };
  const torch = values['no-torch']
    ? []
    : ((await section('PyTorch comparison', () => torchComparison(manifest, values.repeats))) ?? []);
  let browserFigures: Awaited<ReturnType<typeof browserDit>> | null = null;
  let ttfi: Awaited<ReturnType<typeof timeToFirstImage>> | null = null;
  if (!values['no-browser']) {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...QUIET_CHROMIUM_ARGS] });
    try {
      browserFigures = await section('browser WASM DiT', () => browserDit(browser, manifest, modelDir));
      ttfi = await section('time to first image', () => timeToFirstImage(browser, manifest.id));
    } finally {
      await browser.close();
    }
  }
  const report: BenchReport = {
    machine: {
      cpus: os.cpus().length,
      threads: NODE_INTRA_OP_THREADS,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? NaN },
      note: 'intraOpNumThreads, torch.set_num_threads, OpenBLAS and ORT-web numThreads all set to this; the machine may be shared',
    },
    modelSet: manifest.id,
    batch: BATCH,
    repeats: values.repeats,
    dit: {
      ortNodeMs: node.ortNodeMs,
      ortNodeBatch1Ms: node.ortNodeBatch1Ms,
      torchMs: torch.find((row) => row.model === BENCHED_DIT)?.torchMs ?? NaN,
      browserWasmMs: browserFigures?.browserWasmMs ?? NaN,
      browserWasmColdMs: browserFigures?.browserWasmColdMs ?? NaN,
      browserWasmCachedColdMs: browserFigures?.browserWasmCachedColdMs ?? NaN,
      browserThreads: browserFigures?.fresh.threads ?? 0,
      browserCrossOriginIsolated: browserFigures?.fresh.crossOriginIsolated ?? false,
      browserForwardsToSteadyState: browserFigures?.browserForwardsToSteadyState ?? NaN,
      browserForwardTimesMs: browserFigures?.fresh.forwardTimesMs ?? [],
      torchComparison: torch,
    },
    ttfi: {
      coldMs: ttfi?.cold.firstImageMs ?? NaN,
      coldReadyMs: ttfi?.cold.readyMs ?? NaN,
      cachedReadyMs: ttfi?.cached.readyMs ?? NaN,
      cachedFirstImageMs: ttfi?.cached.firstImageMs ?? NaN,
      cliGenerateMs: node.cliGenerateMs,
      cliGenerateWarmMs: node.cliGenerateWarmMs,
      settings: `${manifest.id}, ${ttfi?.steps ?? manifest.sampler.steps} steps, ${manifest.sampler.sampler}, guidance ${manifest.sampler.guidanceScale} ${manifest.sampler.guidanceSchedule}, batch 1`,
    },
    guidedStepOverBatchedRatio: node.guidedStepOverBatchedRatio,
    failures,
  };
  printReport(report);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${values.json}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: ${describeError(error)}`);
    process.exit(error instanceof InvalidSettingError ? 2 : 1); // 2: bad arguments, as the CLI's
  },
);
