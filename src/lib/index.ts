// svg-studio in the browser: `createSvgEngine({ models })` loads a model set in its own Web Worker (the
// studio's engine: WebGPU, else WASM; files cached by SHA-256 in Cache Storage) and returns the API of
// src/lib/engine-api.ts. Documented in README "The engine as a library"; example: examples/demo-page/.
//
//   const engine = await createSvgEngine({ models: './models/svg-mini-v2/manifest.json' });
//   const { images, metadata } = await engine.generate({ classId: 'cat', seed: 7 });
import * as v from 'valibot';
import { ProviderPreferenceSchema } from '../engine/providers';
import { WorkerEngineClient } from '../worker/engine-client';
import { describeIssues, engineApi, type EngineOptions, type SvgEngine } from './engine-api';
import type { WorkerConfig } from './worker-config';

export * from './engine-api';

export interface BrowserEngineOptions extends EngineOptions {
  /**
   * Folder holding onnxruntime-web's runtime files (ort-wasm-simd-threaded.*.mjs/.wasm). Default: the
   * ort/ folder of the build this module is part of; set it when your own bundler builds the page.
   */
  readonly runtime?: string;
}

const OPTIONS_SCHEMA = v.object({
  models: v.pipe(v.string('models must be a manifest.json URL'), v.nonEmpty('models must not be empty')),
  provider: v.optional(ProviderPreferenceSchema),
  runtime: v.optional(v.string('runtime must be a folder URL')),
  onProgress: v.optional(v.function('onProgress must be a function')),
});

export async function createSvgEngine(options: BrowserEngineOptions): Promise<SvgEngine> {
  const checked = v.safeParse(OPTIONS_SCHEMA, options);
  if (!checked.success) throw new TypeError(`createSvgEngine: ${describeIssues(checked.issues)}`);
  const { models, provider = 'auto', runtime } = checked.output;
  const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
    type: 'module',
    name: 'svg-engine',
  });
  const config: WorkerConfig = {
    type: 'svg-studio:configure',
    runtime: runtime ? new URL(runtime, document.baseURI).href : null,
  };
  worker.postMessage(config);
  const client = new WorkerEngineClient(worker);
  try {
    const loaded = await client.loadModelSet(
      { source: { kind: 'url', url: new URL(models, document.baseURI).href }, provider },
      options.onProgress ? { onProgress: options.onProgress } : undefined,
    );
    return engineApi(client, loaded, async () => worker.terminate());
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
