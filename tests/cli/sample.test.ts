// `svg-studio sample` and `merge` as separate processes on the random-tiny set: shards, batch sizes and a
// killed-and-restarted run all give the same files byte for byte as one unsharded run; the merged npz
// has the ADM layout; bad arguments exit 2 with a message naming the value.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../../src/engine/formats/png';
import { readResultMetadata } from '../../src/engine/formats/result-metadata';
import { readNpz } from './npz-reader';
import { runCli, runCliAsync, runCliUntil, TINY } from './run-cli';

const root = mkdtempSync(path.join(os.tmpdir(), 'svg-sample-'));
const at = (name: string) => path.join(root, name);
const COUNT = 9;
const RUN = ['sample', '--models', TINY, '--num', String(COUNT), '--seed', '40', '--steps', '2', '--latents'];

/** Every file of a sample folder except progress files, by name. */
function folderFiles(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .filter((name) => !name.startsWith('progress-'))
      .map((name) => [name, readFileSync(path.join(dir, name))]),
  );
}

function expectOk(result: ReturnType<typeof runCli>): void {
  expect(result.stderr).not.toMatch(/svg-studio: /);
  expect(result.status).toBe(0);
}

describe('svg-studio sample and merge', () => {
  beforeAll(() => {
    expectOk(runCli([...RUN, '--batch', '4', '--out', at('whole')]));
    expectOk(runCli(['merge', at('whole'), '--npz', at('whole.npz'), '--latents']));
  });

  it('writes one PNG and one latent per image with the studio metadata, seed + i and class i mod K', async () => {
    const files = [...folderFiles(at('whole')).keys()].sort();
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(COUNT);
    expect(files.filter((f) => f.endsWith('.npy'))).toHaveLength(COUNT);
    const png = new Uint8Array(readFileSync(at('whole/000003.png')));
    expect(await readResultMetadata(png, '000003.png')).toMatchObject({
      modelSetId: 'random-tiny',
      settings: { classId: 3, seed: 43, steps: 2, batch: 1 },
      batchIndex: 0,
      sample: { index: 3, count: COUNT, seed: 40 },
    });
  });

  it('gives image i the pixels `generate --seed seed+i --class class(i)` gives', async () => {
    const single = at('single.png');
    expectOk(
      runCli(['generate', '--models', TINY, '--class', '5', '--seed', '45', '--steps', '2', '--out', single]),
    );
    const fromGenerate = await decodePng(new Uint8Array(readFileSync(single)));
    const fromSample = await decodePng(new Uint8Array(readFileSync(at('whole/000005.png'))));
    expect(Buffer.from(fromSample.image.data).equals(Buffer.from(fromGenerate.image.data))).toBe(true);
  });

  it('two shards in separate processes, at other batch sizes, merge to the same bytes', () => {
    expectOk(runCli([...RUN, '--shard', '0/2', '--batch', '1', '--out', at('shard0')]));
    expectOk(
      runCli([...RUN, '--shard-count', '2', '--batch', '3', '--out', at('shard1')], {
        env: { JOB_COMPLETION_INDEX: '1' },
      }),
    );
    const whole = folderFiles(at('whole'));
    const sharded = new Map([...folderFiles(at('shard0')), ...folderFiles(at('shard1'))]);
    expect([...sharded.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [name, bytes] of whole) expect(sharded.get(name)?.equals(bytes), name).toBe(true);
    expectOk(runCli(['merge', at('shard1'), at('shard0'), '--npz', at('sharded.npz'), '--latents']));
    expect(readFileSync(at('sharded.npz')).equals(readFileSync(at('whole.npz')))).toBe(true);
  });

  it('shards running at the same time may share one folder (Slurm array on a shared filesystem)', async () => {
    const shared = at('shared');
    const results = await Promise.all(
      [0, 1, 2].map((index) =>
        runCliAsync([...RUN, '--batch', '2', '--out', shared], {
          SLURM_ARRAY_TASK_ID: String(index),
          SLURM_ARRAY_TASK_COUNT: '3',
        }),
      ),
    );
    for (const result of results) expect(result.status, result.stderr).toBe(0);
    expectOk(runCli(['merge', shared, '--npz', at('shared.npz'), '--latents']));
    expect(readFileSync(at('shared.npz')).equals(readFileSync(at('whole.npz')))).toBe(true);
  });

  it('merges into the ADM layout: arr_0 uint8 [N, H, W, 3], arr_1 int64 labels, latents', () => {
    const arrays = readNpz(new Uint8Array(readFileSync(at('whole.npz'))));
    expect(arrays.arr_0).toMatchObject({ dtype: 'uint8', shape: [COUNT, 64, 64, 3] });
    expect(arrays.arr_1).toMatchObject({ dtype: 'int64', shape: [COUNT] });
    // random-tiny has 10 classes: class of image i is i mod 10
    expect(Array.from(arrays.arr_1!.data as BigInt64Array, Number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(arrays.latents).toMatchObject({ dtype: 'float32', shape: [COUNT, 16, 104] });
  });

  it('a run killed mid-shard and restarted gives the same files', async () => {
    const dir = at('killed');
    const log = await runCliUntil([...RUN, '--batch', '1', '--out', dir], /: [2-7]\/9 images/);
    expect(log).toMatch(/\/9 images/);
    const partial = readdirSync(dir).filter((f) => f.endsWith('.png')).length;
    expect(partial).toBeLessThan(COUNT);
    const resumed = runCli([...RUN, '--batch', '2', '--out', dir]);
    expectOk(resumed);
    expect(resumed.stdout).toMatch(new RegExp(`${COUNT - partial} generated, ${partial} already there`));
    const whole = folderFiles(at('whole'));
    const restarted = folderFiles(dir);
    expect([...restarted.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [name, bytes] of whole) expect(restarted.get(name)?.equals(bytes), name).toBe(true);
    const progress = JSON.parse(readFileSync(path.join(dir, 'progress-0-of-1.json'), 'utf8'));
    expect(progress).toMatchObject({ finished: true, done: COUNT, skipped: partial });
  });

  it('redoes an image whose file was damaged', () => {
    const dir = at('damaged');
    expectOk(runCli([...RUN, '--num', '3', '--out', dir]));
    const good = readFileSync(path.join(dir, '000001.png'));
    writeFileSync(path.join(dir, '000001.png'), good.subarray(0, 100));
    const again = runCli([...RUN, '--num', '3', '--out', dir]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/redoing image 1: .*000001\.png/);
    expect(readFileSync(path.join(dir, '000001.png')).equals(good)).toBe(true);
  });

  it('balances classes with --per-class and --classes', () => {
    const dir = at('classes');
    expectOk(
      runCli([
        'sample',
        '--models',
        TINY,
        '--per-class',
        '2',
        '--classes',
        'cloud,0',
        '--steps',
        '1',
        '--out',
        dir,
      ]),
    );
    expectOk(runCli(['merge', dir, '--npz', at('classes.npz')]));
    const arrays = readNpz(new Uint8Array(readFileSync(at('classes.npz'))));
    expect(Array.from(arrays.arr_1!.data as BigInt64Array, Number)).toEqual([2, 0, 2, 0]);
  });

  it.each([
    [['--shard', '3/2'], /--shard 3\/2: shard index 3 is not below the count 2/],
    [['--num', '0'], /--num must be an integer in 1\.\.500000, got "0"/],
    [['--num', '4', '--per-class', '1'], /--num 4 disagrees with --per-class 1 x 10 classes = 10/],
    [['--seed', '4294967290'], /image seeds up to 4294967298, beyond 4294967295/],
  ])('refuses %j with exit 2', (extra, message) => {
    const args = [...RUN];
    const numAt = args.indexOf('--num');
    if (extra.includes('--num')) args.splice(numAt, 2);
    const result = runCli([...args, ...extra, '--out', at('refused')]);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });

  it('refuses an output folder holding another run or foreign files (exit 2)', () => {
    const otherSeed = runCli([...RUN.map((a) => (a === '40' ? '41' : a)), '--out', at('whole')]);
    expect(otherSeed.status).toBe(2);
    expect(otherSeed.stderr).toMatch(/holds another run's images \(seed 40 here, 41 asked\)/);
    const foreign = at('foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    const refused = runCli([...RUN, '--out', foreign]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/is not empty and is not a sample folder .*notes\.txt/);
  });

  it('merge refuses gaps and folders of different runs (exit 2)', () => {
    const gap = runCli(['merge', at('shard0'), '--npz', at('gap.npz')]);
    expect(gap.status).toBe(2);
    expect(gap.stderr).toMatch(/5 of 9 images are missing \(indices 4, 5, 6, 7, 8\)/);
    const mixed = runCli(['merge', at('shard0'), at('classes'), '--npz', at('mixed.npz')]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/holds another run's images/);
  });
});
