// The first message the library sends its engine worker (src/lib/engine-worker.ts): where ONNX
// Runtime's files are, since a page embedding the engine need not lie beside the studio's build.
import * as v from 'valibot';

export const WORKER_CONFIG_SCHEMA = v.object({
  type: v.literal('svg-studio:configure'),
  /** ORT runtime folder URL, or null for the ort/ folder beside the built app. */
  runtime: v.nullable(v.pipe(v.string(), v.url())),
});
export type WorkerConfig = v.InferOutput<typeof WORKER_CONFIG_SCHEMA>;
