import { describe, expect, it } from 'vitest';
import { ResultMetadataError } from '../../../src/engine/errors';
import { encodePng } from '../../../src/engine/formats/png';
import {
  RESULT_TEXT_KEY,
  readResultMetadata,
  resultTextChunks,
} from '../../../src/engine/formats/result-metadata';

const IMAGE = { width: 2, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255]) };
const METADATA = {
  modelSetId: 'svg-mini',
  manifestSha256: 'ab'.repeat(32),
  settings: {
    classId: 3,
    seed: 123,
    steps: 8,
    sampler: 'heun' as const,
    shift: 0.3,
    guidanceScale: 3.5,
    guidanceSchedule: 'cfg_star-1-0',
    batch: 4,
  },
  batchIndex: 2,
  appVersion: '0.1.0',
};

const pngWith = (text: Record<string, string>) => encodePng(IMAGE, text);

describe('result metadata in PNG', () => {
  it('round-trips every parameter', async () => {
    const png = await pngWith(resultTextChunks(METADATA));
    expect(await readResultMetadata(png, 'a.png')).toEqual(METADATA);
  });

  it('refuses a file that is not a PNG', async () => {
    await expect(readResultMetadata(new TextEncoder().encode('GIF89a...'), 'cat.gif')).rejects.toThrow(
      'cat.gif: not a PNG file',
    );
  });

  it('refuses a PNG that is not one of ours', async () => {
    await expect(readResultMetadata(await pngWith({ Comment: 'hello' }), 'photo.png')).rejects.toThrow(
      /photo\.png: not an SVG Studio PNG/,
    );
  });

  it('refuses damaged PNG data and malformed metadata, naming the problem', async () => {
    const good = await pngWith(resultTextChunks(METADATA));
    await expect(readResultMetadata(good.slice(0, 40), 't.png')).rejects.toThrow(/t\.png: damaged PNG/);
    await expect(readResultMetadata(await pngWith({ [RESULT_TEXT_KEY]: '{oops' }), 'j.png')).rejects.toThrow(
      /not valid JSON/,
    );
    const badSettings = JSON.parse(resultTextChunks(METADATA)[RESULT_TEXT_KEY]!);
    badSettings.settings.steps = 'many';
    delete badSettings.settings.seed;
    const error = await readResultMetadata(
      await pngWith({ [RESULT_TEXT_KEY]: JSON.stringify(badSettings) }),
      's.png',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultMetadataError);
    expect((error as Error).message).toMatch(
      /seed: missing; steps: must be an integer in 1\.\.1000, got "many"/,
    );
  });

  it('round-trips the provenance of an evaluation-run image and refuses a malformed one', async () => {
    const sampled = { ...METADATA, batchIndex: 0, sample: { index: 7, count: 50_000, seed: 0 } };
    expect(await readResultMetadata(await pngWith(resultTextChunks(sampled)), 'i.png')).toEqual(sampled);
    const bad = JSON.parse(resultTextChunks(sampled)[RESULT_TEXT_KEY]!);
    bad.sample = { index: 9, count: 9, seed: 0 };
    await expect(
      readResultMetadata(await pngWith({ [RESULT_TEXT_KEY]: JSON.stringify(bad) }), 'b.png'),
    ).rejects.toThrow(
      /b\.png: invalid SVG Studio metadata \(sample: .* is not \{index < count, count, seed\}\)/,
    );
  });
});
