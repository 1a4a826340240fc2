// `svg-studio merge <dirs...> --npz <file>`: checks that the folders hold one run (equal run.json) and
// every index 0..N-1 exactly once, then writes the ADM evaluation batch (arr_0: uint8 [N, H, W, 3] in
// index order, arr_1: int64 labels [N]; with --latents also latents: float32 [N, tokens, channels]),
// streamed image by image into the .npz so memory stays at one image whatever N is.
import { readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseNpy } from '../engine/formats/npy';
import { UsageError, type MergeArgs } from './args';
import { NpzWriter } from './npz-writer';
import { checkOutputFile } from './output-paths';
import { PACKAGE_VERSION } from './package-paths';
import { ProgressBar } from './progress-bar';
import { imageClass } from './sample-plan';
import {
  checkImage,
  checkSameRun,
  latentFile,
  readRunSettings,
  RUN_FILE,
  type RunSettings,
} from './sample-run';

const IMAGE_NAME = /^(\d+)\.png$/;

export interface MergeOutcome {
  readonly count: number;
  readonly resolution: number;
  readonly file: string;
}

/** The folders' run (all equal) and the folder holding each index; refuses gaps and duplicates. */
async function locateImages(dirs: readonly string[]): Promise<{ run: RunSettings; owner: string[] }> {
  const unique: string[] = [];
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => {
      throw new UsageError(`${dir}: no such sample folder`);
    });
    if (!unique.includes(real)) unique.push(real);
  }
  let run: RunSettings | null = null;
  for (const dir of unique) {
    const found = await readRunSettings(dir);
    if (!found) throw new UsageError(`${dir}: not a sample folder (no ${RUN_FILE})`);
    if (run) checkSameRun(dir, found, run);
    else run = found;
  }
  const settings = run as RunSettings;
  const owner: (string | undefined)[] = new Array<string | undefined>(settings.count);
  for (const dir of unique) {
    for (const name of await readdir(dir)) {
      const match = IMAGE_NAME.exec(name);
      if (!match) continue;
      const index = Number(match[1]);
      if (index >= settings.count)
        throw new UsageError(
          `${path.join(dir, name)}: index ${index} is outside the run's 0..${settings.count - 1}`,
        );
      const previous = owner[index];
      if (previous !== undefined)
        throw new UsageError(`image ${index} is present twice: in ${previous} and in ${dir}`);
      owner[index] = dir;
    }
  }
  const missing: number[] = [];
  for (let index = 0; index < settings.count; index++) if (owner[index] === undefined) missing.push(index);
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.length} of ${settings.count} images are missing (indices ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}); run the shards that own them (they resume) and merge again`,
    );
  }
  return { run: settings, owner: owner as string[] };
}

export async function runMerge(args: MergeArgs): Promise<MergeOutcome> {
  await checkOutputFile('--npz', args.npz);
  const { run, owner } = await locateImages(args.dirs);
  if (args.latents && !run.latents)
    throw new UsageError('--latents: this run kept no latents (sample it with --latents)');
  const { count, resolution } = run;
  const temporary = `${args.npz}.tmp-${process.pid}`;
  const writer = await NpzWriter.create(temporary);
  const bar = new ProgressBar(process.stderr, 'merge', { plainLines: false, unit: 'images' });
  const started = performance.now();
  try {
    const images = await writer.beginArray('arr_0', 'uint8', [count, resolution, resolution, 3]);
    const rgb = new Uint8Array(resolution * resolution * 3);
    for (let index = 0; index < count; index++) {
      const check = await checkImage(owner[index] as string, run, index, PACKAGE_VERSION);
      if (!check.ok) throw new UsageError(`image ${index}: ${check.reason}`);
      const rgba = check.image.data;
      for (let p = 0, q = 0; q < rgb.length; p += 4, q += 3) {
        rgb[q] = rgba[p] as number;
        rgb[q + 1] = rgba[p + 1] as number;
        rgb[q + 2] = rgba[p + 2] as number;
      }
      await images.write(rgb);
      if (index % 64 === 0 || index === count - 1) bar.update(index + 1, count, performance.now() - started);
    }
    await images.end();
    const labels = await writer.beginArray('arr_1', 'int64', [count]);
    const values = BigInt64Array.from({ length: count }, (_, index) =>
      BigInt(imageClass(run.classes, index)),
    );
    await labels.write(new Uint8Array(values.buffer));
    await labels.end();
    if (args.latents) {
      const [tokens, channels] = run.latentShape;
      const latents = await writer.beginArray('latents', 'float32', [count, tokens, channels]);
      for (let index = 0; index < count; index++) {
        const array = parseNpy(
          new Uint8Array(await readFile(latentFile(owner[index] as string, run, index))),
        );
        await latents.write(new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength));
      }
      await latents.end();
    }
    await writer.close();
    await rename(temporary, args.npz);
  } catch (error) {
    await writer.abort().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  bar.done();
  return { count, resolution, file: args.npz };
}
