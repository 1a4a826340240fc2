// The library's engine worker: the studio's engine (src/worker/web-engine.ts), configured by its first
// message (src/lib/worker-config.ts); every later message is the engine protocol (src/worker/protocol.ts).
import * as v from 'valibot';
import { setOrtRuntimeUrl } from '../runtime/ort-location';
import { serveEngine } from '../worker/engine-server';
import { createWebEngine } from '../worker/web-engine';
import { WORKER_CONFIG_SCHEMA } from './worker-config';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener(
  'message',
  (event) => {
    const config = v.safeParse(WORKER_CONFIG_SCHEMA, event.data);
    if (!config.success) {
      throw new TypeError(
        `the engine worker's first message must configure it (${v.flatten(config.issues).root?.join('; ') ?? 'invalid'}); got ${JSON.stringify(event.data)}`,
      );
    }
    if (config.output.runtime) setOrtRuntimeUrl(config.output.runtime);
    serveEngine(createWebEngine(), scope);
  },
  { once: true },
);
