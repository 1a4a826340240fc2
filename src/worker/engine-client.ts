// Main-thread StudioEngine that forwards every call to the engine worker. Components use the same
// StudioEngine interface whether inference runs in a worker (here) or in-process (Node CLI).
import { deserializeError } from '../engine/errors';
import type { CallOptions, StudioEngine } from '../engine/studio-engine';
import type { EngineMethod, EngineMethods, WorkerRequest, WorkerResponse } from './protocol';

interface Pending {
  readonly method: EngineMethod;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress?: (event: unknown) => void;
}

export class WorkerEngineClient implements StudioEngine {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `onCallSettled` hears of every call that finished (the model bar then refreshes what is resident). */
  constructor(
    private readonly worker: Worker,
    private readonly onCallSettled?: (method: EngineMethod) => void,
  ) {
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      const error = new Error(`the engine worker failed: ${event.message || 'unknown error'}`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  loadModelSet(
    request: EngineMethods['loadModelSet'][0],
    options?: CallOptions<EngineMethods['loadModelSet'][1]>,
  ) {
    return this.call('loadModelSet', request, options);
  }

  generate(request: EngineMethods['generate'][0], options?: CallOptions<EngineMethods['generate'][1]>) {
    return this.call('generate', request, options);
  }

  reconstruct(request: EngineMethods['reconstruct'][0], options?: CallOptions<never>) {
    return this.call('reconstruct', request, options);
  }

  encodeImages(request: EngineMethods['encodeImages'][0], options?: CallOptions<never>) {
    return this.call('encodeImages', request, options);
  }

  decodeLatents(request: EngineMethods['decodeLatents'][0], options?: CallOptions<never>) {
    return this.call('decodeLatents', request, options);
  }

  warmUp(request: EngineMethods['warmUp'][0], options?: CallOptions<EngineMethods['warmUp'][1]>) {
    return this.call('warmUp', request, options);
  }

  networkResidency(request: EngineMethods['networkResidency'][0] = {}) {
    return this.call('networkResidency', request);
  }

  private call<M extends EngineMethod>(
    method: M,
    request: EngineMethods[M][0],
    options?: CallOptions<EngineMethods[M][1]>,
  ): Promise<EngineMethods[M][2]> {
    const id = this.nextId++;
    return new Promise<EngineMethods[M][2]>((resolve, reject) => {
      this.pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(options?.onProgress ? { onProgress: options.onProgress as (event: unknown) => void } : {}),
      });
      options?.signal?.addEventListener('abort', () => this.worker.postMessage({ id, type: 'cancel' }), {
        once: true,
      });
      this.worker.postMessage({ id, type: 'call', method, request } as WorkerRequest);
    });
  }

  private receive(message: WorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.event);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(deserializeError(message.error));
    this.onCallSettled?.(pending.method);
  }
}
