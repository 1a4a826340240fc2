// The precision table: read from precisions.json (shared with the Python exporter), each row with the
// runtime requirement of its activations; float32 is the reference that always runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PRECISION_IDS,
  PRECISIONS,
  precisionRow,
  REFERENCE_PRECISION,
  type RuntimeFacts,
} from '../../../src/engine/model-set/precisions';

// What BROWSER_PROVIDERS says of WASM, a WebGPU adapter without shader-f16 and one with it.
const WASM: RuntimeFacts = { noFloat16: 'WASM computes in float32 only' };
const GPU: RuntimeFacts = { noFloat16: 'this adapter lacks shader-f16' };
const GPU_F16: RuntimeFacts = {};

describe('precisions', () => {
  it('lists the rows of precisions.json in order, float32 first', () => {
    const json = JSON.parse(readFileSync('src/engine/model-set/precisions.json', 'utf8')) as {
      precisions: Array<{ id: string }>;
    };
    expect(PRECISION_IDS).toEqual(json.precisions.map((row) => row.id));
    expect(PRECISION_IDS[0]).toBe(REFERENCE_PRECISION);
  });

  it.each([
    ['float32', [true, true, true]],
    ['float16', [false, false, true]],
    ['int4', [true, true, true]],
    ['int4-float16', [false, false, true]],
  ] as const)('%s runs on [WASM, WebGPU, WebGPU with shader-f16]: %o', (id, runs) => {
    const { requirement } = precisionRow(id);
    expect([WASM, GPU, GPU_F16].map((facts) => requirement.met(facts))).toEqual(runs);
  });

  it('says why a float16-activation precision cannot run', () => {
    const { requirement } = precisionRow('float16');
    expect(requirement.needs).toBe('WebGPU with shader-f16');
    expect(requirement.unmet(WASM)).toBe('WASM computes in float32 only');
    expect(requirement.unmet(GPU)).toBe('this adapter lacks shader-f16');
  });

  it('names an unknown precision with the known ones', () => {
    expect(() => precisionRow('fp8')).toThrow(
      'unknown precision "fp8" (known: float32, float16, int4, int4-float16)',
    );
    expect(PRECISIONS.every((row) => row.fileSuffix === '' || row.fileSuffix.startsWith('.'))).toBe(true);
  });
});
