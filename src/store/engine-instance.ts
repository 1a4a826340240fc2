// The studio's single engine: a WorkerEngineClient over the engine worker, created on first use.
import type { StudioEngine } from '../engine/studio-engine';
import { WorkerEngineClient } from '../worker/engine-client';

let engine: StudioEngine | undefined;

export function studioEngine(): StudioEngine {
  engine ??= new WorkerEngineClient(
    new Worker(new URL('../worker/engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'svg-engine',
    }),
  );
  return engine;
}
