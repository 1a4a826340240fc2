// The browser provider table: the preferences, labels and option schema the Models bar and createSvgEngine
// derive from it, Automatic's order (each row falls back to the next), and the rows' own rules.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  BROWSER_PROVIDER_NAMES,
  LEAVES_PROVIDER_WHEN,
  nextProvider,
  preferenceLabel,
  PROVIDER_PREFERENCES,
  ProviderPreferenceSchema,
  providerSpec,
  resolveProvider,
  softwareAdapterReason,
  type AdapterFacts,
} from '../../src/engine/providers';
import { NO_GPU } from './adapter-facts';

const GPU: AdapterFacts = {
  webgpu: true,
  description: 'test gpu',
  shaderF16: true,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 28,
};

describe('browser providers', () => {
  it('offers Automatic and then every row, labelled from the table', () => {
    expect(PROVIDER_PREFERENCES).toEqual(['auto', ...BROWSER_PROVIDER_NAMES]);
    expect(PROVIDER_PREFERENCES.map(preferenceLabel)).toEqual(['Automatic', 'WebGPU', 'WASM']);
  });

  it('checks the createSvgEngine option against the table, naming every accepted value', () => {
    expect(v.parse(ProviderPreferenceSchema, 'wasm')).toBe('wasm');
    const result = v.safeParse(ProviderPreferenceSchema, 'webnn');
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe('provider must be auto, webgpu or wasm');
  });

  it('falls back row by row, and the last row runs whatever the adapter', () => {
    expect(nextProvider('webgpu')).toBe('wasm');
    expect(nextProvider('wasm')).toBeUndefined();
    const last = providerSpec(BROWSER_PROVIDER_NAMES.at(-1) as (typeof BROWSER_PROVIDER_NAMES)[number]);
    expect([GPU, NO_GPU].map((facts) => last.unavailable(facts))).toEqual([undefined, undefined]);
  });

  it('says why WebGPU cannot run, is passed over, or computes no float16', () => {
    const webgpu = providerSpec('webgpu');
    expect(webgpu.unavailable(NO_GPU)).toBe('this browser has no WebGPU');
    expect(webgpu.unavailable(GPU)).toBeUndefined();
    const swiftshader = { ...GPU, description: 'google / swiftshader' };
    expect(softwareAdapterReason(swiftshader)).toMatch(/SwiftShader/);
    expect(webgpu.passedOver?.(swiftshader)).toMatch(/is software .* runs slower than WASM/);
    expect(webgpu.passedOver?.(GPU)).toBeUndefined();
    expect(webgpu.noFloat16({ ...GPU, shaderF16: false })).toBe('this adapter lacks shader-f16');
    expect(webgpu.noFloat16(GPU)).toBeUndefined();
    expect(providerSpec('wasm').noFloat16(GPU)).toBe('WASM computes in float32 only');
    expect(providerSpec('wasm').heapLimit?.bytes).toBe(4 * 1024 ** 3);
  });

  it('resolves every preference by one table of rules: a provider that cannot run is left by all', () => {
    // what cannot run here is left whatever was chosen (a remembered choice must not strand the studio);
    // slower, or failed to load: only Automatic moves on, an explicit choice is used or fails loudly
    expect(PROVIDER_PREFERENCES.map((p) => LEAVES_PROVIDER_WHEN.unavailable(p))).toEqual([true, true, true]);
    expect(PROVIDER_PREFERENCES.map((p) => LEAVES_PROVIDER_WHEN.passedOver(p))).toEqual([true, false, false]);
    expect(PROVIDER_PREFERENCES.map((p) => LEAVES_PROVIDER_WHEN.failed(p))).toEqual([true, false, false]);

    const noWebGpu = [{ provider: 'webgpu', reason: 'unavailable', why: 'this browser has no WebGPU' }];
    expect(resolveProvider('webgpu', NO_GPU)).toEqual({ provider: 'wasm', passed: noWebGpu });
    expect(resolveProvider('auto', NO_GPU)).toEqual({ provider: 'wasm', passed: noWebGpu });
    expect(resolveProvider('webgpu', GPU)).toEqual({ provider: 'webgpu', passed: [] });
    expect(resolveProvider('wasm', GPU)).toEqual({ provider: 'wasm', passed: [] });
    const swiftshader = { ...GPU, description: 'google / swiftshader' };
    expect(resolveProvider('webgpu', swiftshader)).toEqual({ provider: 'webgpu', passed: [] });
    expect(resolveProvider('auto', swiftshader)).toMatchObject({
      provider: 'wasm',
      passed: [{ provider: 'webgpu', reason: 'passedOver' }],
    });
  });
});
