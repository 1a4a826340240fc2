// The browser runtime's provider choice without an if/else over names: the plan's provider first, then
// each later row of BROWSER_PROVIDERS as LEAVES_PROVIDER_WHEN says (a provider that cannot run here, for
// every preference; a failed load, for Automatic only), reusing a started build that carries the next
// provider; an explicit choice whose load fails fails by name. ONNX Runtime, the session set and WebGPU are stand-ins.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionInfo } from '../../src/engine/api/runtime-contract';
import type { ModelSetManifest } from '../../src/engine/model-set';

/** ORT builds imported, in order. */
const imported: string[] = [];
/** The providers loadModelSet was asked to open, with the reason given, and which fail. */
const opened: ExecutionInfo[] = [];
let failing = new Set<string>();

const fakeOrt = (build: string) => ({
  build,
  env: { wasm: {}, webgpu: {} },
  InferenceSession: { create: async () => ({ release: async () => {} }) },
});
vi.mock('onnxruntime-web/wasm', () => (imported.push('wasm'), fakeOrt('wasm')));
vi.mock('onnxruntime-web/webgpu', () => (imported.push('webgpu'), fakeOrt('webgpu')));
vi.mock('../../src/runtime/ort-assets', () => ({
  startCheckingRuntimeFiles: (_provider: string, _url: string, start: () => Promise<unknown>) => start(),
}));
vi.mock('../../src/runtime/ort-location', () => ({ ortRuntimeUrl: () => 'http://test/ort/' }));
vi.mock('../../src/runtime/session-set', () => ({
  cpuTensorBinding: (_ort: unknown, execution: ExecutionInfo) => ({ execution }),
  loadModelSet: async (_ort: unknown, binding: { execution: ExecutionInfo }) => {
    opened.push(binding.execution);
    if (failing.has(binding.execution.provider)) throw new Error(`${binding.execution.provider} broke`);
    return { execution: binding.execution };
  },
}));

const adapter = { info: { vendor: 'test', description: 'gpu' }, features: new Set(), limits: {} };
const { loadWebModelSet } = await import('../../src/runtime/ort-web');
const base = {
  manifest: {} as ModelSetManifest,
  readFile: async () => ({ kind: 'bytes' as const, bytes: new Uint8Array() }),
};

function withGpu(present: boolean) {
  vi.stubGlobal('navigator', present ? { gpu: { requestAdapter: async () => adapter } } : {});
}

beforeEach(() => {
  opened.length = 0;
  failing = new Set();
});

describe('loadWebModelSet', () => {
  it('Automatic: a WebGPU load that fails falls back to WASM on the build already started', async () => {
    withGpu(true);
    failing = new Set(['webgpu']);
    const runtime = await loadWebModelSet({
      ...base,
      provider: 'webgpu',
      reason: 'plan',
      preference: 'auto',
    });
    expect(opened.map((e) => e.provider)).toEqual(['webgpu', 'wasm']);
    expect(runtime.execution.reason).toBe('fell back to WASM: WebGPU failed (webgpu broke)');
    expect(opened[0]?.reason).toBe('plan');
    expect(imported).toEqual(['webgpu']); // the asyncify build runs WASM too: no second build
  });

  it('an explicit WebGPU choice fails with its error instead of falling back', async () => {
    withGpu(true);
    failing = new Set(['webgpu']);
    await expect(
      loadWebModelSet({ ...base, provider: 'webgpu', reason: 'WebGPU was selected.', preference: 'webgpu' }),
    ).rejects.toThrow('webgpu broke');
    expect(opened.map((e) => e.provider)).toEqual(['webgpu']);
  });

  it('falls back to WASM, naming what is missing, when the chosen provider cannot run here', async () => {
    vi.resetModules(); // a fresh module: the adapter request is cached per worker
    withGpu(false);
    const fresh = await import('../../src/runtime/ort-web');
    // Automatic, and an explicit choice too (remembered from a browser that had WebGPU): both still run
    for (const preference of ['auto', 'webgpu'] as const) {
      opened.length = 0;
      const runtime = await fresh.loadWebModelSet({ ...base, provider: 'webgpu', reason: 'x', preference });
      expect(opened.map((e) => e.provider)).toEqual(['wasm']);
      expect(runtime.execution).toMatchObject({
        provider: 'wasm',
        reason: 'fell back to WASM: this browser has no WebGPU (navigator.gpu is missing)',
      });
    }
  });

  it('loads WASM as planned, with the plan’s reason', async () => {
    withGpu(true);
    const runtime = await loadWebModelSet({
      ...base,
      provider: 'wasm',
      reason: 'WASM was selected.',
      preference: 'wasm',
    });
    expect(runtime.execution).toMatchObject({ provider: 'wasm', reason: 'WASM was selected.' });
  });
});
