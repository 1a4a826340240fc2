import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import {
  checkSeedRange,
  imageClass,
  imageSeed,
  imageStem,
  parseShard,
  planBatches,
  resolveShard,
  shardRange,
} from '../../src/cli/sample-plan';

describe('sample plan', () => {
  it('gives image i the class classes[i mod len] and the seed seed + i', () => {
    const classes = [4, 1, 7];
    expect(Array.from({ length: 7 }, (_, i) => imageClass(classes, i))).toEqual([4, 1, 7, 4, 1, 7, 4]);
    expect(imageSeed(100, 0)).toBe(100);
    expect(imageSeed(100, 41)).toBe(141);
  });

  it('cuts N into contiguous shards that cover every index exactly once', () => {
    for (const [total, count] of [
      [10, 3],
      [7, 7],
      [5, 8],
      [50_000, 64],
    ] as const) {
      const seen = new Array<number>(total).fill(0);
      for (let index = 0; index < count; index++) {
        const { start, end } = shardRange(total, { index, count });
        expect(end - start).toBeGreaterThanOrEqual(Math.floor(total / count));
        expect(end - start).toBeLessThanOrEqual(Math.ceil(total / count));
        for (let i = start; i < end; i++) seen[i] = (seen[i] as number) + 1;
      }
      expect(seen.every((n) => n === 1)).toBe(true);
    }
    expect(shardRange(10, { index: 1, count: 3 })).toEqual({ start: 3, end: 6 });
  });

  it('parses --shard and refuses indices outside the count', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(() => parseShard('3/2')).toThrow('--shard 3/2: shard index 3 is not below the count 2 (0-based)');
    expect(() => parseShard('2/2')).toThrow(UsageError);
    expect(() => parseShard('0/0')).toThrow('the shard count must be at least 1');
    expect(() => parseShard('1-4')).toThrow('--shard must look like i/n (e.g. 0/4), got "1-4"');
  });

  it('reads the shard from the job runner when --shard is absent', () => {
    expect(resolveShard(undefined, undefined, {})).toEqual({ index: 0, count: 1 });
    expect(resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 4 });
    expect(
      resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' }),
    ).toEqual({ index: 1, count: 3 });
    expect(resolveShard('1/2', undefined, { JOB_COMPLETION_INDEX: '5' })).toEqual({ index: 1, count: 2 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2' })).toThrow(
      /JOB_COMPLETION_INDEX=2 is set but the shard count is not/,
    );
    expect(() => resolveShard(undefined, 2, { JOB_COMPLETION_INDEX: '2' })).toThrow(/index 2 is not below/);
    expect(() => resolveShard(undefined, 3, {})).toThrow(/--shard-count 3 needs a shard index/);
  });

  it('refuses a seed whose image seeds leave the studio range, naming the values', () => {
    expect(() => checkSeedRange(4294967290, 5)).not.toThrow();
    expect(() => checkSeedRange(4294967290, 7)).toThrow(
      '--seed 4294967290 with --num 7 gives image seeds up to 4294967296, beyond 4294967295 (image i uses seed + i); use --seed 4294967289 or less',
    );
  });

  it('batches pending indices in order and names files by index', () => {
    expect(planBatches([0, 1, 2, 5, 6], 2)).toEqual([[0, 1], [2, 5], [6]]);
    expect(imageStem(7, 100)).toBe('000007');
    expect(imageStem(7, 12_345_678)).toBe('00000007');
  });
});
