import { describe, expect, it } from 'vitest';
import { ModelIoMismatchError } from '../../../src/engine/errors';
import {
  assembleLatent,
  destandardize,
  matchDistribution,
  meanResidual,
  nchwToTokens,
  standardize,
  tokensToNchw,
  zeroResidual,
} from '../../../src/engine/latent/latents';
import { npyToFloat32 } from '../../../src/engine/formats/npy';
import { cpuTensor, type CpuTensor } from '../../../src/engine/latent/tensor';
import { fixtureJson, fixtureNpy, fixtureTensor, hasFixture, maxAbsDiff } from '../fixtures';

const eps = hasFixture('encode_config.json')
  ? fixtureJson<{ match_distribution_eps: number }>('encode_config.json').match_distribution_eps
  : 1e-6;
const patchTokens = fixtureTensor('dinov3_x_norm_patchtokens.npy'); // [B, N, D]
const residual = fixtureTensor('residual_vit_out.npy'); // [B, R, N]

/** Rows [from, to) of the leading axis. */
const slice = (t: CpuTensor, from: number, to: number) => {
  const row = t.data.length / (t.dims[0] as number);
  return cpuTensor(t.data.slice(from * row, to * row), [to - from, ...t.dims.slice(1)]);
};

const ramp = (dims: number[]) =>
  cpuTensor(
    Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => i),
    dims,
  );

describe('latent assembly against DinoDecoder.encode', () => {
  it('aligns the residual like match_distribution (encode_h_vit_matched.npy)', () => {
    const matched = matchDistribution(patchTokens, residual, eps);
    expect(matched.dims).toEqual(residual.dims);
    const error = maxAbsDiff(matched.data, fixtureNpy('encode_h_vit_matched.npy').data as Float32Array);
    console.log(`match_distribution: max |err| ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
  });

  it('assembles the raw latent [B, D+R, h, w] (encode_out.npy)', () => {
    const expected = fixtureNpy('encode_out.npy');
    const latent = assembleLatent(patchTokens, residual, eps);
    expect(latent.dims).toEqual(expected.shape);
    const error = maxAbsDiff(latent.data, expected.data as Float32Array);
    console.log(`encode_out: max |err| ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
  });

  it('uses batch statistics: the first image alone gives encode_out_first_image_alone.npy', () => {
    const expected = fixtureNpy('encode_out_first_image_alone.npy');
    const alone = assembleLatent(slice(patchTokens, 0, 1), slice(residual, 0, 1), eps);
    expect(alone.dims).toEqual(expected.shape);
    expect(maxAbsDiff(alone.data, expected.data as Float32Array)).toBeLessThan(1e-5);
    // and it differs from the first item of the batch encode in the residual channels only
    const inBatch = slice(assembleLatent(patchTokens, residual, eps), 0, 1);
    const dino = patchTokens.dims[2] as number;
    const plane = alone.data.length / (alone.dims[1] as number);
    expect(maxAbsDiff(alone.data.subarray(0, dino * plane), inBatch.data.subarray(0, dino * plane))).toBe(0);
    expect(
      maxAbsDiff(alone.data.subarray(dino * plane), inBatch.data.subarray(dino * plane)),
    ).toBeGreaterThan(1e-3);
  });

  it('rescales to the DINO scalar mean and mean per-channel unbiased std', () => {
    // residual channels [0, 2] and [4, 8]: scalar mean (1 + 6) / 2 = 3.5, mean std (√2 + √8) / 2 = 1.5√2;
    // DINO tokens 10 and 14 (one channel): mean 12, std √8 = 2√2 ⇒ out = (r - 3.5) · 4/3 + 12
    const r = cpuTensor(Float32Array.from([0, 2, 4, 8]), [1, 2, 2]);
    const h = cpuTensor(Float32Array.from([10, 14]), [1, 2, 1]);
    const out = matchDistribution(h, r, 0);
    expect(
      maxAbsDiff(
        out.data,
        [0, 2, 4, 8].map((v) => (v - 3.5) * (4 / 3) + 12),
      ),
    ).toBeLessThan(1e-5);
    // eps is added to the residual std
    const withEps = matchDistribution(h, r, 1.5 * Math.SQRT2);
    expect(
      maxAbsDiff(
        withEps.data,
        [0, 2, 4, 8].map((v) => (v - 3.5) * (2 / 3) + 12),
      ),
    ).toBeLessThan(1e-5);
  });

  it('takes a non-square grid when given one, and rejects mismatched encoder outputs', () => {
    const h = ramp([1, 6, 4]);
    const r = ramp([1, 2, 6]);
    expect(assembleLatent(h, r, eps, [2, 3]).dims).toEqual([1, 6, 2, 3]);
    expect(() => assembleLatent(h, r, eps)).toThrow(/square/);
    expect(() => matchDistribution(h, ramp([1, 2, 5]), eps)).toThrow(ModelIoMismatchError);
    expect(() => matchDistribution(ramp([6, 4]), r, eps)).toThrow(ModelIoMismatchError);
  });
});

describe('latent layouts and standardisation', () => {
  it('converts tokens [B, N, C] to NCHW [B, C, h, w] row-major and back', () => {
    const tokens = ramp([2, 6, 3]);
    const nchw = tokensToNchw(tokens, 2, 3);
    expect(nchw.dims).toEqual([2, 3, 2, 3]);
    // element (b=1, c=2, y=1, x=0) is token n = y*w + x = 3 of item 1, channel 2
    expect(nchw.data[((1 * 3 + 2) * 2 + 1) * 3 + 0]).toBe(tokens.data[(1 * 6 + 3) * 3 + 2]);
    expect(nchwToTokens(nchw)).toEqual(tokens);
    expect(() => tokensToNchw(tokens, 4, 2)).toThrow(ModelIoMismatchError);
  });

  it('round-trips the fixture latent through tokens', () => {
    const latent = fixtureTensor('encode_out.npy');
    const [, , h, w] = latent.dims as number[];
    expect(tokensToNchw(nchwToTokens(latent), h as number, w as number)).toEqual(latent);
  });

  it('standardises per channel with the reference statistics and inverts it', () => {
    const mean = Array.from(npyToFloat32(fixtureNpy('dinov3_sp_mean.npy')));
    const std = Array.from(npyToFloat32(fixtureNpy('dinov3_sp_std.npy')));
    const channels = mean.length;
    const tokens = cpuTensor(
      Float32Array.from({ length: 2 * 3 * channels }, (_, i) => Math.sin(i) * 4),
      [2, 3, channels],
    );
    const z = standardize(tokens, mean, std);
    const c = 5 % channels;
    expect(z.data[channels + c]).toBeCloseTo(
      ((tokens.data[channels + c] as number) - (mean[c] as number)) / (std[c] as number),
      5,
    );
    expect(maxAbsDiff(destandardize(z, mean, std).data, tokens.data)).toBeLessThan(1e-5);
    expect(() => standardize(tokens, mean.slice(1), std)).toThrow(ModelIoMismatchError);
  });

  it('replaces the residual channels for DINO-only views', () => {
    const latent = fixtureTensor('encode_out.npy');
    const [batch, channels, h, w] = latent.dims as [number, number, number, number];
    const dino = patchTokens.dims[2] as number;
    const plane = h * w;
    const mean = Array.from({ length: channels }, (_, c) => c / 10);
    for (const [view, value] of [
      [zeroResidual(latent, dino), () => 0],
      [meanResidual(latent, dino, mean), (c: number) => mean[c] as number],
    ] as const) {
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < channels; c++) {
          const at = (b * channels + c) * plane;
          const got = view.data.subarray(at, at + plane);
          if (c < dino) expect(got).toEqual(latent.data.subarray(at, at + plane));
          else expect(Array.from(got)).toEqual(new Array(plane).fill(Math.fround(value(c))));
        }
      }
    }
    expect(() => meanResidual(latent, dino, mean.slice(1))).toThrow(ModelIoMismatchError);
  });
});
