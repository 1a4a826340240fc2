// generateImages with a start other than the seed's noise, over a fake runtime whose velocity field goes
// straight to zero: explicit noise tokens, SDEdit (start time and noised source), the region keep-mask.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import { parseManifest } from '../../../src/engine/model-set';
import { generateImages } from '../../../src/engine/pipelines/tasks';
import { TorchGenerator } from '../../../src/engine/rng/torch-randn';
import type { ModelSetRuntime } from '../../../src/engine/api/runtime-contract';
import { timeGrid } from '../../../src/engine/schedulers/time-grid';
import { generateRequest } from '../api/generate-request';
import { cpuLatentMath, cpuTensor, type CpuTensor } from '../../../src/engine/latent/tensor';

const MANIFEST = parseManifest(
  JSON.parse(readFileSync('public/models/random-tiny/manifest.json', 'utf8')),
  'random-tiny/manifest.json',
);
const { resolution } = MANIFEST.image;
const C = MANIFEST.latent.channels;
const N = MANIFEST.latent.grid[0] * MANIFEST.latent.grid[1];

/** Records (z, t) of every velocity call; v(z, t) = -z / (1 - t) ends every token at 0 at t = 1. */
function straightRuntime(calls: Array<{ z: Float32Array; t: number }>): ModelSetRuntime<CpuTensor> {
  return {
    execution: { provider: 'cpu', adapter: 'fake', reason: 'test' },
    math: cpuLatentMath,
    upload: async (t) => cpuTensor(Float32Array.from(t.data), t.dims),
    download: async (t) => t,
    encodeDino: () => Promise.reject(new Error('not used')),
    encodeResidual: () => Promise.reject(new Error('not used')),
    decode: async (latent) =>
      cpuTensor(new Float32Array(latent.dims[0]! * 3 * resolution * resolution), [
        latent.dims[0]!,
        3,
        resolution,
        resolution,
      ]),
    velocity: async (z, t) => {
      calls.push({ z: Float32Array.from(z.data), t });
      return cpuTensor(
        Float32Array.from(z.data, (v) => -v / (1 - t)),
        z.dims,
      );
    },
    dispose: async () => {},
  };
}

const REQUEST = generateRequest({ seed: 3, shift: 0, guidanceScale: 1, guidanceSchedule: 'none' });

describe('generateImages from a given start', () => {
  it('samples from explicit noise tokens instead of the seed', async () => {
    const calls: Array<{ z: Float32Array; t: number }> = [];
    const noise = Float32Array.from({ length: N * C }, (_, i) => Math.cos(i));
    await generateImages(straightRuntime(calls), MANIFEST, { ...REQUEST, start: { noiseTokens: noise } });
    expect(calls[0]!.t).toBe(0);
    expect(calls[0]!.z).toEqual(noise);
  });

  it('starts an edit at the first grid time at or after 1 - strength, from the noised source', async () => {
    const calls: Array<{ z: Float32Array; t: number }> = [];
    const source = Float32Array.from({ length: N * C }, (_, i) => (i % 7) - 3);
    await generateImages(straightRuntime(calls), MANIFEST, {
      ...REQUEST,
      start: { init: { latentTokens: source, strength: 0.5 } },
    });
    const grid = timeGrid(4, 0);
    expect(calls.map((c) => c.t)).toEqual([grid[2], grid[3]]);
    const seeded = new TorchGenerator(3).randn([1, N, C]);
    calls[0]!.z.forEach((v, i) => expect(v).toBeCloseTo(0.5 * source[i]! + 0.5 * seeded[i]!, 5));
  });

  it('ends kept tokens on the source and lets the others move', async () => {
    const calls: Array<{ z: Float32Array; t: number }> = [];
    const source = Float32Array.from({ length: N * C }, (_, i) => 1 + (i % 5));
    const keepTokens = Uint8Array.from({ length: N }, (_, n) => (n < N / 2 ? 1 : 0));
    const result = await generateImages(straightRuntime(calls), MANIFEST, {
      ...REQUEST,
      start: { init: { latentTokens: source, strength: 1 }, keepTokens },
    });
    const half = (N / 2) * C;
    expect(result.latentTokens.subarray(0, half)).toEqual(source.subarray(0, half));
    result.latentTokens.subarray(half).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
  });

  it('refuses a region without a source latent', async () => {
    await expect(
      generateImages(straightRuntime([]), MANIFEST, { ...REQUEST, start: { keepTokens: new Uint8Array(N) } }),
    ).rejects.toThrow(InvalidSettingError);
  });
});
