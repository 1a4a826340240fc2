// The warm-up: forwards at the guided batch on fixed finite inputs, one decode, the provider's forward
// count; it stops within one forward when cancelled, and EngineService stops it before any other call
// (a Generate waits for the one forward in flight, never for the rest of the warm-up).
import { readFileSync } from 'node:fs';
import { SamplingCancelledError } from '../../../src/engine/errors';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/model-set';
import type { ExecutionProviderName, ModelSetRuntime } from '../../../src/engine/api/runtime-contract';
import { EngineService } from '../../../src/engine/api/service';
import { cpuLatentMath, cpuTensor, firstNonFinite, type CpuTensor } from '../../../src/engine/latent/tensor';
import { WARM_UP_FORWARDS, warmUpRuntime, type WarmUpProgress } from '../../../src/engine/pipelines/warm-up';
import { generateRequest } from '../api/generate-request';

const MANIFEST = parseManifest(
  JSON.parse(readFileSync('public/models/random-tiny/manifest.json', 'utf8')),
  'random-tiny/manifest.json',
);
const { resolution } = MANIFEST.image;

interface Log {
  forwards: Array<{ batch: number; labels: number[]; finite: boolean }>;
  decodes: number[];
  events: string[];
}

/** A runtime whose forwards take `forwardMs` of real time (so calls can arrive while one runs). */
function slowRuntime(log: Log, provider: ExecutionProviderName = 'wasm', forwardMs = 5) {
  const runtime: ModelSetRuntime<CpuTensor> = {
    execution: { provider, adapter: 'fake', reason: 'test' },
    math: cpuLatentMath,
    upload: async (t) => t,
    download: async (t) => t,
    encodeDino: () => Promise.reject(new Error('not used')),
    encodeResidual: () => Promise.reject(new Error('not used')),
    decode: async (latent) => {
      log.decodes.push(latent.dims[0]!);
      const batch = latent.dims[0]!;
      return cpuTensor(new Float32Array(batch * 3 * resolution * resolution), [
        batch,
        3,
        resolution,
        resolution,
      ]);
    },
    velocity: async (z, _t, labels) => {
      log.events.push('forward start');
      log.forwards.push({
        batch: z.dims[0]!,
        labels: Array.from(labels),
        finite: firstNonFinite(z.data) < 0,
      });
      await new Promise((resolve) => setTimeout(resolve, forwardMs));
      log.events.push('forward end');
      return cpuTensor(Float32Array.from(z.data), z.dims);
    },
    dispose: async () => {},
  };
  return runtime;
}

const newLog = (): Log => ({ forwards: [], decodes: [], events: [] });

describe('warmUpRuntime', () => {
  it("runs the provider's forward count at the guided batch 2B, after one decode at batch B", async () => {
    const log = newLog();
    const progress: WarmUpProgress[] = [];
    const result = await warmUpRuntime(
      slowRuntime(log, 'webgpu', 0),
      MANIFEST,
      { batch: 2 },
      {
        onProgress: (event) => progress.push(event),
      },
    );
    const nullId = MANIFEST.classes.nullId;
    expect(log.decodes).toEqual([2]);
    expect(log.forwards).toHaveLength(WARM_UP_FORWARDS.webgpu);
    for (const forward of log.forwards) {
      expect(forward).toEqual({ batch: 4, labels: [0, 0, nullId, nullId], finite: true });
    }
    expect(result).toMatchObject({ done: WARM_UP_FORWARDS.webgpu, stopped: false });
    expect(result.forwardTimesMs).toHaveLength(WARM_UP_FORWARDS.webgpu);
    expect(progress.at(-1)).toMatchObject({ kind: 'warm-up', done: WARM_UP_FORWARDS.webgpu });
    expect(progress.at(-1)!.forwardMs).toBeGreaterThanOrEqual(0);
  });

  it('stops within one forward when cancelled, resolving with what ran', async () => {
    const log = newLog();
    const controller = new AbortController();
    const run = warmUpRuntime(
      slowRuntime(log),
      MANIFEST,
      { batch: 1, forwards: 50 },
      {
        signal: controller.signal,
        onProgress: ({ done }) => done === 3 && controller.abort(),
      },
    );
    const result = await run;
    expect(result).toMatchObject({ done: 3, forwards: 50, stopped: true });
    expect(log.forwards).toHaveLength(3);
  });

  it('stops during a session reopen (a tight budget): the cancelled wait resolves as stopped', async () => {
    const log = newLog();
    const controller = new AbortController();
    const base = slowRuntime(log);
    const runtime: ModelSetRuntime<CpuTensor> = {
      ...base,
      // the DiT's session was closed for the decoder's: its reopen is waiting when the stop comes
      velocity: (_z, _t, _labels, given) =>
        new Promise((_resolve, reject) => {
          controller.abort();
          given?.signal?.addEventListener('abort', () => reject(new SamplingCancelledError('cancelled')));
          if (given?.signal?.aborted) reject(new SamplingCancelledError('cancelled'));
        }),
    };
    const result = await warmUpRuntime(
      runtime,
      MANIFEST,
      { batch: 1, forwards: 5 },
      { signal: controller.signal },
    );
    expect(result).toMatchObject({ done: 0, stopped: true });
    expect(log.decodes).toEqual([1]);
  });
});

describe('EngineService warm-up', () => {
  async function loadedService(log: Log) {
    const service = new EngineService(async () => ({
      manifest: MANIFEST,
      manifestSha256: 'sha',
      runtime: slowRuntime(log) as ModelSetRuntime<unknown>,
    }));
    await service.loadModelSet({ source: { kind: 'directory', path: 'x' }, provider: 'auto' });
    return service;
  }

  it('yields to a generate at once: the warm-up stops after the forward in flight', async () => {
    const log = newLog();
    const service = await loadedService(log);
    const warmUp = service.warmUp({ batch: 1, forwards: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 20)); // a few warm-up forwards run
    const warmed = log.forwards.length;
    expect(warmed).toBeGreaterThan(0);
    log.events.push('generate');
    const result = await service.generate(generateRequest({ classId: 1, steps: 2, guidanceScale: 2 }));
    expect(result.images).toHaveLength(1);
    const stopped = await warmUp;
    expect(stopped.stopped).toBe(true);
    expect(stopped.done).toBeLessThanOrEqual(warmed + 1); // at most the forward in flight
    // after "generate" only the in-flight warm-up forward ends before the generation's own two
    const after = log.events.slice(log.events.indexOf('generate'));
    expect(after.filter((e) => e === 'forward start')).toHaveLength(2);
    expect(log.forwards.slice(-2).map((f) => f.labels)).toEqual([
      [1, MANIFEST.classes.nullId],
      [1, MANIFEST.classes.nullId],
    ]);
  });

  it('is stopped by its own signal, and a new load stops it too', async () => {
    const log = newLog();
    const service = await loadedService(log);
    const controller = new AbortController();
    const first = service.warmUp({ batch: 1, forwards: 1000 }, { signal: controller.signal });
    controller.abort();
    expect((await first).stopped).toBe(true);
    const second = service.warmUp({ batch: 1, forwards: 1000 });
    await service.loadModelSet({ source: { kind: 'directory', path: 'y' }, provider: 'auto' });
    expect((await second).stopped).toBe(true);
  });
});
