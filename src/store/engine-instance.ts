// The studio's single engine: a WorkerEngineClient over the engine worker, created on first use.
import type { StudioEngine } from '../engine/api/studio-engine';
import { WorkerEngineClient } from '../worker/engine-client';
import type { EngineMethod } from '../worker/protocol';

let engine: StudioEngine | undefined;
const settledListeners = new Set<(method: EngineMethod) => void>();

/** Hears of every engine call that finished; returns the unsubscribe function. */
export function onEngineCallSettled(listener: (method: EngineMethod) => void): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

export function studioEngine(): StudioEngine {
  engine ??= new WorkerEngineClient(
    new Worker(new URL('../worker/engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'svg-engine',
    }),
    (method) => settledListeners.forEach((listener) => listener(method)),
  );
  return engine;
}
