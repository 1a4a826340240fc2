// The capability check: provider rows, float16 only on WebGPU with shader-f16, the memory estimate and
// its limits (32-bit WASM heap, a reported device memory below the browsers' cap), and the explanations.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  activationBytes,
  planModelSet,
  WASM_HEAP_LIMIT,
  type AdapterFacts,
} from '../../src/engine/capabilities';
import { ModelTooLargeError } from '../../src/engine/errors';
import {
  NETWORK_ROLES,
  parseManifest,
  type ModelSetManifest,
  type NetworkEntry,
} from '../../src/engine/manifest';
import { TINY_MANIFEST } from '../store/fake-engine';

const GiB = 1024 ** 3;
const GPU: AdapterFacts = {
  webgpu: true,
  description: 'test gpu',
  shaderF16: true,
  maxBufferSize: 256 * 1024 ** 2,
  maxStorageBufferBindingSize: 128 * 1024 ** 2,
};
const NO_GPU: AdapterFacts = {
  webgpu: false,
  description: 'none',
  shaderF16: false,
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
  unavailableReason: 'this browser has no WebGPU',
};

/** The tiny set with a float16 variant of the DiT (half its bytes). */
const withHalfDit: ModelSetManifest = {
  ...TINY_MANIFEST,
  networks: {
    ...TINY_MANIFEST.networks,
    dit: {
      ...TINY_MANIFEST.networks.dit,
      float16: { file: 'dit.fp16.onnx', bytes: 1000, sha256: 'ab'.repeat(32) },
    },
  },
};

/** The tiny set with every network's size replaced. */
function sized(bytes: number): ModelSetManifest {
  const networks = Object.fromEntries(
    Object.entries(TINY_MANIFEST.networks).map(([role, entry]) => [role, { ...entry, bytes }]),
  ) as unknown as Record<string, NetworkEntry>;
  return { ...TINY_MANIFEST, networks } as ModelSetManifest;
}

const weights = (m: ModelSetManifest) => Object.values(m.networks).reduce((sum, e) => sum + e.bytes, 0);

describe('planModelSet', () => {
  it.each([
    ['auto', GPU, 'webgpu', /^Automatic: WebGPU adapter "test gpu"/],
    ['auto', NO_GPU, 'wasm', /^Automatic: WASM, because this browser has no WebGPU/],
    ['wasm', GPU, 'wasm', /^WASM was selected/],
    ['webgpu', GPU, 'webgpu', /^WebGPU was selected\.$/],
    ['webgpu', NO_GPU, 'webgpu', /^WebGPU was selected, but this browser has no WebGPU/],
  ] as const)('preference %s with %o tries %s', (preference, facts, provider, why) => {
    const plan = planModelSet(TINY_MANIFEST, facts, preference);
    expect(plan.provider).toBe(provider);
    expect(plan.explanation[0]).toMatch(why);
  });

  it.each([
    ['WebGPU with shader-f16', GPU, 'auto', 'float16', /because the adapter has shader-f16/],
    ['WebGPU without shader-f16', { ...GPU, shaderF16: false }, 'auto', 'float32', /lacks shader-f16/],
    ['WASM', GPU, 'wasm', 'float32', /float16 variants run only on WebGPU/],
  ] as const)('picks the DiT precision on %s', (_, facts, preference, precision, why) => {
    const plan = planModelSet(withHalfDit, facts, preference);
    expect(plan.precision.dit).toBe(precision);
    expect(plan.precision.decoder).toBe('float32');
    expect(plan.explanation.find((line) => line.startsWith('dit '))).toMatch(why);
    expect(plan.explanation.find((line) => line.startsWith('decoder '))).toMatch(/no float16 variant/);
    const file = plan.manifest.networks.dit.file;
    expect(file).toBe(precision === 'float16' ? 'dit.fp16.onnx' : 'dit.onnx');
  });

  it('counts the chosen files in the download and the estimate', () => {
    const half = planModelSet(withHalfDit, GPU, 'auto');
    const full = planModelSet(withHalfDit, GPU, 'wasm');
    expect(full.downloadBytes).toBe(weights(TINY_MANIFEST));
    expect(half.downloadBytes).toBe(weights(TINY_MANIFEST) - TINY_MANIFEST.networks.dit.bytes + 1000);
    expect(full.estimatedBytes).toBe(full.downloadBytes + activationBytes(TINY_MANIFEST));
    // [2, 16, 104] tokens + [32, 64, 64] decoder map, float32, four live copies
    expect(activationBytes(TINY_MANIFEST)).toBe((2 * 16 * 104 + 32 * 64 * 64) * 4 * 4);
  });

  it('refuses a set beyond the 32-bit WASM heap, suggesting WebGPU when there is one', () => {
    const huge = sized(WASM_HEAP_LIMIT / 3);
    expect(() => planModelSet(huge, GPU, 'wasm')).toThrow(ModelTooLargeError);
    expect(() => planModelSet(huge, GPU, 'wasm')).toThrow(
      /4 GiB heap of 32-bit WASM.*or the WebGPU provider/,
    );
    expect(() => planModelSet(huge, NO_GPU, 'auto')).toThrow(/Nothing was downloaded/);
    expect(planModelSet(huge, GPU, 'auto').provider).toBe('webgpu');
  });

  it('refuses a set beyond a reported device memory, but not at the browsers’ 8 GiB cap', () => {
    const set = sized(GiB);
    expect(() => planModelSet(set, { ...GPU, deviceMemoryGiB: 4 }, 'auto')).toThrow(
      /the 4 GiB of memory this device reports/,
    );
    expect(planModelSet(set, { ...GPU, deviceMemoryGiB: 8 }, 'auto').estimatedBytes).toBeGreaterThan(4 * GiB);
  });

  it('says whether whole network files fit one storage binding', () => {
    expect(planModelSet(TINY_MANIFEST, GPU, 'auto').explanation.at(-1)).toMatch(/^Every network file fits/);
    const tight = { ...GPU, maxStorageBufferBindingSize: 2_000_000 };
    expect(planModelSet(TINY_MANIFEST, tight, 'auto').explanation.at(-1)).toMatch(
      /^decoder exceed one storage binding/,
    );
  });

  it('describes the adapter facts it used', () => {
    expect(planModelSet(TINY_MANIFEST, { ...GPU, deviceMemoryGiB: 8 }, 'auto').adapter).toBe(
      'WebGPU "test gpu"; shader-f16 yes; maxBufferSize 256.0 MiB; maxStorageBufferBindingSize 128.0 MiB; device memory 8 GiB (reported)',
    );
    expect(planModelSet(TINY_MANIFEST, NO_GPU, 'auto').adapter).toBe(
      'No WebGPU (this browser has no WebGPU)',
    );
  });
});

describe('the bundled svg-mini set', () => {
  const path = 'public/models/svg-mini/manifest.json';
  const manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')), path);

  it('ships a float16 file for every network, each checked against float32 at export', () => {
    for (const role of NETWORK_ROLES) {
      const half = manifest.networks[role].float16;
      expect(half?.file).toMatch(/\.fp16\.onnx$/);
      expect(half!.bytes).toBe(readFileSync(`public/models/svg-mini/${half!.file}`).byteLength);
      expect(half!.bytes).toBeLessThan(0.6 * manifest.networks[role].bytes);
      expect(half!.maxRelativeError).toBeLessThanOrEqual(1e-2);
    }
  });

  it('loads the float16 files on shader-f16 adapters and says how close they are', () => {
    const plan = planModelSet(manifest, GPU, 'auto');
    expect(NETWORK_ROLES.map((role) => plan.precision[role])).toEqual(NETWORK_ROLES.map(() => 'float16'));
    expect(plan.manifest.networks.dit.file).toBe('dit.fp16.onnx');
    expect(plan.manifest.networks.dit.sha256).toBe(manifest.networks.dit.float16!.sha256);
    expect(plan.explanation.find((line) => line.startsWith('dit '))).toMatch(
      /float16, because the adapter has shader-f16 \(dit\.fp16\.onnx, .* instead of .*, within 0\.\d+ % of float32/,
    );
    const full = planModelSet(manifest, { ...GPU, shaderF16: false }, 'auto');
    expect(full.manifest.networks.dit.file).toBe('dit.onnx');
    expect(plan.downloadBytes).toBeLessThan(0.6 * full.downloadBytes);
  });
});
