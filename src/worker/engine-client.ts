// Main-thread StudioEngine that forwards every call to the engine worker. Components use the same
// StudioEngine interface whether inference runs in a worker (here) or in-process (Node CLI). Its methods
// are not written out: one forwarding stub per row of the engine's method table (engine/api/engine-methods.ts).
import * as v from 'valibot';
import { ENGINE_METHOD_NAMES } from '../engine/api/engine-methods';
import { deserializeError, RuntimeFailureError } from '../engine/errors';
import type { CallOptions, StudioEngine } from '../engine/api/studio-engine';
import {
  describeMalformed,
  OpeningProgressSchema,
  WorkerResponseSchema,
  type EngineMethod,
  type EngineMethods,
  type OpeningProgressMessage,
  type WorkerRequest,
} from './protocol';
import type { OpeningProgress } from '../engine/api/studio-engine';

/** Which engine call a message belongs to. */
export interface EngineCall {
  readonly method: EngineMethod;
  readonly id: number;
}

/** What the studio hears of every call besides its own caller (the Models bar and the task status lines). */
export interface EngineCallObserver {
  /** A call finished (the model bar then refreshes what is resident). */
  readonly settled?: (call: EngineCall) => void;
  /** A task call opening a network after the load reported a file's bytes or its session. */
  readonly opening?: (event: OpeningProgress, call: EngineCall) => void;
}

/** A checked opening event is a LoadProgressEvent (the compiler checks the schema against the type). */
const asOpeningProgress = (event: OpeningProgressMessage): OpeningProgress => event;

interface Pending {
  readonly method: EngineMethod;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress?: (event: unknown) => void;
}

type Forward = <M extends EngineMethod>(
  method: M,
  request: EngineMethods[M][0],
  options?: CallOptions<EngineMethods[M][1]>,
) => Promise<EngineMethods[M][2]>;

/** Every StudioEngine method as a stub that hands its name, request and options to `forward`. */
function forwardingStubs(forward: Forward): Required<StudioEngine> {
  const stub =
    (method: EngineMethod) => (request?: EngineMethods[EngineMethod][0], options?: CallOptions<unknown>) =>
      // networkResidency is called without a request; the protocol always carries one
      forward(method, request ?? {}, options);
  return Object.fromEntries(
    ENGINE_METHOD_NAMES.map((method) => [method, stub(method)]),
  ) as unknown as Required<StudioEngine>;
}

/** A base whose instances TypeScript knows to have every StudioEngine method (the constructor adds them). */
const StudioEngineStubs = class {} as new () => Required<StudioEngine>;

export class WorkerEngineClient extends StudioEngineStubs {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly worker: Worker,
    private readonly observer: EngineCallObserver = {},
  ) {
    super();
    Object.assign(
      this,
      forwardingStubs((method, request, options) => this.call(method, request, options)),
    );
    worker.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      const error = new Error(`the engine worker failed: ${event.message || 'unknown error'}`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
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

  private receive(data: unknown): void {
    const parsed = v.safeParse(WorkerResponseSchema, data);
    if (!parsed.success) {
      // Without a readable id nothing can be answered; with one, that call fails by name.
      const id = (data as { id?: unknown } | null)?.id;
      const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (pending && typeof id === 'number') {
        this.pending.delete(id);
        pending.reject(new RuntimeFailureError(describeMalformed(parsed.issues)));
      }
      return;
    }
    const message = parsed.output;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    const call = { method: pending.method, id: message.id };
    if (message.type === 'progress') {
      // The load's own events are the load's caller's; a task's opening events are shown studio-wide too.
      if (pending.method !== 'loadModelSet' && this.observer.opening) {
        const opening = v.safeParse(OpeningProgressSchema, message.event);
        if (opening.success) this.observer.opening(asOpeningProgress(opening.output), call);
      }
      pending.onProgress?.(message.event);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(deserializeError(message.error));
    this.observer.settled?.(call);
  }
}
