// The capability check: provider rows (a software adapter loses to WASM in Automatic mode), the variant
// each network gets from precisions.json's requirements (smallest that runs here), the memory estimate
// and its limits (32-bit WASM heap, a reported device memory below the browsers' cap): all networks at
// once, per task, or refused before download with the figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  activationBytes,
  planModelSet,
  sessionPlans,
  summarizePlan,
  type AdapterFacts,
} from '../../src/engine/capabilities';
import { formatBytes } from '../../src/engine/download-progress';
import { ModelTooLargeError } from '../../src/engine/errors';
import {
  NETWORK_ROLES,
  parseManifest,
  type ModelSetManifest,
  type NetworkRole,
  type NetworkVariant,
} from '../../src/engine/model-set';
import { SESSION_MEMORY_FACTOR } from '../../src/engine/model-set/memory';
import { softwareAdapterReason, WASM_HEAP_LIMIT } from '../../src/engine/providers';
import { TINY_MANIFEST } from '../store/fake-engine';
import { NO_GPU } from './adapter-facts';

const GiB = 1024 ** 3;
const GPU: AdapterFacts = {
  webgpu: true,
  description: 'test gpu',
  shaderF16: true,
  maxBufferSize: 256 * 1024 ** 2,
  maxStorageBufferBindingSize: 128 * 1024 ** 2,
};
const NO_F16: AdapterFacts = { ...GPU, shaderF16: false };
const SWIFTSHADER: AdapterFacts = { ...NO_F16, description: 'google / swiftshader / Subzero' };

const variant = (file: string, bytes: number, extra: Partial<NetworkVariant> = {}): NetworkVariant => ({
  file,
  bytes,
  sha256: 'ab'.repeat(32),
  ...extra,
});

/** The tiny set with extra variants of one network. */
function withVariants(role: NetworkRole, extra: Record<string, NetworkVariant>): ModelSetManifest {
  const entry = TINY_MANIFEST.networks[role];
  return {
    ...TINY_MANIFEST,
    networks: { ...TINY_MANIFEST.networks, [role]: { ...entry, variants: { ...entry.variants, ...extra } } },
  };
}

const DIT_BYTES = TINY_MANIFEST.networks.dit.variants.float32.bytes;
const INT4_CHECK = {
  maxRelativeError: 0.031,
  velocityMaxAbs: 0.0123,
  latentMaxAbs: 0.0456,
  decodedPsnrDb: 34.21,
};
/** float16 at half the bytes, int4 and int4-float16 at an eighth: every precision of the table. */
const ALL_VARIANTS = withVariants('dit', {
  float16: variant('dit.fp16.onnx', Math.round(DIT_BYTES / 2), { check: { maxRelativeError: 0.0011 } }),
  int4: variant('dit.int4.onnx', Math.round(DIT_BYTES / 8), { check: INT4_CHECK }),
  'int4-float16': variant('dit.int4-fp16.onnx', Math.round(DIT_BYTES / 8) + 1),
});

/** The tiny set with every network's float32 size replaced. */
function sized(bytes: number): ModelSetManifest {
  const networks = Object.fromEntries(
    NETWORK_ROLES.map((role) => {
      const entry = TINY_MANIFEST.networks[role];
      return [role, { ...entry, variants: { float32: { ...entry.variants.float32, bytes } } }];
    }),
  ) as unknown as ModelSetManifest['networks'];
  return { ...TINY_MANIFEST, networks };
}

const float32Bytes = (m: ModelSetManifest) =>
  NETWORK_ROLES.reduce((sum, role) => sum + m.networks[role].variants.float32.bytes, 0);
const line = (plan: { explanation: readonly string[] }, start: string) =>
  plan.explanation.find((l) => l.startsWith(start));

describe('planModelSet: provider', () => {
  it.each([
    ['auto', GPU, 'webgpu', /^Automatic: WebGPU adapter "test gpu"/],
    ['auto', NO_GPU, 'wasm', /^Automatic: WASM, because this browser has no WebGPU/],
    ['wasm', GPU, 'wasm', /^WASM was selected/],
    ['webgpu', GPU, 'webgpu', /^WebGPU was selected\.$/],
    [
      'webgpu',
      NO_GPU,
      'wasm',
      /^WebGPU was selected, but this browser has no WebGPU; running on WASM instead\.$/,
    ],
  ] as const)('preference %s with %o tries %s', (preference, facts, provider, why) => {
    const plan = planModelSet(TINY_MANIFEST, facts, preference);
    expect(plan.provider).toBe(provider);
    expect(plan.explanation[0]).toMatch(why);
  });

  it('runs an explicit WebGPU choice that cannot run here on WASM, with a notice that keeps the choice', () => {
    // e.g. WebGPU remembered from another browser: the studio must still work, and say why it runs on WASM
    const plan = planModelSet(TINY_MANIFEST, NO_GPU, 'webgpu');
    expect(plan.provider).toBe('wasm');
    expect(plan.providerNotice).toBe(
      'WebGPU is not available in this browser (this browser has no WebGPU); running on WASM. ' +
        'The choice of WebGPU is kept for when it is available.',
    );
    expect(summarizePlan(plan).providerNotice).toBe(plan.providerNotice);
    expect(Object.keys(sessionPlans(plan))).toEqual(['wasm']); // WASM's own sessions (float32 only)
    // nothing to say when the choice runs, or when Automatic picks
    for (const [preference, facts] of [
      ['webgpu', GPU],
      ['wasm', NO_GPU],
      ['auto', NO_GPU],
    ] as const) {
      expect(planModelSet(TINY_MANIFEST, facts, preference).providerNotice).toBeUndefined();
      expect(summarizePlan(planModelSet(TINY_MANIFEST, facts, preference))).not.toHaveProperty(
        'providerNotice',
      );
    }
  });

  it('treats a software adapter as slower than WASM in Automatic mode, saying why; WebGPU stays selectable', () => {
    const fallback = { ...GPU, description: 'some vendor', isFallbackAdapter: true };
    expect(softwareAdapterReason(SWIFTSHADER)).toMatch(/SwiftShader/);
    expect(softwareAdapterReason(fallback)).toMatch(/fallback/);
    expect(softwareAdapterReason(GPU)).toBeUndefined();
    for (const facts of [SWIFTSHADER, fallback]) {
      const plan = planModelSet(TINY_MANIFEST, facts, 'auto');
      expect(plan.provider).toBe('wasm');
      expect(plan.explanation[0]).toMatch(
        /^Automatic: WASM, because WebGPU adapter ".*" is software \(.*\) and runs slower than WASM; choose WebGPU by hand/,
      );
      expect(planModelSet(TINY_MANIFEST, facts, 'webgpu').provider).toBe('webgpu');
    }
    expect(planModelSet(TINY_MANIFEST, fallback, 'auto').adapter).toContain('(fallback adapter)');
  });
});

describe('planModelSet: variants from precisions.json', () => {
  it.each([
    ['WebGPU with shader-f16', GPU, 'auto', 'int4', 'dit.int4.onnx'],
    ['WebGPU without shader-f16', NO_F16, 'auto', 'int4', 'dit.int4.onnx'],
    ['WASM', GPU, 'wasm', 'int4', 'dit.int4.onnx'],
  ] as const)('picks the smallest variant that runs on %s', (_, facts, preference, precision, file) => {
    const plan = planModelSet(ALL_VARIANTS, facts, preference);
    expect(plan.precision.dit).toBe(precision);
    expect(plan.networks.dit.variant.file).toBe(file);
    expect(plan.precision.decoder).toBe('float32');
    expect(line(plan, 'decoder: ')).toMatch(
      /^decoder: float32 \(decoder\.onnx, .*\), the only variant the set has\.$/,
    );
  });

  it('says which variants were passed over and why, with the exporter check figures of the chosen one', () => {
    const wasm = planModelSet(ALL_VARIANTS, GPU, 'wasm');
    expect(line(wasm, 'dit: ')).toBe(
      `dit: int4 (dit.int4.onnx, ${formatBytes(Math.round(DIT_BYTES / 8))} instead of ${formatBytes(DIT_BYTES)} for float32), ` +
        'the smallest variant that runs here; float16 needs WebGPU with shader-f16 (WASM computes in float32 only); ' +
        'int4-float16 needs WebGPU with shader-f16 (WASM computes in float32 only); ' +
        'export check against PyTorch float32: max relative error 3.1 %, velocity max |Δ| 0.0123, ' +
        'final latent max |Δ| 0.0456, decoded PSNR 34.2 dB.',
    );
    const halfOnly = withVariants('dit', {
      float16: variant('dit.fp16.onnx', 1000, { check: { maxRelativeError: 0.0011 } }),
    });
    const f16 = planModelSet(halfOnly, GPU, 'auto');
    expect(f16.precision.dit).toBe('float16');
    expect(line(f16, 'dit: ')).toMatch(
      /^dit: float16 \(dit\.fp16\.onnx, 1000 B instead of .* for float32\), the smallest variant that runs here; export check against PyTorch float32: max relative error 0\.11 %\.$/,
    );
    const noF16 = planModelSet(halfOnly, NO_F16, 'auto');
    expect(noF16.precision.dit).toBe('float32');
    expect(line(noF16, 'dit: ')).toMatch(
      /the only variant that runs here; float16 needs WebGPU with shader-f16 \(this adapter lacks shader-f16\)\.$/,
    );
  });

  it('prefers the smaller of float16 and int4-float16 on a shader-f16 adapter', () => {
    const m = withVariants('dit', {
      float16: variant('dit.fp16.onnx', 5000),
      'int4-float16': variant('dit.int4-fp16.onnx', 900),
    });
    expect(planModelSet(m, GPU, 'auto').precision.dit).toBe('int4-float16');
    expect(planModelSet(m, NO_F16, 'auto').precision.dit).toBe('float32');
  });

  it('counts the chosen files in the download, the first task and the estimate', () => {
    const chosen = planModelSet(ALL_VARIANTS, GPU, 'auto');
    const full = planModelSet(TINY_MANIFEST, GPU, 'wasm');
    expect(full.downloadBytes).toBe(float32Bytes(TINY_MANIFEST));
    expect(chosen.downloadBytes).toBe(float32Bytes(TINY_MANIFEST) - DIT_BYTES + Math.round(DIT_BYTES / 8));
    expect(chosen.firstTaskDownloadBytes).toBe(
      Math.round(DIT_BYTES / 8) + TINY_MANIFEST.networks.decoder.variants.float32.bytes,
    );
    const sessions = NETWORK_ROLES.reduce((sum, role) => sum + full.networks[role].sessionBytes, 0);
    expect(sessions).toBeGreaterThanOrEqual(full.downloadBytes * SESSION_MEMORY_FACTOR);
    expect(full.estimatedBytes).toBe(sessions + activationBytes(TINY_MANIFEST));
    // [2, 16, 104] tokens + [32, 64, 64] decoder map, float32, four live copies
    expect(activationBytes(TINY_MANIFEST)).toBe((2 * 16 * 104 + 32 * 64 * 64) * 4 * 4);
  });

  it('gives an Automatic WebGPU plan its WASM fallback, and the model manager a summary per network', () => {
    const plan = planModelSet(ALL_VARIANTS, GPU, 'auto');
    expect(sessionPlans(plan).webgpu?.precision.dit).toBe('int4');
    expect(sessionPlans(plan).wasm?.precision.dit).toBe('int4');
    expect(sessionPlans(planModelSet(ALL_VARIANTS, GPU, 'webgpu')).wasm).toBeUndefined(); // explicit: no fallback
    const summary = summarizePlan(plan);
    expect(summary.networks?.find((n) => n.role === 'dit')).toEqual({
      role: 'dit',
      precision: 'int4',
      file: 'dit.int4.onnx',
      downloadBytes: Math.round(DIT_BYTES / 8),
      sessionBytes: plan.networks.dit.sessionBytes,
      check: INT4_CHECK,
    });
    expect(structuredClone(summary)).toEqual(summary); // crosses postMessage
  });
});

describe('planModelSet: memory', () => {
  it('keeps every session open when all fit, and says so under a known limit', () => {
    const plan = planModelSet(TINY_MANIFEST, NO_GPU, 'auto');
    expect(plan.allResident).toBe(true);
    expect(plan.memoryBudgetBytes).toBeUndefined();
    expect(plan.explanation).toContain('All four networks fit the 4 GiB heap of 32-bit WASM at once.');
  });

  it('plans per-task sessions when all four do not fit but each task does', () => {
    // four networks of 0.8 GiB: 4.8 GiB of sessions together, 2.4 GiB for generation's two
    const plan = planModelSet(sized(0.8 * GiB), NO_GPU, 'auto');
    expect(plan.allResident).toBe(false);
    expect(plan.memoryBudgetBytes).toBe(WASM_HEAP_LIMIT - activationBytes(TINY_MANIFEST));
    expect(line(plan, 'Not all four networks fit')).toMatch(
      /^Not all four networks fit the 4 GiB heap of 32-bit WASM at once \(4\.\d+ GiB\): each task opens its networks when it runs, and the least recently used are closed to stay within 4\.00 GiB of sessions \(generation 2\.40 GiB, reconstruction 3\.60 GiB\)\.$/,
    );
  });

  it('still plans a set whose task does not fit at once: its networks take turns', () => {
    const plan = planModelSet(sized(1.2 * GiB), NO_GPU, 'auto');
    expect(line(plan, 'Not all four')).toMatch(
      /reconstruction 5\.40 GiB \(more than the budget: its networks take turns, slower\)/,
    );
  });

  it('refuses before download, with the figures, a set whose largest network alone does not fit', () => {
    const huge = sized(3 * GiB);
    expect(() => planModelSet(huge, GPU, 'wasm')).toThrow(ModelTooLargeError);
    expect(() => planModelSet(huge, GPU, 'wasm')).toThrow(
      /^random-tiny needs about 4\.50 GiB for its largest network alone \(dinoEncoder, dino_encoder\.onnx: 3\.00 GiB, 4\.50 GiB as a session, plus .* of activations\), more than the 4 GiB heap of 32-bit WASM \(4\.00 GiB\); all four need 18\.0\d GiB; choose a smaller model set or the WebGPU provider\. Nothing was downloaded\.$/,
    );
    expect(() => planModelSet(huge, NO_GPU, 'auto')).toThrow(/Nothing was downloaded/);
    const gpu = planModelSet(huge, GPU, 'auto');
    expect(gpu.provider).toBe('webgpu');
    expect(gpu.fallbacks).toEqual({}); // WASM could not hold it: no fallback plan
  });

  it('refuses a set beyond a reported device memory, but not at the browsers’ 8 GiB cap', () => {
    const set = sized(3 * GiB);
    expect(() => planModelSet(set, { ...GPU, deviceMemoryGiB: 4 }, 'auto')).toThrow(
      /the 4 GiB of memory this device reports/,
    );
    expect(planModelSet(set, { ...GPU, deviceMemoryGiB: 8 }, 'auto').estimatedBytes).toBeGreaterThan(8 * GiB);
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

// The bundled default set (public/models/index.json) and v1, which stays bundled beside it.
const BUNDLED_DEFAULT = (JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { default: string })
  .default;
describe.each([...new Set([BUNDLED_DEFAULT, 'svg-mini'])])('the bundled %s set', (id) => {
  const path = `public/models/${id}/manifest.json`;
  const manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')), path);

  it('ships a float16 file for every network, each checked against float32 at export', () => {
    for (const role of NETWORK_ROLES) {
      const { float32, float16 } = manifest.networks[role].variants;
      expect(float16?.file).toMatch(/\.fp16\.onnx$/);
      expect(float16!.bytes).toBe(readFileSync(`public/models/${id}/${float16!.file}`).byteLength);
      expect(float16!.bytes).toBeLessThan(0.6 * float32.bytes);
      expect(float16!.check?.maxRelativeError).toBeLessThanOrEqual(1e-2);
    }
  });

  it('loads the float16 files on shader-f16 adapters and says how close they are', () => {
    const plan = planModelSet(manifest, GPU, 'auto');
    expect(NETWORK_ROLES.map((role) => plan.precision[role])).toEqual(NETWORK_ROLES.map(() => 'float16'));
    expect(plan.networks.dit.variant.file).toBe('dit.fp16.onnx');
    expect(line(plan, 'dit: ')).toMatch(
      /^dit: float16 \(dit\.fp16\.onnx, .* instead of .* for float32\), the smallest variant that runs here; export check against PyTorch float32: max relative error 0\.\d+ %(, [^;]+)?\.$/,
    );
    const full = planModelSet(manifest, NO_F16, 'auto');
    expect(full.networks.dit.variant.file).toBe('dit.onnx');
    expect(plan.downloadBytes).toBeLessThan(0.6 * full.downloadBytes);
  });
});

describe('the bundled default set', () => {
  const path = `public/models/${BUNDLED_DEFAULT}/manifest.json`;
  const manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')), path);

  it('downloads at most 40 MB to generate on a shader-f16 adapter (issue 15)', () => {
    const plan = planModelSet(manifest, GPU, 'auto');
    expect(plan.firstTaskDownloadBytes).toBeLessThanOrEqual(40e6);
  });
});
