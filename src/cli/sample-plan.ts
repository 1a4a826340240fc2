// The pure rules of `svg-studio sample`: which class and which noise seed image i gets, which indices a
// shard owns, and how pending images are grouped into batches. Every rule depends only on (run settings,
// index), never on the shard count, the batch size or what was already written, so any sharding, batch
// size or restart produces the same N images bit for bit (docs/scale-out.md states the rules for users).
import { LIMITS } from '../engine/limits';
import { UsageError } from './args';

/** The largest seed a studio link or PNG carries. */
const MAX_IMAGE_SEED = LIMITS.seed.max;

/**
 * Class of image i: the class list in round-robin order, classes[i mod len]. Any prefix of the run is
 * as balanced as it can be, and N = K * len gives exactly K images per class.
 */
export function imageClass(classes: readonly number[], index: number): number {
  return classes[index % classes.length] as number;
}

/**
 * Noise seed of image i: seed + i. Image i's starting noise is torch.manual_seed(seed + i);
 * torch.randn(1, tokens, channels), which is exactly what the studio draws for a batch of one with that
 * seed, so `generate --seed <seed+i> --class <class(i)>` (or the PNG's link) reproduces the image.
 */
export function imageSeed(seed: number, index: number): number {
  return seed + index;
}

/** Checks that every image seed seed..seed+N-1 is a valid studio seed. */
export function checkSeedRange(seed: number, count: number): void {
  const last = seed + count - 1;
  if (last > MAX_IMAGE_SEED) {
    throw new UsageError(
      `--seed ${seed} with --num ${count} gives image seeds up to ${last}, beyond ${MAX_IMAGE_SEED} ` +
        `(image i uses seed + i); use --seed ${MAX_IMAGE_SEED - count + 1} or less`,
    );
  }
}

export interface Shard {
  /** 0-based shard index */
  readonly index: number;
  readonly count: number;
}

/**
 * The contiguous slice of indices shard k of n owns: [floor(k N / n), floor((k + 1) N / n)). Slices
 * differ in size by at most one and together cover 0..N-1 exactly once.
 */
export function shardRange(total: number, shard: Shard): { readonly start: number; readonly end: number } {
  return {
    start: Math.floor((shard.index * total) / shard.count),
    end: Math.floor(((shard.index + 1) * total) / shard.count),
  };
}

const SHARD_PATTERN = /^(\d+)\/(\d+)$/;

/** "--shard i/n" → Shard; the message names the value when it is not 0 <= i < n. */
export function parseShard(text: string): Shard {
  const match = SHARD_PATTERN.exec(text.trim());
  if (!match) throw new UsageError(`--shard must look like i/n (e.g. 0/4), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || !Number.isSafeInteger(count))
    throw new UsageError(`--shard ${text}: the shard count must be at least 1`);
  if (index >= count)
    throw new UsageError(`--shard ${text}: shard index ${index} is not below the count ${count} (0-based)`);
  return { index, count };
}

/** Job-runner variables that hold a 0-based array index, in the order they are looked at. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID'] as const;
/** Variables that hold the number of shards when --shard-count is not given. */
export const SHARD_COUNT_VARIABLES = ['SVG_STUDIO_SHARD_COUNT', 'SLURM_ARRAY_TASK_COUNT'] as const;

/**
 * The shard of this process: --shard, else a job runner's index variable with the count from
 * --shard-count or a count variable, else the whole run (0/1).
 */
export function resolveShard(
  shardArg: string | undefined,
  countArg: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Shard {
  if (shardArg !== undefined) return parseShard(shardArg);
  const indexVariable = SHARD_INDEX_VARIABLES.find((name) => env[name] !== undefined && env[name] !== '');
  if (!indexVariable) {
    if (countArg !== undefined && countArg !== 1)
      throw new UsageError(
        `--shard-count ${countArg} needs a shard index: --shard i/n, or ${SHARD_INDEX_VARIABLES.join(' or ')}`,
      );
    return { index: 0, count: 1 };
  }
  const countVariable = SHARD_COUNT_VARIABLES.find((name) => env[name] !== undefined && env[name] !== '');
  const count = countArg ?? (countVariable ? env[countVariable] : undefined);
  if (count === undefined) {
    throw new UsageError(
      `${indexVariable}=${env[indexVariable]} is set but the shard count is not: pass --shard-count N ` +
        `or set ${SHARD_COUNT_VARIABLES.join(' or ')}`,
    );
  }
  return parseShard(`${env[indexVariable]}/${count}`);
}

/**
 * Pending indices → batches of at most `batchSize` images in index order. Rows of a batch may have
 * different classes (each row carries its own label); a row's result does not depend on its batch-mates
 * or the batch size (checked in tests/cli/sample.test.ts), so how pending images are grouped is free.
 */
export function planBatches(pending: readonly number[], batchSize: number): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
  return batches;
}

/** File name stem of image i: zero-padded so names sort by index (at least 6 digits). */
export function imageStem(index: number, total: number): string {
  return String(index).padStart(Math.max(6, String(total - 1).length), '0');
}
