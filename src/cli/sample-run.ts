// The settings of one `svg-studio sample` run, as written to <out>/run.json by every shard and read back
// by resumed shards and by `merge`. Two folders belong to the same run exactly when their run.json are
// equal; a folder holding another run's settings is refused. Also the per-image check that a PNG found in
// a folder is that run's image i (metadata equal to what the run would write).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import type { ModelSetManifest } from '../engine/model-set';
import { resultMetadataFromText, type ResultMetadata } from '../engine/formats/result-metadata';
import type { RgbaImage } from '../engine/formats/pixels';
import { readPngText } from '../engine/formats/png';
import { parseNpy } from '../engine/formats/npy';
import { SOLVER_NAMES } from '../engine/schedulers/solvers';
import { UsageError } from './args';
import { decodePngFile } from './image-files';
import { imageClass, imageSeed, imageStem } from './sample-plan';

export const RUN_FILE = 'run.json';
const RUN_SCHEMA_ID = 'svg-studio/sample-run';

const nonNegativeInteger = v.pipe(v.number(), v.integer(), v.minValue(0));

export const RUN_SETTINGS_SCHEMA = v.strictObject({
  schema: v.literal(RUN_SCHEMA_ID),
  version: v.literal(1),
  modelSetId: v.string(),
  manifestSha256: v.string(),
  /** N: images 0..N-1 */
  count: v.pipe(nonNegativeInteger, v.minValue(1)),
  /** the run seed; image i uses seed + i */
  seed: nonNegativeInteger,
  /** class of image i = classes[i mod classes.length] */
  classes: v.pipe(v.array(nonNegativeInteger), v.minLength(1)),
  steps: nonNegativeInteger,
  sampler: v.picklist(SOLVER_NAMES),
  shift: v.number(),
  guidanceScale: v.number(),
  guidanceSchedule: v.string(),
  /** side of the square images in pixels */
  resolution: nonNegativeInteger,
  /** latent tokens [tokens, channels] per image */
  latentShape: v.tuple([nonNegativeInteger, nonNegativeInteger]),
  /** whether each image's final latent is kept as <index>.npy */
  latents: v.boolean(),
});

export type RunSettings = v.InferOutput<typeof RUN_SETTINGS_SCHEMA>;

/** The fields that name a setting in messages, in run.json order. */
const describeDifference = (a: RunSettings, b: RunSettings): string => {
  const names = (Object.keys(a) as (keyof RunSettings)[]).filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
  return names
    .map((key) => `${key} ${JSON.stringify(b[key])} here, ${JSON.stringify(a[key])} asked`)
    .join('; ');
};

/** Reads <dir>/run.json; null when the folder has none. Damaged or foreign files are refused. */
export async function readRunSettings(dir: string): Promise<RunSettings | null> {
  const file = path.join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`${file}: cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not valid JSON, so not a sample run's settings`);
  }
  const parsed = v.safeParse(RUN_SETTINGS_SCHEMA, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    throw new UsageError(
      `${file}: not a sample run's settings (${where ? `${where}: ` : ''}${issue.message})`,
    );
  }
  return parsed.output;
}

/** Refuses a folder whose run.json differs from `wanted`, naming every differing setting. */
export function checkSameRun(dir: string, found: RunSettings, wanted: RunSettings): void {
  if (JSON.stringify(found) === JSON.stringify(wanted)) return;
  throw new UsageError(
    `${dir} holds another run's images (${describeDifference(wanted, found)}); ` +
      'use a new --out folder, or repeat that run’s exact settings to resume it',
  );
}

/** The metadata the run writes into image i's PNG. */
export function expectedMetadata(run: RunSettings, index: number, appVersion: string): ResultMetadata {
  return {
    modelSetId: run.modelSetId,
    manifestSha256: run.manifestSha256,
    settings: {
      classId: imageClass(run.classes, index),
      seed: imageSeed(run.seed, index),
      steps: run.steps,
      sampler: run.sampler,
      shift: run.shift,
      guidanceScale: run.guidanceScale,
      guidanceSchedule: run.guidanceSchedule,
      batch: 1,
    },
    batchIndex: 0,
    appVersion,
    sample: { index, count: run.count, seed: run.seed },
  };
}

export const imageFile = (dir: string, run: RunSettings, index: number) =>
  path.join(dir, `${imageStem(index, run.count)}.png`);
export const latentFile = (dir: string, run: RunSettings, index: number) =>
  path.join(dir, `${imageStem(index, run.count)}.npy`);

/** Whether two metadata records describe the same image (the app version may differ). */
function sameImage(a: ResultMetadata, b: ResultMetadata): boolean {
  const strip = ({ appVersion: _version, ...rest }: ResultMetadata) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

export type ImageCheck =
  | { readonly ok: true; readonly image: RgbaImage; readonly png: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks that image i of `run` is in `dir`: its PNG parses, is resolution x resolution, and carries the
 * metadata the run writes for i; with latents, its .npy parses with the run's latent shape.
 */
export async function checkImage(
  dir: string,
  run: RunSettings,
  index: number,
  appVersion: string,
): Promise<ImageCheck> {
  const file = imageFile(dir, run, index);
  let png: Uint8Array;
  try {
    png = new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'missing' : `${file}: unreadable (${code})` };
  }
  let metadata: ResultMetadata;
  let image: RgbaImage;
  try {
    metadata = resultMetadataFromText(await readPngText(png), file);
    image = await decodePngFile(file, png);
  } catch (error) {
    return { ok: false, reason: `${file}: ${(error as Error).message.replace(`${file}: `, '')}` };
  }
  if (!sameImage(metadata, expectedMetadata(run, index, appVersion))) {
    return { ok: false, reason: `${file}: its metadata is not image ${index} of this run` };
  }
  if (image.width !== run.resolution || image.height !== run.resolution) {
    return {
      ok: false,
      reason: `${file}: ${image.width}x${image.height}, expected ${run.resolution}x${run.resolution}`,
    };
  }
  if (run.latents) {
    const npy = latentFile(dir, run, index);
    try {
      const array = parseNpy(new Uint8Array(await readFile(npy)));
      const [tokens, channels] = run.latentShape;
      if (array.dtype !== 'float32' || array.shape.join() !== [1, tokens, channels].join())
        return {
          ok: false,
          reason: `${npy}: ${array.dtype} [${array.shape}], expected float32 [1, ${tokens}, ${channels}]`,
        };
    } catch (error) {
      return { ok: false, reason: `${npy}: ${(error as Error).message}` };
    }
  }
  return { ok: true, image, png };
}

/** The run settings for a manifest and the resolved arguments. */
export function runSettingsFor(
  manifest: ModelSetManifest,
  manifestSha256: string,
  fields: Pick<
    RunSettings,
    | 'count'
    | 'seed'
    | 'classes'
    | 'steps'
    | 'sampler'
    | 'shift'
    | 'guidanceScale'
    | 'guidanceSchedule'
    | 'latents'
  >,
): RunSettings {
  const [gridH, gridW] = manifest.latent.grid;
  return {
    schema: RUN_SCHEMA_ID,
    version: 1,
    modelSetId: manifest.id,
    manifestSha256,
    count: fields.count,
    seed: fields.seed,
    classes: [...fields.classes],
    steps: fields.steps,
    sampler: fields.sampler,
    shift: fields.shift,
    guidanceScale: fields.guidanceScale,
    guidanceSchedule: fields.guidanceSchedule,
    resolution: manifest.image.resolution,
    latentShape: [gridH * gridW, manifest.latent.channels],
    latents: fields.latents,
  };
}
