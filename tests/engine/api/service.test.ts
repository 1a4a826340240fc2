// EngineService: loads run one at a time (the later request waits), the previous runtime is disposed,
// and calls before any load fail with a named error; a task's networks open first, with the task's
// signal and progress listener (its networks opened on first use report there).
import { describe, expect, it } from 'vitest';
import { TASK_NETWORKS, type ModelSetManifest } from '../../../src/engine/model-set';
import type { ModelSetRuntime } from '../../../src/engine/api/runtime-contract';
import { EngineService, type RuntimeLoader } from '../../../src/engine/api/service';
import { stepsOnly, type LoadModelSetRequest } from '../../../src/engine/api/studio-engine';
import { cpuLatentMath } from '../../../src/engine/latent/tensor';
import { generateRequest } from './generate-request';

const sourceName = ({ source }: LoadModelSetRequest) =>
  source.kind === 'directory' ? source.path : source.kind;

function fakeRuntime(name: string, log: string[]): ModelSetRuntime<unknown> {
  const fail = () => Promise.reject(new Error('not used'));
  return {
    execution: { provider: 'cpu', adapter: name, reason: 'test' },
    math: cpuLatentMath as never,
    upload: fail,
    download: fail,
    encodeDino: fail,
    encodeResidual: fail,
    decode: fail,
    velocity: fail,
    dispose: async () => void log.push(`dispose ${name}`),
  };
}

/** A DINO encoder download under way: what a network's open reports to the task's listener. */
const DINO_DOWNLOAD_STARTED = {
  kind: 'load',
  file: 'dino_encoder.onnx',
  network: 'dinoEncoder',
  stage: 'download',
  loadedBytes: 1,
  totalBytes: 2,
} as const;

describe('EngineService', () => {
  it('runs loads one after another and disposes the runtime it replaces', async () => {
    const log: string[] = [];
    const loader: RuntimeLoader = async (request) => {
      log.push(`start ${sourceName(request)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      log.push(`end ${sourceName(request)}`);
      return {
        manifest: { id: sourceName(request) } as unknown as ModelSetManifest,
        manifestSha256: `sha-${sourceName(request)}`,
        runtime: fakeRuntime(sourceName(request), log),
      };
    };
    const engine = new EngineService(loader);
    const [a, b] = await Promise.all([
      engine.loadModelSet({ source: { kind: 'directory', path: 'a' }, provider: 'auto' }),
      engine.loadModelSet({ source: { kind: 'directory', path: 'b' }, provider: 'auto' }),
    ]);
    expect([a.execution.adapter, b.execution.adapter]).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'dispose a']);
  });

  it('keeps serving after a failed load', async () => {
    let calls = 0;
    const engine = new EngineService(async (request) => {
      if (calls++ === 0) throw new Error('broken manifest');
      return {
        manifest: { id: sourceName(request) } as unknown as ModelSetManifest,
        manifestSha256: `sha-${sourceName(request)}`,
        runtime: fakeRuntime('ok', []),
      };
    });
    await expect(
      engine.loadModelSet({ source: { kind: 'directory', path: 'x' }, provider: 'auto' }),
    ).rejects.toThrow('broken manifest');
    await expect(
      engine.loadModelSet({ source: { kind: 'directory', path: 'y' }, provider: 'auto' }),
    ).resolves.toMatchObject({
      manifest: { id: 'y' },
    });
  });

  it("passes the loader's cache report on to the caller", async () => {
    const engine = new EngineService(async (request) => ({
      manifest: { id: sourceName(request) } as unknown as ModelSetManifest,
      manifestSha256: 'sha',
      runtime: fakeRuntime('ok', []),
      cache: { status: 'uncached', note: 'quota exceeded' },
    }));
    const loaded = await engine.loadModelSet({ source: { kind: 'url', url: 'u' }, provider: 'auto' });
    expect(loaded.cache).toEqual({ status: 'uncached', note: 'quota exceeded' });
  });

  it('opens the networks each task declares in TASK_NETWORKS before it runs, and reports residency', async () => {
    const prepared: string[][] = [];
    const runtime: ModelSetRuntime<unknown> = {
      ...fakeRuntime('lazy', []),
      prepare: async (roles) => void prepared.push([...roles]),
      residency: () => ({ networks: [], residentBytes: 7 }),
    };
    const engine = new EngineService(async () => ({
      manifest: { id: 'lazy' } as unknown as ModelSetManifest,
      manifestSha256: 'sha',
      runtime,
    }));
    expect(await engine.networkResidency()).toBeNull();
    await engine.loadModelSet({ source: { kind: 'directory', path: 'x' }, provider: 'auto' });
    // The pipelines then fail on the fake runtime: what matters is what was opened first.
    const image = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    await engine.reconstruct({ image }).catch(() => undefined);
    await engine.encodeImages({ images: [image] }).catch(() => undefined);
    await engine
      .decodeLatents({ latentTokens: new Float32Array(1), latentDims: [1, 1, 1] })
      .catch(() => undefined);
    expect(prepared).toEqual([
      TASK_NETWORKS.reconstruct,
      TASK_NETWORKS.encodeImages,
      TASK_NETWORKS.decodeLatents,
    ]);
    expect(await engine.networkResidency()).toEqual({ networks: [], residentBytes: 7 });
  });

  it("hands the task's signal and progress listener to the networks' open", async () => {
    const heard: string[] = [];
    const runtime: ModelSetRuntime<unknown> = {
      ...fakeRuntime('lazy', []),
      prepare: async (roles, signal, onProgress) => {
        onProgress?.(DINO_DOWNLOAD_STARTED);
        signal?.throwIfAborted();
      },
    };
    const engine = new EngineService(async () => ({
      manifest: { id: 'lazy' } as unknown as ModelSetManifest,
      manifestSha256: 'sha',
      runtime,
    }));
    await engine.loadModelSet({ source: { kind: 'directory', path: 'x' }, provider: 'auto' });
    const image = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    await engine
      .encodeImages(
        { images: [image] },
        { onProgress: (event) => heard.push(`${event.network} ${event.loadedBytes}`) },
      )
      .catch(() => undefined);
    expect(heard).toEqual(['dinoEncoder 1']);
    // generate's too (a network closed under the budget reopens); stepsOnly leaves such events out
    const all: string[] = [];
    const steps: number[] = [];
    await engine
      .generate(generateRequest(), {
        onProgress: (event) => {
          all.push(event.kind);
          stepsOnly((step) => steps.push(step.step))(event);
        },
      })
      .catch(() => undefined);
    expect(all).toEqual(['load']);
    expect(steps).toEqual([]);
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the test'));
    await expect(engine.reconstruct({ image }, { signal: cancel.signal })).rejects.toThrow(
      'cancelled by the test',
    );
  });

  it("hands the task's signal and progress listener to its network calls too (a reopen under a tight budget)", async () => {
    const heard: string[] = [];
    const runtime: ModelSetRuntime<unknown> = {
      ...fakeRuntime('tight', []),
      encodeDino: async (_pixels, options) => {
        options?.onProgress?.(DINO_DOWNLOAD_STARTED);
        options?.signal?.throwIfAborted();
        throw new Error('stop here');
      },
    };
    const engine = new EngineService(async () => ({
      manifest: {
        id: 'tight',
        image: { resolution: 1, normalization: { mean: [0, 0, 0], std: [1, 1, 1] } },
      } as unknown as ModelSetManifest,
      manifestSha256: 'sha',
      runtime,
    }));
    await engine.loadModelSet({ source: { kind: 'directory', path: 'x' }, provider: 'auto' });
    const image = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    await expect(
      engine.reconstruct({ image }, { onProgress: (event) => heard.push(`${event.network} ${event.stage}`) }),
    ).rejects.toThrow('stop here');
    expect(heard).toEqual(['dinoEncoder download']);
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the test'));
    await expect(engine.encodeImages({ images: [image] }, { signal: cancel.signal })).rejects.toThrow(
      'cancelled by the test',
    );
  });

  it('refuses to generate before a model set is loaded', async () => {
    const engine = new EngineService(() => Promise.reject(new Error('unused')));
    await expect(engine.generate(generateRequest())).rejects.toMatchObject({
      code: 'runtime',
      message: 'no model set is loaded',
    });
  });
});
