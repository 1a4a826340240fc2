// The exporter's pipeline check of DiT variants on the bundled random-tiny set: the float32 DiT against
// itself is exact, a 4-bit DiT moves the latent but still decodes to a close image, and bad arguments
// are refused with the option named.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidSettingError, ModelFetchError } from '../../src/engine/errors';
import { checkVariants, IDENTICAL_PSNR_DB, parseVariantCheckArgs } from '../../src/cli/variant-check';
import { tinyVariantSet } from './tiny-variant-set';

const SET = 'public/models/random-tiny';
let withVariants = '';
beforeAll(() => {
  withVariants = tinyVariantSet();
}, 120_000);
afterAll(() => rmSync(withVariants, { recursive: true, force: true }));

describe('variant-check', () => {
  it('finds no difference between the float32 DiT and itself, with the manifest sampler', async () => {
    const result = await checkVariants(
      parseVariantCheckArgs(['--set', SET, '--dit', 'dit.onnx', '--out', 'x']),
    );
    expect(result).toMatchObject({ reference: 'dit.onnx', decoder: 'decoder.onnx', seed: 0, classId: 0 });
    expect(result.steps).toBeGreaterThan(1);
    expect(result.candidates['dit.onnx']).toMatchObject({
      latentMaxAbs: 0,
      decodedPsnrDb: IDENTICAL_PSNR_DB,
    });
  });

  it('measures how far the 4-bit and the float16 DiT move latent and image', async () => {
    const result = await checkVariants(
      parseVariantCheckArgs([
        ...['--set', withVariants, '--dit', 'dit.int4.onnx', '--dit', 'dit.fp16.onnx'],
        ...['--seed', '5', '--class', '2', '--out', 'x'],
      ]),
    );
    const int4 = result.candidates['dit.int4.onnx'];
    const half = result.candidates['dit.fp16.onnx'];
    expect(int4?.latentMaxAbs).toBeGreaterThan(0);
    expect(int4?.decodedPsnrDb).toBeGreaterThan(10);
    expect(int4?.decodedPsnrDb).toBeLessThan(IDENTICAL_PSNR_DB);
    // half precision moves the result far less than 4-bit weights
    expect(half?.latentMaxAbs).toBeLessThan(int4?.latentMaxAbs ?? 0);
    expect(half?.decodedPsnrDb).toBeGreaterThan(int4?.decodedPsnrDb ?? Infinity);
  });

  it('refuses bad arguments and missing files with the option or file named', async () => {
    expect(() => parseVariantCheckArgs(['--set', SET, '--out', 'x'])).toThrow(/--dit is required/);
    expect(() => parseVariantCheckArgs(['--set', SET, '--dit', 'a', '--out', 'x', '--seed', '-1'])).toThrow(
      InvalidSettingError,
    );
    expect(() => parseVariantCheckArgs(['--set', SET, '--dit', 'a', '--out', 'x', '--seed', 'x'])).toThrow(
      /--seed must be a whole number >= 0 \(got "x"\)/,
    );
    expect(() => parseVariantCheckArgs(['--bogus'])).toThrow(/bogus/);
    await expect(
      checkVariants(parseVariantCheckArgs(['--set', SET, '--dit', 'missing.onnx', '--out', 'x'])),
    ).rejects.toThrow(ModelFetchError);
    await expect(
      checkVariants(
        parseVariantCheckArgs(['--set', SET, '--dit', 'dit.onnx', '--class', '99', '--out', 'x']),
      ),
    ).rejects.toThrow(/--class 99 is not below 10/);
  });
});
