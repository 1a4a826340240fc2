// Browser side of `npm run bench` (a module Web Worker the bench opens on the Vite dev server): one DiT
// session on onnxruntime-web's WASM build, the same ONNX file and batch as the onnxruntime-node side,
// and the wall time of every forward from the first after a fresh load, so the bench sees the baseline
// WebAssembly tier, the optimised tier and where one turns into the other.
import { prepareWebRuntime } from '../runtime/ort-web';
import { describeError } from '../engine/api/describe-error';

export interface BrowserDitRequest {
  readonly modelUrl: string;
  readonly batch: number;
  readonly tokens: number;
  readonly channels: number;
  readonly forwards: number;
}

export interface BrowserDitReport {
  /** import, WebAssembly compile and thread start of the runtime */
  readonly runtimeReadyMs: number;
  readonly sessionMs: number;
  readonly forwardTimesMs: readonly number[];
  readonly threads: number;
  readonly crossOriginIsolated: boolean;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<BrowserDitRequest>) => {
  try {
    const { modelUrl, batch, tokens, channels, forwards } = event.data;
    const started = performance.now();
    const ort = await prepareWebRuntime('wasm');
    const runtimeReadyMs = performance.now() - started;
    const bytes = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
    const sessionStart = performance.now();
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    const sessionMs = performance.now() - sessionStart;
    const x = Float32Array.from({ length: batch * tokens * channels }, (_, i) => 0.5 * Math.sin(i));
    const feeds = {
      x: new ort.Tensor('float32', x, [batch, tokens, channels]),
      t: new ort.Tensor('float32', new Float32Array(batch).fill(0.5), [batch]),
      y: new ort.Tensor('int64', new BigInt64Array(batch), [batch]),
    };
    const forwardTimesMs: number[] = [];
    for (let i = 0; i < forwards; i++) {
      const start = performance.now();
      const outputs = await session.run(feeds);
      forwardTimesMs.push(performance.now() - start);
      for (const output of Object.values(outputs)) output.dispose();
    }
    await session.release();
    const report: BrowserDitReport = {
      runtimeReadyMs,
      sessionMs,
      forwardTimesMs,
      threads: ort.env.wasm.numThreads ?? 1,
      crossOriginIsolated: scope.crossOriginIsolated,
    };
    scope.postMessage({ ok: true, report });
  } catch (error) {
    scope.postMessage({ ok: false, error: describeError(error) });
  }
};
