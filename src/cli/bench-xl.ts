// `npm run bench:xl -- --out <report.json> [--set <dir>] [--no-browser]`: the full-size benchmark.
// Builds (or reuses) the SVG-XL set with seeded random weights in a git-ignored folder
// (export_svg.py --random-weights --dit-size XL --variants float32,float16,int4, niced: ~10+ min on two
// cores), then measures in onnxruntime-node, one session at a time so the peak is one network's:
//   - bytes of every variant of every network (graph + external data),
//   - time to open each session and one forward (DiT at batch 2, decoder at 256 px, encoders batch 1),
//   - the int4 DiT's velocity error against the float32 DiT on the same inputs, and the pipeline
//     figures (final latent, decoded PSNR after the manifest's guided sampler) from the exporter's check
//     (re-run with --recheck),
//   - the process's peak RSS, and what the planner would download to generate (WebGPU with shader-f16,
//     and WASM),
// and, unless --no-browser, has the studio page itself (its loader and planner) open the set from a manifest
// URL in headless Chromium on WASM and generate one guided step (src/cli/bench-xl-browser.ts). Timings describe this machine only; the report says so.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { planModelSet, type AdapterFacts } from '../engine/capabilities';
import { ManifestError } from '../engine/errors';
import {
  NETWORK_ROLES,
  PRECISION_IDS,
  readManifestText,
  REFERENCE_PRECISION,
  variantBytes,
  type ModelSetManifest,
  type NetworkRole,
  type TensorSpec,
} from '../engine/model-set';
import { openOnnxFile, type NamedInputs } from '../runtime/ort-node';
import { checkVariants } from './variant-check';
import { runBrowserBench, type BrowserReport } from './bench-xl-browser';
import { describeError } from '../engine/api/describe-error';
import { parseToolArgs } from './tool-args';

export const DEFAULT_SET = '.bench-xl/svg-xl-random';
/** The precisions the benchmark set is exported with (ids of precisions.json). */
export const BENCH_VARIANTS = ['float32', 'float16', 'int4'] as const;
/** Batch of the one measured forward per network: the DiT at 2 (one guided step), the rest at 1. */
const FORWARD_BATCH: Readonly<Record<NetworkRole, number>> = {
  dinoEncoder: 1,
  residualEncoder: 1,
  decoder: 1,
  dit: 2,
};
/** Targets of issue 14, reported next to the measured figures (decimal GB, as the issue states them). */
export const TARGETS = { ditInt4Bytes: 0.4e9, generationDownloadBytes: 0.5e9, decodedPsnrDb: 30 } as const;

const OptionsSchema = v.object({
  out: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  set: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), DEFAULT_SET),
  'no-browser': v.optional(v.boolean(), false),
  recheck: v.optional(v.boolean(), false),
});
export type BenchXlOptions = v.InferOutput<typeof OptionsSchema>;
const USAGE = 'usage: npm run bench:xl -- --out <report.json> [--set <dir>] [--no-browser] [--recheck]';

export function parseBenchXlArgs(argv: readonly string[]): BenchXlOptions {
  return parseToolArgs(argv, OptionsSchema, USAGE);
}

export interface VariantFigures {
  /** graph + external data */
  readonly bytes: number;
  readonly file: string;
  readonly sessionMs: number;
  readonly forwardMs: number;
  readonly forwardBatch: number;
  /** resident set size after the session was created (the session's weights included) */
  readonly rssAfterSessionBytes: number;
}

export interface BenchXlReport {
  readonly machine: string;
  readonly set: string;
  readonly variants: Record<string, Record<string, VariantFigures>>;
  readonly int4: {
    readonly velocityMaxAbs: number;
    readonly velocityMaxRelative: number;
    readonly latentMaxAbs: number | null;
    readonly decodedPsnrDb: number | null;
    readonly pipelineFiguresFrom: 'export check (manifest)' | 'bench re-check' | 'missing';
  };
  readonly node: { readonly peakRssBytes: number };
  readonly browser: BrowserReport | { readonly skipped: string };
  /** what the planner downloads to generate on a WebGPU adapter with shader-f16 */
  readonly generationDownloadBytes: number;
  readonly generationDownloadBytesWasm: number;
  readonly generationPlan: readonly string[];
  readonly targets: Record<
    string,
    { readonly target: number; readonly measured: number | null; readonly met: boolean }
  >;
}

async function readSetManifest(set: string): Promise<ModelSetManifest | null> {
  const manifestPath = path.join(set, 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  return (await readManifestText(await readFile(manifestPath, 'utf8'), manifestPath)).manifest;
}

const hasBenchVariants = (manifest: ModelSetManifest) =>
  BENCH_VARIANTS.every((id) => manifest.networks.dit.variants[id] !== undefined);

/** The set at `set`, exported first when it is missing or lacks a benchmark variant (log next to it). */
export async function ensureBenchSet(set: string, log: (line: string) => void): Promise<ModelSetManifest> {
  const existing = await readSetManifest(set);
  if (existing && hasBenchVariants(existing)) {
    log(`reusing ${set} (delete it to export again)`);
    return existing;
  }
  const logPath = `${set.replace(/\/+$/, '')}.export.log`;
  await mkdir(path.dirname(path.resolve(set)), { recursive: true });
  const args = [
    '-n',
    '19',
    '/usr/bin/python3',
    'export-scripts/export_svg.py',
    '--random-weights',
    '--dit-size',
    'XL',
    '--variants',
    BENCH_VARIANTS.join(','),
    '--out',
    path.resolve(set),
  ];
  log(`exporting the SVG-XL set into ${set} (nice ${args.slice(2).join(' ')}); log: ${logPath}`);
  const logFile = createWriteStream(logPath);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('nice', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(logFile, { end: false });
    child.stderr.pipe(logFile, { end: false });
    child.on('error', reject);
    child.on('close', resolve);
  });
  logFile.end();
  if (code !== 0) throw new ManifestError(`export_svg.py failed with status ${String(code)}; see ${logPath}`);
  const written = await readSetManifest(set);
  if (!written || !hasBenchVariants(written)) {
    throw new ManifestError(
      `${set}: the export wrote no manifest with ${BENCH_VARIANTS.join(', ')} DiT variants`,
    );
  }
  return written;
}

/** Deterministic inputs of a graph's declared IO at `batch`: values in [-1, 1], labels 0, t = 0.5. */
function benchInputs(specs: readonly TensorSpec[], batch: number): NamedInputs {
  const feeds: NamedInputs = {};
  let state = 12345;
  for (const spec of specs) {
    const dims = spec.shape.map((d) => (typeof d === 'string' ? batch : d));
    const size = dims.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'int64') {
      feeds[spec.name] = { data: new BigInt64Array(size), dims };
    } else if (spec.name === 't') {
      feeds[spec.name] = { data: new Float32Array(size).fill(0.5), dims };
    } else {
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        data[i] = (state / 0xffffffff) * 2 - 1;
      }
      feeds[spec.name] = { data, dims };
    }
  }
  return feeds;
}

function maxAbs(a: Float32Array, b?: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b ? (b[i] as number) : 0)));
  return worst;
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

interface NodeMeasurements {
  readonly variants: Record<string, Record<string, VariantFigures>>;
  readonly velocityMaxAbs: number;
  readonly velocityMaxRelative: number;
}

/** Every variant of every network: open, one forward, release (one session resident at a time). */
async function measureNode(
  set: string,
  manifest: ModelSetManifest,
  log: (line: string) => void,
): Promise<NodeMeasurements> {
  const variants: Record<string, Record<string, VariantFigures>> = {};
  const ditOutputs: Record<string, Float32Array> = {};
  for (const role of NETWORK_ROLES) {
    const entry = manifest.networks[role];
    variants[role] = {};
    for (const precision of PRECISION_IDS) {
      const variant = entry.variants[precision];
      if (!variant) continue;
      const batch = FORWARD_BATCH[role];
      const started = performance.now();
      const session = await openOnnxFile(path.join(set, variant.file));
      const sessionMs = performance.now() - started;
      const rssAfterSessionBytes = process.memoryUsage().rss;
      try {
        const feeds = benchInputs(entry.inputs, batch);
        const forwardStart = performance.now();
        const result = await session.run(feeds);
        const forwardMs = performance.now() - forwardStart;
        if (role === 'dit') ditOutputs[precision] = result.velocity?.data ?? new Float32Array();
        variants[role][precision] = {
          file: variant.file,
          bytes: variantBytes(variant),
          sessionMs,
          forwardMs,
          forwardBatch: batch,
          rssAfterSessionBytes,
        };
        log(
          `${role} ${precision}: ${(variantBytes(variant) / 1e6).toFixed(1)} MB, session ${sessionMs.toFixed(0)} ms, ` +
            `forward (batch ${batch}) ${forwardMs.toFixed(0)} ms, RSS ${(rssAfterSessionBytes / 2 ** 30).toFixed(2)} GiB`,
        );
      } finally {
        await session.release();
      }
    }
  }
  const reference = ditOutputs[REFERENCE_PRECISION] as Float32Array;
  const int4 = ditOutputs.int4;
  if (!int4) throw new ManifestError(`${set}: the DiT has no int4 variant to compare`);
  const velocityMaxAbs = maxAbs(int4, reference);
  return { variants, velocityMaxAbs, velocityMaxRelative: velocityMaxAbs / maxAbs(reference) };
}

/** A WebGPU adapter with shader-f16 and room for the set: the plan a capable GPU would get. */
const F16_GPU: AdapterFacts = {
  webgpu: true,
  description: 'a WebGPU adapter with shader-f16 (hypothetical, for the plan)',
  shaderF16: true,
  maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31 - 4,
  isFallbackAdapter: false,
};
const NO_GPU: AdapterFacts = {
  webgpu: false,
  description: 'no WebGPU',
  shaderF16: false,
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
  unavailableReason: 'the benchmark plans WASM too',
};

export async function runBenchXl(
  options: BenchXlOptions,
  log: (line: string) => void = console.log,
): Promise<BenchXlReport> {
  const manifest = await ensureBenchSet(options.set, log);
  const node = await measureNode(options.set, manifest, log);

  const int4Variant = manifest.networks.dit.variants.int4;
  let latentMaxAbs = int4Variant?.check?.latentMaxAbs ?? null;
  let decodedPsnrDb = int4Variant?.check?.decodedPsnrDb ?? null;
  let pipelineFiguresFrom: BenchXlReport['int4']['pipelineFiguresFrom'] =
    latentMaxAbs !== null && decodedPsnrDb !== null ? 'export check (manifest)' : 'missing';
  if (int4Variant && (options.recheck || pipelineFiguresFrom === 'missing')) {
    log(`pipeline check of ${int4Variant.file} (${manifest.sampler.steps} guided steps, twice) ...`);
    const checked = await checkVariants({
      set: options.set,
      dit: [int4Variant.file],
      out: '',
      seed: 0,
      class: 0,
    });
    const figures = checked.candidates[int4Variant.file];
    latentMaxAbs = figures?.latentMaxAbs ?? null;
    decodedPsnrDb = figures?.decodedPsnrDb ?? null;
    pipelineFiguresFrom = 'bench re-check';
  }
  const gpuPlan = planModelSet(manifest, F16_GPU, 'webgpu');
  const wasmPlan = planModelSet(manifest, NO_GPU, 'wasm');

  let browser: BenchXlReport['browser'];
  if (options['no-browser']) {
    browser = { skipped: '--no-browser' };
  } else {
    log('browser: the studio opens the set from its manifest URL and generates one guided step (WASM) ...');
    browser = await runBrowserBench(options.set, manifest, log);
  }

  const ditInt4Bytes = node.variants.dit?.int4?.bytes ?? null;
  const report: BenchXlReport = {
    machine: `${process.platform} ${process.arch}, onnxruntime-node CPU provider; timings are for this machine only`,
    set: options.set,
    variants: node.variants,
    int4: {
      velocityMaxAbs: node.velocityMaxAbs,
      velocityMaxRelative: node.velocityMaxRelative,
      latentMaxAbs,
      decodedPsnrDb,
      pipelineFiguresFrom,
    },
    node: { peakRssBytes: peakRss() },
    browser,
    generationDownloadBytes: gpuPlan.firstTaskDownloadBytes,
    generationDownloadBytesWasm: wasmPlan.firstTaskDownloadBytes,
    generationPlan: gpuPlan.explanation,
    targets: {
      ditInt4Bytes: target(TARGETS.ditInt4Bytes, ditInt4Bytes, (m, t) => m <= t),
      generationDownloadBytes: target(
        TARGETS.generationDownloadBytes,
        gpuPlan.firstTaskDownloadBytes,
        (m, t) => m <= t,
      ),
      decodedPsnrDb: target(TARGETS.decodedPsnrDb, decodedPsnrDb, (m, t) => m >= t),
    },
  };
  return report;
}

function target(value: number, measured: number | null, ok: (measured: number, target: number) => boolean) {
  return { target: value, measured, met: measured !== null && ok(measured, value) };
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseBenchXlArgs(argv);
  const report = await runBenchXl(options);
  await writeFile(options.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`report written to ${options.out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`bench-xl: ${describeError(error)}`);
    process.exit(1);
  });
}
