// encodeImages / decodeLatents over a recording fake runtime: the batch is encoded in one call, the
// latent tokens are the standardised assembled latent, and "DINO only" rewrites exactly the residual
// channels (zero or the manifest mean) before the decoder sees them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toModelInput, type RgbaImage } from '../../../src/engine/formats/pixels';
import { assembleLatent, destandardize, tokensToNchw } from '../../../src/engine/latent/latents';
import { parseManifest } from '../../../src/engine/model-set';
import { InvalidSettingError, NonFiniteLatentError } from '../../../src/engine/errors';
import {
  decodeLatents,
  encodeImages,
  generateImages,
  reconstructImage,
} from '../../../src/engine/pipelines/tasks';
import type { ModelSetRuntime, NetworkCallOptions } from '../../../src/engine/api/runtime-contract';
import { stepsOnly } from '../../../src/engine/api/studio-engine';
import { generateRequest } from '../api/generate-request';
import { cpuLatentMath, cpuTensor, type CpuTensor, type LatentMath } from '../../../src/engine/latent/tensor';

const MANIFEST = parseManifest(
  JSON.parse(readFileSync('public/models/random-tiny/manifest.json', 'utf8')),
  'random-tiny/manifest.json',
);
const { resolution } = MANIFEST.image;
const { dinoChannels: D, residualChannels: R, channels: C } = MANIFEST.latent;
const N = MANIFEST.latent.grid[0] * MANIFEST.latent.grid[1];

/** A runtime whose encoders return values derived from the input's first pixel, and whose decoder records its input. */
function recordingRuntime(decoded: CpuTensor[], encoderBatches: number[]): ModelSetRuntime<CpuTensor> {
  const fromPixels = (pixels: CpuTensor, dims: number[], salt: number) => {
    const batch = pixels.dims[0]!;
    encoderBatches.push(batch);
    const per = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(batch * per);
    for (let b = 0; b < batch; b++) {
      const seed = pixels.data[b * 3 * resolution * resolution]!;
      for (let i = 0; i < per; i++) data[b * per + i] = Math.sin(seed * 3 + i * 0.37 + salt);
    }
    return cpuTensor(data, [batch, ...dims]);
  };
  return {
    execution: { provider: 'cpu', adapter: 'fake', reason: 'test' },
    math: cpuLatentMath,
    upload: async (t) => t,
    download: async (t) => t,
    encodeDino: async (pixels) => fromPixels(pixels, [N, D], 0),
    encodeResidual: async (pixels) => fromPixels(pixels, [R, N], 1),
    decode: async (latent) => {
      decoded.push(latent);
      const batch = latent.dims[0]!;
      return cpuTensor(new Float32Array(batch * 3 * resolution * resolution), [
        batch,
        3,
        resolution,
        resolution,
      ]);
    },
    velocity: () => Promise.reject(new Error('not used')),
    dispose: async () => {},
  };
}

function solid(value: number, width = 80, height = 64): RgbaImage {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(value) };
}

describe('encodeImages', () => {
  it('encodes the batch in one call and returns crops, tokens and the aligned residual', async () => {
    const batches: number[] = [];
    const runtime = recordingRuntime([], batches);
    const result = await encodeImages(runtime, MANIFEST, { images: [solid(10), solid(200)] });
    expect(batches).toEqual([2, 2]);
    expect(result.inputs.map((i) => [i.width, i.height])).toEqual([
      [resolution, resolution],
      [resolution, resolution],
    ]);
    expect(result.latentDims).toEqual([2, N, C]);
    expect(result.dinoDims).toEqual([2, N, D]);
    expect(result.residualDims).toEqual([2, R, N]);
    // Destandardised tokens are the assembled raw latent.
    const dino = cpuTensor(result.dinoTokens, result.dinoDims);
    const tokens = destandardize(
      cpuTensor(result.latentTokens, result.latentDims),
      MANIFEST.latent.mean,
      MANIFEST.latent.std,
    );
    const latent = tokensToNchw(tokens, ...MANIFEST.latent.grid);
    // Residual plane of image 1, channel 0 equals the aligned residual returned.
    const plane = latent.data.subarray((1 * C + D) * N, (1 * C + D + 1) * N);
    const aligned = result.residual.subarray(1 * R * N, 1 * R * N + N);
    for (let n = 0; n < N; n++) expect(plane[n]).toBeCloseTo(aligned[n]!, 4);
    expect(latent.data[(0 * C + 5) * N + 3]).toBeCloseTo(dino.data[(0 * N + 3) * D + 5]!, 4);
  });

  it('gives an image a different residual when it is batched with others (batch statistics)', async () => {
    const runtime = recordingRuntime([], []);
    const alone = await encodeImages(runtime, MANIFEST, { images: [solid(10)] });
    const batched = await encodeImages(runtime, MANIFEST, { images: [solid(10), solid(200)] });
    expect(batched.dinoTokens.subarray(0, N * D)).toEqual(alone.dinoTokens);
    expect(batched.residual.subarray(0, R * N)).not.toEqual(alone.residual);
  });

  it('refuses an empty batch', async () => {
    await expect(encodeImages(recordingRuntime([], []), MANIFEST, { images: [] })).rejects.toMatchObject({
      code: 'model-io-mismatch',
    });
  });
});

describe('decodeLatents', () => {
  async function decodedLatent(dinoOnly: 'zero' | 'mean' | false): Promise<CpuTensor> {
    const decoded: CpuTensor[] = [];
    const runtime = recordingRuntime(decoded, []);
    const encoded = await encodeImages(runtime, MANIFEST, { images: [solid(90)] });
    const result = await decodeLatents(runtime, MANIFEST, { ...encoded, dinoOnly });
    expect(result.images).toHaveLength(1);
    return decoded[0]!;
  }

  it('decodes the assembled latent without dinoOnly', async () => {
    const latent = await decodedLatent(false);
    expect(latent.dims).toEqual([1, C, ...MANIFEST.latent.grid]);
    expect(latent.data.subarray(D * N).some((v) => v !== 0)).toBe(true);
  });

  it.each([
    ['zero', (): number => 0],
    ['mean', (c: number): number => Math.fround(MANIFEST.latent.mean[c]!)],
  ] as const)('"%s" replaces every residual channel and keeps the DINO channels', async (mode, expected) => {
    const full = await decodedLatent(false);
    const only = await decodedLatent(mode);
    expect(only.data.subarray(0, D * N)).toEqual(full.data.subarray(0, D * N));
    for (let c = D; c < C; c++) {
      for (let n = 0; n < N; n++) expect(only.data[c * N + n]).toBeCloseTo(expected(c), 6);
    }
  });
});

describe('reconstructImage', () => {
  it('is encodeImages then decodeLatents on a batch of one', async () => {
    const decoded: CpuTensor[] = [];
    const result = await reconstructImage(recordingRuntime(decoded, []), MANIFEST, { image: solid(50) });
    expect(result.input.width).toBe(resolution);
    expect(result.reconstruction.width).toBe(resolution);
    // The decoder sees the assembled raw latent (up to the standardise/destandardise round trip).
    const runtime = recordingRuntime([], []);
    const pixels = toModelInput(result.input, MANIFEST.image.normalization);
    const direct = assembleLatent(
      await runtime.encodeDino(pixels),
      await runtime.encodeResidual(pixels),
      MANIFEST.latent.alignmentEps,
    );
    for (let i = 0; i < direct.data.length; i += 97)
      expect(decoded[0]!.data[i]).toBeCloseTo(direct.data[i]!, 4);
  });
});

describe('generateImages with a diverging model', () => {
  const request = generateRequest({ classId: 1 });
  /** Latent math that cannot read values cheaply, as on the GPU: no per-step check. */
  const gpuLikeMath: LatentMath<CpuTensor> = {
    linearCombination: (terms) => cpuLatentMath.linearCombination(terms),
    concatBatch: (parts) => cpuLatentMath.concatBatch(parts),
    splitBatch: (x, sizes) => cpuLatentMath.splitBatch(x, sizes),
    release: () => {},
  };
  const diverging = (math: LatentMath<CpuTensor>, decoded: CpuTensor[]): ModelSetRuntime<CpuTensor> => ({
    ...recordingRuntime(decoded, []),
    math,
    velocity: async (z, t) =>
      cpuTensor(
        z.data.map((v) => (t > 0.4 ? Infinity : v)),
        z.dims,
      ),
  });

  it.each([
    ['checked every step (CPU)', cpuLatentMath, /after step 3 of 4\b/],
    ['checked when read back (GPU)', gpuLikeMath, /after step 4 of 4 \(seen when the result was read back\)/],
  ] as const)('%s: NonFiniteLatentError, nothing decoded', async (_, math, message) => {
    const decoded: CpuTensor[] = [];
    const run = generateImages(diverging(math, decoded), MANIFEST, request);
    await expect(run).rejects.toThrow(NonFiniteLatentError);
    await expect(generateImages(diverging(math, decoded), MANIFEST, request)).rejects.toThrow(message);
    expect(decoded).toEqual([]);
  });

  it('stops at the first preview step whose estimate is not finite (GPU)', async () => {
    const decoded: CpuTensor[] = [];
    const run = generateImages(diverging(gpuLikeMath, decoded), MANIFEST, { ...request, previewEvery: 1 });
    await expect(run).rejects.toThrow(/after step 3 of 4 \(seen in the preview estimate\)/);
    expect(decoded).toHaveLength(2); // the previews of steps 1 and 2
  });
});

describe('generateImages on a runtime that queues work (GPU)', () => {
  it('waits for submitted work before each progress event, so elapsed times are of completed work', async () => {
    const log: string[] = [];
    let pending = 0;
    const queuedMath: LatentMath<CpuTensor> = {
      linearCombination: async (terms) => {
        pending++;
        return cpuLatentMath.linearCombination(terms);
      },
      concatBatch: (parts) => cpuLatentMath.concatBatch(parts),
      splitBatch: (x, sizes) => cpuLatentMath.splitBatch(x, sizes),
      release: () => {},
      settled: async () => {
        log.push(`settled ${pending}`);
        pending = 0;
      },
    };
    const runtime: ModelSetRuntime<CpuTensor> = {
      ...recordingRuntime([], []),
      math: queuedMath,
      velocity: async (z) =>
        cpuTensor(
          z.data.map((v) => -v),
          z.dims,
        ),
    };
    await generateImages(runtime, MANIFEST, generateRequest({ seed: 1, steps: 3, guidanceScale: 2 }), {
      onProgress: stepsOnly((event) => log.push(`step ${event.step}`)),
    });
    // every step's two combinations (guidance, Euler update) are settled before its event
    expect(log).toEqual(['settled 2', 'step 1', 'settled 2', 'step 2', 'settled 2', 'step 3']);
  });
});

describe("the call's options at each network call", () => {
  it('hands signal and listener to every network call, which may reopen its session under a tight budget', async () => {
    const seen: string[] = [];
    const options = { signal: new AbortController().signal, onProgress: () => {} };
    const record = (name: string, given: NetworkCallOptions | undefined) =>
      seen.push(`${name} ${given?.signal === options.signal && given?.onProgress === options.onProgress}`);
    const base = recordingRuntime([], []);
    const runtime: ModelSetRuntime<CpuTensor> = {
      ...base,
      encodeDino: (pixels, given) => (record('encodeDino', given), base.encodeDino(pixels)),
      encodeResidual: (pixels, given) => (record('encodeResidual', given), base.encodeResidual(pixels)),
      decode: (latent, given) => (record('decode', given), base.decode(latent)),
      velocity: async (z, _t, _labels, given) => (record('velocity', given), z),
    };
    const image = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(128) };
    await reconstructImage(runtime, MANIFEST, { image }, options);
    await generateImages(runtime, MANIFEST, generateRequest({ steps: 1, guidanceScale: 1 }), options);
    expect(seen).toEqual([
      'encodeDino true',
      'encodeResidual true',
      'decode true',
      ...Array<string>(seen.length - 4).fill('velocity true'),
      'decode true',
    ]);
    expect(seen.length).toBeGreaterThan(4);
  });
});

describe('generateImages settings', () => {
  it.each([
    ['guidanceScale', 1e300, /guidance scale must be a number in 0\.\.20, got 1e\+300/],
    ['guidanceScale', 1e38, /guidance scale must be a number in 0\.\.20/],
    ['shift', 1e300, /shift must be a number in 0\.\.20, got 1e\+300/],
  ] as const)('refuses %s %s before any network runs', async (field, value, message) => {
    const decoded: CpuTensor[] = [];
    const runtime = recordingRuntime(decoded, []);
    const run = generateImages(runtime, MANIFEST, { ...generateRequest(), [field]: value });
    await expect(run).rejects.toThrow(InvalidSettingError);
    await expect(run).rejects.toThrow(message);
    expect(decoded).toEqual([]);
  });
});
