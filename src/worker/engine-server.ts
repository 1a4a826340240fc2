// Worker side of the protocol: checks each message's envelope (protocol.ts), dispatches calls to a
// StudioEngine by the engine's method table, forwards progress, maps errors to their serialisable form
// and turns 'cancel' messages into AbortSignals.
import * as v from 'valibot';
import { ENGINE_METHODS } from '../engine/api/engine-methods';
import { RuntimeFailureError, serializeError } from '../engine/errors';
import type { StudioEngine } from '../engine/api/studio-engine';
import { describeMalformed, WorkerRequestSchema, type WorkerRequest, type WorkerResponse } from './protocol';

interface MessagePort {
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}

/** Buffers of images and latents are transferred, not copied. */
function transferablesOf(value: unknown, found: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferablesOf(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) transferablesOf(item, found);
  }
  return found;
}

export function serveEngine(engine: StudioEngine, port: MessagePort): void {
  const running = new Map<number, AbortController>();
  const send = (response: WorkerResponse) => port.postMessage(response, [...transferablesOf(response)]);

  port.addEventListener('message', (event) => {
    const parsed = v.safeParse(WorkerRequestSchema, event.data);
    if (!parsed.success) {
      // Answer by id where the message has one, so the caller's promise fails instead of hanging.
      const id = (event.data as { id?: unknown } | null)?.id;
      const error = serializeError(new RuntimeFailureError(describeMalformed(parsed.issues)));
      if (typeof id === 'number') send({ id, type: 'error', error });
      return;
    }
    const message = parsed.output;
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    const options = {
      signal: controller.signal,
      onProgress: (progress: unknown) =>
        send({ id: message.id, type: 'progress', event: progress as WorkerResponse & never }),
    };
    const implementation = engine[message.method];
    const missing = async () => {
      // An optional method of the table (networkResidency) answers null on engines without it.
      if (ENGINE_METHODS[message.method].optional) return null;
      throw new RuntimeFailureError(`the engine has no ${message.method} method`);
    };
    const method = (implementation?.bind(engine) ?? missing) as (
      request: unknown,
      opts: typeof options,
    ) => Promise<unknown>;
    method(message.request, options)
      .then((result) => send({ id: message.id, type: 'result', result: result as never }))
      .catch((error: unknown) => send({ id: message.id, type: 'error', error: serializeError(error) }))
      .finally(() => running.delete(message.id));
  });
}
