// The exporter's pipeline check of DiT variants on the bundled random-tiny set: the float32 DiT against
// itself is exact, a 4-bit DiT moves the latent but still decodes to a close image, and bad arguments
// are refused with the option named.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidSettingError, ModelFetchError } from '../../src/engine/errors';
import { checkVariants, IDENTICAL_PSNR_DB, parseVariantCheckArgs } from '../../src/cli/variant-check';

const SET = 'public/models/random-tiny';

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

  it.runIf(existsSync(`${SET}/dit.int4.onnx`))(
    'measures how far the 4-bit DiT moves latent and image',
    async () => {
      const result = await checkVariants(
        parseVariantCheckArgs([
          '--set',
          SET,
          '--dit',
          'dit.int4.onnx',
          '--seed',
          '5',
          '--class',
          '2',
          '--out',
          'x',
        ]),
      );
      const figures = result.candidates['dit.int4.onnx'];
      expect(figures?.latentMaxAbs).toBeGreaterThan(0);
      expect(figures?.decodedPsnrDb).toBeGreaterThan(10);
      expect(figures?.decodedPsnrDb).toBeLessThan(IDENTICAL_PSNR_DB);
    },
  );

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
