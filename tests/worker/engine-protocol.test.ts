// The worker protocol end to end over a MessageChannel: results, progress, typed errors, cancellation;
// a task's events of a network opening after the load also reach the studio-wide observer (checked by
// the opening schema), and every call's end is told with its id.
import { describe, expect, it } from 'vitest';
import { SvgStudioError } from '../../src/engine/errors';
import { stepsOnly, type StudioEngine } from '../../src/engine/api/studio-engine';
import { ENGINE_METHOD_NAMES } from '../../src/engine/api/engine-methods';
import { WorkerEngineClient, type EngineCall, type EngineCallObserver } from '../../src/worker/engine-client';
import { serveEngine } from '../../src/worker/engine-server';
import { generateRequest } from '../engine/api/generate-request';

const request = generateRequest({ classId: 1, seed: 2, steps: 3, shift: 0.15, guidanceScale: 4 });

function connect(engine: StudioEngine, observer?: EngineCallObserver): WorkerEngineClient {
  const channel = new MessageChannel();
  serveEngine(engine, channel.port1 as never);
  channel.port1.start();
  channel.port2.start();
  return new WorkerEngineClient(channel.port2 as unknown as Worker, observer);
}

const fakeEngine = (overrides: Partial<StudioEngine>): StudioEngine => ({
  loadModelSet: () => Promise.reject(new Error('not used')),
  generate: () => Promise.reject(new Error('not used')),
  reconstruct: () => Promise.reject(new Error('not used')),
  encodeImages: () => Promise.reject(new Error('not used')),
  decodeLatents: () => Promise.reject(new Error('not used')),
  warmUp: () => Promise.reject(new Error('not used')),
  ...overrides,
});

describe('engine worker protocol', () => {
  it('forwards progress events and the result', async () => {
    const client = connect(
      fakeEngine({
        async generate(req, options) {
          for (let step = 1; step <= req.steps; step++)
            options?.onProgress?.({
              kind: 'step',
              step,
              steps: req.steps,
              t: step / req.steps,
              elapsedMs: step,
            });
          return {
            images: [{ width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) }],
            latentTokens: new Float32Array([0.5]),
            latentDims: [1, 1, 1],
            execution: { provider: 'cpu', adapter: 'fake', reason: 'test' },
            timings: { samplingMs: 1, decodeMs: 1, totalMs: 2 },
          };
        },
      }),
    );
    const steps: number[] = [];
    const result = await client.generate(request, { onProgress: stepsOnly((e) => steps.push(e.step)) });
    expect(steps).toEqual([1, 2, 3]);
    expect(Array.from(result.latentTokens)).toEqual([0.5]);
    expect(Array.from(result.images[0]!.data)).toEqual([1, 2, 3, 255]);
  });

  it('rebuilds named errors with their code', async () => {
    const client = connect(
      fakeEngine({
        generate: () => Promise.reject(new SvgStudioError('invalid-setting', 'steps must be 1..1000')),
      }),
    );
    const error = await client.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SvgStudioError);
    expect((error as SvgStudioError).code).toBe('invalid-setting');
    expect((error as Error).message).toBe('steps must be 1..1000');
  });

  it('turns an abort into a cancel message that reaches the engine', async () => {
    let sawAbort = false;
    const client = connect(
      fakeEngine({
        generate: (_req, options) =>
          new Promise((_resolve, reject) => {
            options?.signal?.addEventListener('abort', () => {
              sawAbort = true;
              reject(new SvgStudioError('cancelled', 'generation cancelled'));
            });
          }),
      }),
    );
    const controller = new AbortController();
    const pending = client.generate(request, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(sawAbort).toBe(true);
  });

  it('has one forwarding stub per row of the engine method table', async () => {
    const client = connect(fakeEngine({}));
    for (const method of ENGINE_METHOD_NAMES) expect(typeof client[method], method).toBe('function');
    // networkResidency is optional: an engine without it answers null
    expect(await client.networkResidency()).toBeNull();
  });

  it('fails a call whose answer is not a protocol message, by name', async () => {
    const channel = new MessageChannel();
    channel.port1.addEventListener('message', (event: MessageEvent<{ id: number }>) =>
      channel.port1.postMessage({ id: event.data.id, type: 'answer', value: 1 }),
    );
    channel.port1.start();
    channel.port2.start();
    const client = new WorkerEngineClient(channel.port2 as unknown as Worker);
    await expect(client.generate(request)).rejects.toMatchObject({
      code: 'runtime',
      message: expect.stringMatching(/malformed engine worker message \(type\)/),
    });
  });

  it('answers a malformed request by its id and a method the engine lacks by name', async () => {
    const channel = new MessageChannel();
    serveEngine(fakeEngine({}), channel.port1 as never);
    const answers: unknown[] = [];
    const answered = new Promise<void>((resolve) =>
      channel.port2.addEventListener('message', (event: MessageEvent) => {
        answers.push(event.data);
        if (answers.length === 2) resolve();
      }),
    );
    channel.port1.start();
    channel.port2.start();
    channel.port2.postMessage({ id: 7, type: 'call', method: 'formatDisk', request: {} });
    channel.port2.postMessage('not a message'); // no id: nothing to answer
    const noWarmUp = { ...fakeEngine({}), warmUp: undefined } as unknown as StudioEngine;
    const second = new MessageChannel();
    serveEngine(noWarmUp, second.port1 as never);
    second.port1.start();
    second.port2.start();
    const client = new WorkerEngineClient(second.port2 as unknown as Worker);
    await expect(client.warmUp({} as never)).rejects.toThrow('the engine has no warmUp method');
    channel.port2.postMessage({ id: 8, type: 'cancel', extra: 1 });
    channel.port2.postMessage({ id: 9, type: 'call', method: 'generate' });
    await answered;
    expect(answers).toEqual([
      {
        id: 7,
        type: 'error',
        error: expect.objectContaining({ code: 'runtime', message: expect.stringMatching(/method/) }),
      },
      {
        id: 9,
        type: 'error',
        error: expect.objectContaining({ code: 'runtime', message: expect.stringMatching(/request/) }),
      },
    ]);
  });

  it("tells the observer of a task's network openings and of every call's end, by call", async () => {
    const opening = {
      kind: 'load',
      file: 'dino_encoder.onnx',
      network: 'dinoEncoder',
      stage: 'download',
      loadedBytes: 3,
      totalBytes: 6,
    } as const;
    const client = connect(
      fakeEngine({
        async loadModelSet(_request, options) {
          // the load's own events are its caller's alone
          options?.onProgress?.({ ...opening, file: 'dit.onnx', network: 'dit' });
          throw new Error('no set here');
        },
        async encodeImages(_request, options) {
          options?.onProgress?.(opening);
          // not an opening event (no network): the caller hears it, the observer does not
          options?.onProgress?.({ ...opening, network: undefined } as never);
          return {} as never;
        },
      }),
      {
        opening: (event, call) => seen.push([event.file, event.loadedBytes, call]),
        settled: (call) => settled.push(call),
      },
    );
    const seen: Array<[string, number, EngineCall]> = [];
    const settled: EngineCall[] = [];
    const own: unknown[] = [];
    await expect(client.loadModelSet({} as never)).rejects.toThrow('no set here');
    await client.encodeImages({ images: [] }, { onProgress: (event) => own.push(event) });
    expect(seen).toEqual([['dino_encoder.onnx', 3, { method: 'encodeImages', id: 2 }]]);
    expect(own).toHaveLength(2);
    expect(settled).toEqual([
      { method: 'loadModelSet', id: 1 },
      { method: 'encodeImages', id: 2 },
    ]);
  });
});
