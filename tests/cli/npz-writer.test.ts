import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpzWriter } from '../../src/cli/npz-writer';
import { readNpz } from './npz-reader';

const dir = mkdtempSync(path.join(os.tmpdir(), 'svg-npz-'));

async function writeSample(file: string, zip64From?: number): Promise<void> {
  const writer = await NpzWriter.create(file, zip64From === undefined ? {} : { zip64From });
  const images = await writer.beginArray('arr_0', 'uint8', [3, 2, 2, 3]);
  for (let i = 0; i < 3; i++) await images.write(Uint8Array.from({ length: 12 }, (_, k) => i * 12 + k));
  await images.end();
  const labels = await writer.beginArray('arr_1', 'int64', [3]);
  await labels.write(new Uint8Array(BigInt64Array.of(5n, 6n, 7n).buffer));
  await labels.end();
  await writer.close();
}

describe('NpzWriter', () => {
  it.each([
    ['plain', undefined],
    ['ZIP64 fields', 16],
  ])('writes arrays streamed into a stored zip (%s)', async (_label, zip64From) => {
    const file = path.join(dir, `sample-${zip64From ?? 'plain'}.npz`);
    await writeSample(file, zip64From);
    const arrays = readNpz(new Uint8Array(readFileSync(file)));
    expect(Object.keys(arrays)).toEqual(['arr_0', 'arr_1']);
    expect(arrays.arr_0).toMatchObject({ dtype: 'uint8', shape: [3, 2, 2, 3] });
    expect(Array.from(arrays.arr_0!.data as Uint8Array).slice(-3)).toEqual([33, 34, 35]);
    expect(arrays.arr_1).toMatchObject({ dtype: 'int64', shape: [3] });
    expect(Array.from(arrays.arr_1!.data as BigInt64Array)).toEqual([5n, 6n, 7n]);
  });

  it('is byte-reproducible (fixed timestamps)', async () => {
    await writeSample(path.join(dir, 'a.npz'));
    await writeSample(path.join(dir, 'b.npz'));
    expect(readFileSync(path.join(dir, 'a.npz')).equals(readFileSync(path.join(dir, 'b.npz')))).toBe(true);
  });

  it('refuses an entry given more or fewer bytes than its shape', async () => {
    const writer = await NpzWriter.create(path.join(dir, 'bad.npz'));
    const entry = await writer.beginArray('arr_0', 'uint8', [2]);
    await expect(entry.write(new Uint8Array(3))).rejects.toThrow(/more than its/);
    await expect(entry.end()).rejects.toThrow(/got \d+ of its \d+ bytes/);
    await writer.abort();
  });
});
