// The studio's single engine: a WorkerEngineClient over the engine worker, created on first use, and the
// studio-wide listeners of its calls (the Models bar's residency and the networks a task is opening).
import type { OpeningProgress, StudioEngine } from '../engine/api/studio-engine';
import { WorkerEngineClient, type EngineCall } from '../worker/engine-client';

let engine: StudioEngine | undefined;
const settledListeners = new Set<(call: EngineCall) => void>();
const openingListeners = new Set<(event: OpeningProgress, call: EngineCall) => void>();

/** Hears of every engine call that finished; returns the unsubscribe function. */
export function onEngineCallSettled(listener: (call: EngineCall) => void): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

/**
 * Hears the progress of every task call that opens a network after the load (its download, its session
 * being created, then open); returns the unsubscribe function.
 */
export function onNetworkOpening(listener: (event: OpeningProgress, call: EngineCall) => void): () => void {
  openingListeners.add(listener);
  return () => openingListeners.delete(listener);
}

export function studioEngine(): StudioEngine {
  engine ??= new WorkerEngineClient(
    new Worker(new URL('../worker/engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'svg-engine',
    }),
    {
      settled: (call) => settledListeners.forEach((listener) => listener(call)),
      opening: (event, call) => openingListeners.forEach((listener) => listener(event, call)),
    },
  );
  return engine;
}
