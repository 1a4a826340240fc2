// The pipeline check of a model set's DiT precision variants, run by the exporter
// (export-scripts/svg_export/model_set.py) after it writes a set:
//   tsx src/cli/variant-check.ts --set <dir> --dit <file> [--dit <file> …] --out <result.json> [--seed N] [--class N]
// Each candidate DiT file generates with the studio's own pipeline (generateImages: PyTorch-seeded noise,
// the manifest's default sampler, steps, shift and guidance, guidance on) next to the set's float32 DiT,
// same seed and class; both latents are decoded by the float32 decoder. The result per candidate is the
// final latent's max |Δ| and the decoded image's PSNR against the float32 pipeline: how far 4-bit (or
// half-precision) weights move what a user sees, not only one forward.
// Only one DiT session is open at a time, so a DiT-XL set needs one DiT's memory, not two.
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { InvalidSettingError, ManifestError, ModelFetchError, RuntimeFailureError } from '../engine/errors';
import type { RgbaImage } from '../engine/formats/pixels';
import { readManifestText, REFERENCE_PRECISION, type ModelSetManifest } from '../engine/model-set';
import { psnr } from '../engine/analysis/metrics';
import { generateImages } from '../engine/pipelines/tasks';
import type { ModelSetRuntime } from '../engine/api/runtime-contract';
import { cpuLatentMath, type CpuTensor } from '../engine/latent/tensor';
import { openOnnxFile, type OnnxFileSession } from '../runtime/ort-node';
import { describeError } from '../engine/api/describe-error';
import { parseToolArgs } from './tool-args';

const USAGE =
  'usage: variant-check.ts --set <dir> --dit <file> [--dit <file> ...] --out <result.json> [--seed N] [--class N]';

/** What identical images report: PSNR is infinite there, and JSON (and the manifest) want a number. */
export const IDENTICAL_PSNR_DB = 100;

const wholeNumber = v.pipe(
  v.string(),
  v.regex(/^\d{1,10}$/, 'must be a whole number >= 0'),
  v.transform(Number),
);
const nonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const OptionsSchema = v.object({
  set: nonEmpty,
  dit: v.pipe(v.array(nonEmpty), v.minLength(1, 'needs at least one candidate file')),
  out: nonEmpty,
  seed: v.optional(wholeNumber, '0'),
  class: v.optional(wholeNumber, '0'),
});
export type VariantCheckOptions = v.InferOutput<typeof OptionsSchema>;

export interface CandidateFigures {
  /** max |z_candidate − z_float32| over the final standardised latent tokens [B, N, C] */
  readonly latentMaxAbs: number;
  /** PSNR of the candidate's decoded image against the float32 pipeline's (worst image of the batch) */
  readonly decodedPsnrDb: number;
  readonly samplingMs: number;
}

export interface VariantCheckResult {
  readonly set: string;
  readonly reference: string;
  readonly decoder: string;
  readonly seed: number;
  readonly classId: number;
  readonly steps: number;
  readonly sampler: string;
  readonly shift: number;
  readonly guidanceScale: number;
  readonly guidanceSchedule: string;
  readonly candidates: Readonly<Record<string, CandidateFigures>>;
}

/** Parses argv (without node and the script) into checked options; throws InvalidSettingError. */
export function parseVariantCheckArgs(argv: readonly string[]): VariantCheckOptions {
  return parseToolArgs(argv, OptionsSchema, USAGE);
}

/** The generation half of ModelSetRuntime over two plain sessions (the check needs no encoders). */
function generationRuntime(dit: OnnxFileSession, decoder: OnnxFileSession): ModelSetRuntime<CpuTensor> {
  const only = (name: string) => {
    throw new RuntimeFailureError(`variant-check loads no ${name}`);
  };
  const output = (outputs: Record<string, CpuTensor>, name: string, file: string) => {
    const tensor = outputs[name];
    if (!tensor) throw new RuntimeFailureError(`${file}: no output "${name}"`);
    return tensor;
  };
  return {
    execution: {
      provider: 'cpu',
      adapter: 'onnxruntime-node CPU',
      reason: 'the variant check runs on the CPU',
    },
    math: cpuLatentMath,
    upload: async (tensor) => tensor,
    download: async (tensor) => tensor,
    encodeDino: async () => only('DINO encoder'),
    encodeResidual: async () => only('residual encoder'),
    decode: async (latent) =>
      output(await decoder.run({ latent: { data: latent.data, dims: latent.dims } }), 'image', 'decoder'),
    velocity: async (x, t, labels) => {
      const batch = labels.length;
      const outputs = await dit.run({
        x: { data: x.data, dims: x.dims },
        t: { data: new Float32Array(batch).fill(t), dims: [batch] },
        y: { data: BigInt64Array.from(Array.from(labels, (label) => BigInt(label))), dims: [batch] },
      });
      return output(outputs, 'velocity', 'dit');
    },
    dispose: async () => {},
  };
}

interface Generation {
  readonly latent: Float32Array;
  readonly images: readonly RgbaImage[];
  readonly samplingMs: number;
}

/** A session on a set's file; a missing or unloadable file is a ModelFetchError naming it. */
async function openSetFile(file: string): Promise<OnnxFileSession> {
  try {
    await access(file);
  } catch {
    throw new ModelFetchError(`${file}: no such model file`);
  }
  try {
    return await openOnnxFile(file);
  } catch (error) {
    throw new RuntimeFailureError(
      `${file}: ONNX Runtime could not load the graph: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

async function generateWith(
  manifest: ModelSetManifest,
  ditPath: string,
  decoder: OnnxFileSession,
  seed: number,
  classId: number,
): Promise<Generation> {
  const dit = await openSetFile(ditPath);
  try {
    const { sampler } = manifest;
    const result = await generateImages(generationRuntime(dit, decoder), manifest, {
      classId,
      seed,
      steps: sampler.steps,
      sampler: sampler.sampler,
      shift: sampler.shift,
      guidanceScale: sampler.guidanceScale,
      guidanceSchedule: sampler.guidanceSchedule,
      batch: 1,
      previewEvery: 0,
    });
    return { latent: result.latentTokens, images: result.images, samplingMs: result.timings.samplingMs };
  } finally {
    await dit.release();
  }
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Runs the check; candidate files are relative to the set folder (as the manifest names them). */
export async function checkVariants(options: VariantCheckOptions): Promise<VariantCheckResult> {
  const manifestPath = path.join(options.set, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new ManifestError(`${manifestPath}: cannot read the manifest (${(error as Error).message})`);
  }
  const { manifest } = await readManifestText(text, manifestPath);
  if (options.class >= manifest.classes.count) {
    throw new InvalidSettingError(`--class ${options.class} is not below ${manifest.classes.count}`);
  }
  const reference = manifest.networks.dit.variants[REFERENCE_PRECISION].file;
  const decoderFile = manifest.networks.decoder.variants[REFERENCE_PRECISION].file;
  const decoder = await openSetFile(path.join(options.set, decoderFile));
  try {
    const run = (file: string) =>
      generateWith(manifest, path.join(options.set, file), decoder, options.seed, options.class);
    const base = await run(reference);
    const candidates: Record<string, CandidateFigures> = {};
    for (const file of options.dit) {
      const candidate = await run(file);
      const psnrs = candidate.images.map((image, index) => psnr(image, base.images[index] as RgbaImage));
      const worst = Math.min(...psnrs);
      candidates[file] = {
        latentMaxAbs: maxAbsDifference(candidate.latent, base.latent),
        decodedPsnrDb: Number.isFinite(worst) ? worst : IDENTICAL_PSNR_DB,
        samplingMs: candidate.samplingMs,
      };
    }
    const { sampler } = manifest;
    return {
      set: options.set,
      reference,
      decoder: decoderFile,
      seed: options.seed,
      classId: options.class,
      steps: sampler.steps,
      sampler: sampler.sampler,
      shift: sampler.shift,
      guidanceScale: sampler.guidanceScale,
      guidanceSchedule: sampler.guidanceSchedule,
      candidates,
    };
  } finally {
    await decoder.release();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseVariantCheckArgs(argv);
  const result = await checkVariants(options);
  await writeFile(options.out, JSON.stringify(result, null, 2) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`variant-check: ${describeError(error)}`);
    process.exit(1);
  });
}
