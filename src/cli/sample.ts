// `svg-studio sample`: N class-balanced images for evaluation, one PNG per image (plus its final latent
// with --latents) in the --out folder, for this process's shard of the indices. Image i's class and noise
// are functions of (run seed, i) only (sample-plan.ts), so shards, batch sizes and restarts all give the
// same files. Resumable: images already in the folder that pass the check are skipped; progress.json per
// shard says how far it got. Writes are atomic (temporary file + rename), so a killed process leaves
// whole files only.
import { link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activationBytes } from '../engine/capabilities';
import { encodePng } from '../engine/formats/png';
import { resolveClass, type ModelSetManifest } from '../engine/model-set';
import { LIMITS } from '../engine/limits';
import { writeNpy } from '../engine/formats/npy';
import { resultTextChunks } from '../engine/formats/result-metadata';
import { TorchGenerator } from '../engine/rng/torch-randn';
import type { GenerateRequest, LoadedModelSet, StudioEngine } from '../engine/api/studio-engine';
import { UsageError, type SampleArgs } from './args';
import { checkOutputFolder, writeFileAtomic } from './output-paths';
import { PACKAGE_VERSION } from './package-paths';
import { ProgressBar } from './progress-bar';
import {
  checkSeedRange,
  imageClass,
  imageSeed,
  planBatches,
  resolveShard,
  shardRange,
  type Shard,
} from './sample-plan';
import {
  checkImage,
  checkSameRun,
  expectedMetadata,
  imageFile,
  latentFile,
  readRunSettings,
  RUN_FILE,
  runSettingsFor,
  type RunSettings,
} from './sample-run';
import { samplerSettings } from './sampler-settings';

/** Share of free memory a batch's activations may take when --batch is not given. */
const MEMORY_SHARE = 0.25;

/**
 * Batch size from memory: as many images as fit MEMORY_SHARE of the free memory by the engine's
 * per-image activation estimate (capabilities.ts), within the batch limit.
 */
export function batchFromMemory(manifest: ModelSetManifest, freeBytes: number): number {
  const perImage = activationBytes(manifest);
  return Math.max(
    LIMITS.engineBatch.min,
    Math.min(LIMITS.engineBatch.max, Math.floor((freeBytes * MEMORY_SHARE) / perImage)),
  );
}

/** The class list of a run: --classes (ids or names, resolved), else every class of the set. */
function runClasses(manifest: ModelSetManifest, refs: readonly string[] | undefined): number[] {
  if (!refs) return Array.from({ length: manifest.classes.count }, (_, id) => id);
  const ids = refs.map((ref) => resolveClass(manifest, ref));
  const duplicate = ids.find((id, k) => ids.indexOf(id) !== k);
  if (duplicate !== undefined) throw new UsageError(`--classes names class ${duplicate} twice`);
  return ids;
}

function runCount(args: SampleArgs, classes: readonly number[]): number {
  if (args.perClass === undefined) return args.num as number;
  const count = args.perClass * classes.length;
  if (args.num !== undefined && args.num !== count) {
    throw new UsageError(
      `--num ${args.num} disagrees with --per-class ${args.perClass} x ${classes.length} classes = ${count}; give one of them`,
    );
  }
  return count;
}

/** Names of our own files in a sample folder: run.json, progress files, images, latents, temporaries. */
const OWN_FILE =
  /^(run\.json|progress-\d+-of-\d+\.json(\.tmp-\d+)?|\d+\.(png|npy)(\.tmp-\d+)?|run\.json\.tmp-\d+)$/;
const IMAGE_OR_LATENT = /^\d+\.(png|npy)$/;

/**
 * Claims the folder for the run: creates run.json, or checks the one there; refuses foreign folders.
 * Shards may share a folder: run.json is linked into place from a complete temporary file, so exactly
 * one shard creates it and the others read a whole file and compare.
 */
async function claimFolder(dir: string, run: RunSettings): Promise<void> {
  const found = await readRunSettings(dir);
  if (found) {
    checkSameRun(dir, found, run);
    return;
  }
  const entries = await readdir(dir).catch(() => [] as string[]);
  const foreign = entries.filter((name) => !OWN_FILE.test(name));
  if (foreign.length > 0) {
    throw new UsageError(
      `--out ${dir} is not empty and is not a sample folder (no ${RUN_FILE}; it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); use an empty or new folder`,
    );
  }
  if (entries.some((name) => IMAGE_OR_LATENT.test(name))) {
    throw new UsageError(`--out ${dir} holds sample images but no ${RUN_FILE}; use an empty or new folder`);
  }
  const file = path.join(dir, RUN_FILE);
  const temporary = `${file}.tmp-${process.pid}`;
  await mkdir(dir, { recursive: true });
  await writeFile(temporary, `${JSON.stringify(run, null, 2)}\n`);
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another shard created it first.
    checkSameRun(dir, (await readRunSettings(dir)) as RunSettings, run);
  } finally {
    await unlink(temporary);
  }
}

interface Progress {
  readonly shard: string;
  readonly start: number;
  readonly end: number;
  readonly done: number;
  readonly skipped: number;
  readonly finished: boolean;
  readonly imagesPerSecond: number | null;
  readonly updatedAt: string;
}

async function writeProgress(dir: string, shard: Shard, progress: Progress): Promise<void> {
  const file = path.join(dir, `progress-${shard.index}-of-${shard.count}.json`);
  await writeFileAtomic(file, new TextEncoder().encode(`${JSON.stringify(progress, null, 2)}\n`));
}

/** The engine request for a batch of indices: per-image noise concatenated [B, N, C], per-row classes [B]. */
function batchRequest(run: RunSettings, indices: readonly number[]): GenerateRequest {
  const [tokens, channels] = run.latentShape;
  const noise = new Float32Array(indices.length * tokens * channels);
  indices.forEach((index, row) => {
    // torch.manual_seed(seed + i); torch.randn(1, tokens, channels): the studio's batch-1 noise for that seed
    noise.set(
      new TorchGenerator(imageSeed(run.seed, index)).randn([1, tokens, channels]),
      row * tokens * channels,
    );
  });
  return {
    classId: imageClass(run.classes, indices[0] as number),
    seed: imageSeed(run.seed, indices[0] as number),
    steps: run.steps,
    sampler: run.sampler,
    shift: run.shift,
    guidanceScale: run.guidanceScale,
    guidanceSchedule: run.guidanceSchedule,
    batch: indices.length,
    rowClassIds: indices.map((index) => imageClass(run.classes, index)),
    previewEvery: 0,
    start: { noiseTokens: noise },
  };
}

export interface SampleOutcome {
  readonly shard: Shard;
  readonly range: { readonly start: number; readonly end: number };
  readonly generated: number;
  readonly skipped: number;
  readonly batch: number;
  /** wall-clock seconds of the generation loop (model loading and the resume check excluded) */
  readonly seconds: number;
  /** CPU seconds (user + system, all threads) of the same loop: a figure less sensitive to other load */
  readonly cpuSeconds: number;
}

export async function runSample(
  engine: StudioEngine,
  args: SampleArgs,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SampleOutcome> {
  // Shard and output folder are checked before the model set loads; classes, N, seed range and sampler
  // settings as soon as its manifest is known; all before the folder is claimed or an image is made.
  const shard = resolveShard(args.shard, args.shardCount, env);
  await checkOutputFolder('--out', args.out);
  const loaded: LoadedModelSet = await engine.loadModelSet({
    source: { kind: 'directory', path: args.models },
    provider: 'auto',
  });
  const { manifest } = loaded;
  const classes = runClasses(manifest, args.classes);
  const count = runCount(args, classes);
  checkSeedRange(args.seed, count);
  const settings = samplerSettings(args, manifest);
  const run = runSettingsFor(manifest, loaded.manifestSha256, {
    count,
    seed: args.seed,
    classes,
    ...settings,
    latents: args.latents,
  });
  const batch = args.batch ?? batchFromMemory(manifest, os.freemem());
  const range = shardRange(count, shard);
  await claimFolder(args.out, run);

  // Resume: keep what is there and checks out; redo the rest.
  const pending: number[] = [];
  for (let index = range.start; index < range.end; index++) {
    const check = await checkImage(args.out, run, index, PACKAGE_VERSION);
    if (check.ok) continue;
    if (check.reason !== 'missing')
      process.stderr.write(`svg-studio: redoing image ${index}: ${check.reason}\n`);
    pending.push(index);
  }
  const skipped = range.end - range.start - pending.length;
  const total = range.end - range.start;
  const label = `shard ${shard.index}/${shard.count} [${range.start}, ${range.end})`;
  const bar = new ProgressBar(process.stderr, label, { plainLines: true, unit: 'images' });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let generated = 0;
  const progress = (finished: boolean): Progress => {
    const seconds = (performance.now() - started) / 1000;
    return {
      shard: `${shard.index}/${shard.count}`,
      start: range.start,
      end: range.end,
      done: skipped + generated,
      skipped,
      finished,
      imagesPerSecond: generated > 0 && seconds > 0 ? generated / seconds : null,
      updatedAt: new Date().toISOString(),
    };
  };
  await writeProgress(args.out, shard, progress(pending.length === 0));
  bar.update(skipped, total, 0);
  for (const indices of planBatches(pending, batch)) {
    const result = await engine.generate(batchRequest(run, indices));
    const [tokens, channels] = run.latentShape;
    for (const [row, index] of indices.entries()) {
      if (run.latents) {
        const latent = result.latentTokens.subarray(row * tokens * channels, (row + 1) * tokens * channels);
        await writeFileAtomic(
          latentFile(args.out, run, index),
          writeNpy(latent.slice(), [1, tokens, channels]),
        );
      }
      // The PNG last: its presence (and check) marks the image done.
      const text = resultTextChunks(expectedMetadata(run, index, PACKAGE_VERSION));
      await writeFileAtomic(imageFile(args.out, run, index), await encodePng(result.images[row]!, text));
    }
    generated += indices.length;
    await writeProgress(args.out, shard, progress(generated === pending.length));
    bar.update(skipped + generated, total, performance.now() - started);
  }
  bar.done();
  const cpu = process.cpuUsage(cpuStarted);
  return {
    shard,
    range,
    generated,
    skipped,
    batch,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}
