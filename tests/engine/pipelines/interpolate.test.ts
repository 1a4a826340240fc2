// The engine's interpolation pipeline with a recording engine: a path and a four-corner grid in chunks
// of FRAMES_PER_CALL, images encoded one per call and decoded, stored latents used as they are, progress
// that only grows and ends at 1, and a cancelled signal stopping between engine calls.
import { describe, expect, it } from 'vitest';
import { SamplingCancelledError } from '../../../src/engine/errors';
import type { RgbaImage } from '../../../src/engine/formats/pixels';
import {
  FRAMES_PER_CALL,
  exportFrames,
  interpolationBaseName,
  runInterpolation,
  seedEndpoints,
  type InterpolationEngine,
  type InterpolationProgress,
} from '../../../src/engine/pipelines/interpolate';
import { TINY_MANIFEST } from '../../store/fake-engine';

const [gridH, gridW] = TINY_MANIFEST.latent.grid;
const size = gridH * gridW * TINY_MANIFEST.latent.channels;
const pixel = (value: number): RgbaImage => ({
  width: 1,
  height: 1,
  data: new Uint8ClampedArray(4).fill(value),
});

function recordingEngine() {
  const calls: string[] = [];
  const engine: InterpolationEngine = {
    async encodeImages(request) {
      calls.push(`encode ${request.images.length}`);
      return { latentTokens: new Float32Array(size).fill(request.images[0]!.data[0]!) } as never;
    },
    async decodeLatents(request) {
      const batch = request.latentDims[0]!;
      calls.push(`decode ${batch}`);
      return {
        images: Array.from({ length: batch }, (_, k) => pixel(request.latentTokens[k * size]!)),
      } as never;
    },
    async generate(request, options) {
      calls.push(`generate ${request.batch}`);
      for (let step = 1; step <= request.steps; step++)
        options?.onProgress?.({ kind: 'step', step, steps: request.steps, t: 0, elapsedMs: step });
      return { images: Array.from({ length: request.batch }, () => pixel(9)) } as never;
    },
  };
  return { engine, calls };
}

describe('runInterpolation', () => {
  it('decodes a latent path between two encoded images, chunked, with growing progress', async () => {
    const { engine, calls } = recordingEngine();
    const seen: InterpolationProgress[] = [];
    const result = await runInterpolation(
      engine,
      TINY_MANIFEST,
      { endpoints: { kind: 'images', items: [pixel(0), pixel(100)] }, frames: 11, methods: ['linear'] },
      { onProgress: (event) => seen.push(event) },
    );
    expect(calls).toEqual([
      'encode 1',
      'encode 1',
      `decode ${FRAMES_PER_CALL}`,
      `decode ${11 - FRAMES_PER_CALL}`,
    ]);
    const values = result.strips[0]!.frames.map((f) => f.data[0]);
    expect(values[0]).toBe(0);
    expect(values[10]).toBe(100);
    expect(result.columns).toBe(8);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('samples a frames x frames grid from seed noise, both methods, reporting per step', async () => {
    const { engine, calls } = recordingEngine();
    const seen: InterpolationProgress[] = [];
    const endpoints = seedEndpoints(TINY_MANIFEST, [1, 2, 3, 4], {
      classId: 0,
      steps: 2,
      sampler: 'euler',
      shift: 0.15,
      guidanceScale: 1,
      guidanceSchedule: 'constant',
    });
    const result = await runInterpolation(
      engine,
      TINY_MANIFEST,
      { endpoints, frames: 3, methods: ['linear', 'spherical'] },
      { onProgress: (event) => seen.push(event) },
    );
    expect(calls).toEqual(['generate 8', 'generate 1', 'generate 8', 'generate 1']);
    expect(result.strips.map((s) => s.frames.length)).toEqual([9, 9]);
    expect(result.columns).toBe(3);
    expect(exportFrames(result.strips)[0]!.width).toBeGreaterThan(2); // the two methods side by side
    expect(seen.filter((p) => p.stage === 'frames').length).toBeGreaterThan(8);
    expect(interpolationBaseName('spherical', 3, true)).toBe('interpolation-spherical-grid3');
  });

  it('uses a stored latent as it is and stops on a cancelled signal', async () => {
    const { engine, calls } = recordingEngine();
    const control = new AbortController();
    control.abort();
    await expect(
      runInterpolation(
        engine,
        TINY_MANIFEST,
        {
          endpoints: { kind: 'images', items: [{ latentTokens: new Float32Array(size) }, pixel(5)] },
          frames: 4,
          methods: ['linear'],
        },
        { signal: control.signal },
      ),
    ).rejects.toBeInstanceOf(SamplingCancelledError);
    expect(calls).toEqual([]);
  });
});
