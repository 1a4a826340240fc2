// Cooperative scheduling for long engine loops. When a runtime's calls resolve without a real wait
// (onnxruntime-web's WASM provider often does), a sampling loop runs entirely in microtasks and the
// worker never reads its message queue: a Cancel would only arrive after the run. Yielding one
// macrotask per network call lets the cancel message in. MessageChannel avoids setTimeout's 4 ms clamp.

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    // Both the DOM's and Node's MessagePort take an onmessage handler; the engine compiles without the
    // DOM types (tsconfig.engine.json), where Node's type does not declare it.
    (port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
