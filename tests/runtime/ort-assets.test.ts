// The runtime-file check around ONNX Runtime's start: a start that works asks for no file; a failed or
// stuck start names the file, its URL and the runtime when a file is wrong; a slow network is waited for. The bad-input suite (tests/bad-input/runtime-files.test.ts) has the table of faults.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuntimeFailureError } from '../../src/engine/errors';
import { ORT_RUNTIME_FILES, startCheckingRuntimeFiles } from '../../src/runtime/ort-assets';
import { FakeModelHost, type Behaviour } from '../storage/fake-model-host';

const FOLDER = 'https://studio.test/app/ort/';
const SCRIPT: Behaviour = {
  body: new TextEncoder().encode('export default 1;'),
  contentType: 'text/javascript',
};
const WASM: Behaviour = {
  body: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0),
  contentType: 'application/wasm',
};
const never = <T>() => new Promise<T>(() => {});

describe('startCheckingRuntimeFiles', () => {
  it('lists files that onnxruntime-web ships (vite.config.ts copies them to ort/)', () => {
    for (const file of Object.values(ORT_RUNTIME_FILES).flat())
      expect(existsSync(`node_modules/onnxruntime-web/dist/${file}`), file).toBe(true);
  });

  it('asks for no file when ORT starts (the service worker would download them twice)', async () => {
    const host = new FakeModelHost();
    const started = await startCheckingRuntimeFiles('wasm', FOLDER, async () => 'ort', { fetch: host.fetch });
    expect(started).toBe('ort');
    expect(host.requests).toEqual([]);
  });

  it('names a definite fault once ORT has not started within the stall time', async () => {
    const host = new FakeModelHost();
    host.behaviours = [SCRIPT, { status: 404 }];
    await expect(
      startCheckingRuntimeFiles('wasm', FOLDER, never, { fetch: host.fetch, stallTimeoutMs: 20 }),
    ).rejects.toThrow(
      `ONNX Runtime file ort-wasm-simd-threaded.wasm: ${FOLDER}ort-wasm-simd-threaded.wasm answered HTTP 404`,
    );
  });

  it('keeps waiting for a slow start when the files only answer slowly (a slow network)', async () => {
    const host = new FakeModelHost();
    host.behaviours = [{ silent: true }, { silent: true }];
    const slowStart = () => new Promise<string>((resolve) => setTimeout(() => resolve('ort'), 100));
    const started = await startCheckingRuntimeFiles('webgpu', FOLDER, slowStart, {
      fetch: host.fetch,
      stallTimeoutMs: 20,
    });
    expect(started).toBe('ort');
  });

  it('prefers the file error to the vague one ORT gives for the same fault', async () => {
    const host = new FakeModelHost();
    host.behaviours = [{ status: 404 }, WASM];
    const error = await startCheckingRuntimeFiles(
      'wasm',
      FOLDER,
      () => Promise.reject(new Error('no available backend found. ERR: [wasm] TypeError: Failed to fetch')),
      { fetch: host.fetch },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeFailureError);
    expect((error as Error).message).toMatch(/^ONNX Runtime file ort-wasm-simd-threaded\.mjs: /);
  });

  it('names a .wasm that is neither WebAssembly nor a page, and an HTML page under another type', async () => {
    const failing = () => Promise.reject(new Error('no available backend found'));
    const host = new FakeModelHost();
    host.behaviours = [SCRIPT, { body: new TextEncoder().encode('PK\u0003\u0004 an archive') }];
    await expect(startCheckingRuntimeFiles('wasm', FOLDER, failing, { fetch: host.fetch })).rejects.toThrow(
      `${FOLDER}ort-wasm-simd-threaded.wasm does not start with the WebAssembly signature`,
    );
    host.behaviours = [{ body: new TextEncoder().encode('\n<!doctype html><title>x</title>') }, WASM];
    await expect(startCheckingRuntimeFiles('wasm', FOLDER, failing, { fetch: host.fetch })).rejects.toThrow(
      `${FOLDER}ort-wasm-simd-threaded.mjs served text starting "<!doctype html><title>x<" (an HTML page?)`,
    );
  });

  it("gives ORT's own error, with the build and folder, when every file answered", async () => {
    const host = new FakeModelHost();
    host.behaviours = [SCRIPT, WASM];
    await expect(
      startCheckingRuntimeFiles('wasm', FOLDER, () => Promise.reject(new Error('out of memory')), {
        fetch: host.fetch,
      }),
    ).rejects.toThrow(
      `ONNX Runtime (wasm build) did not start although its files at ${FOLDER} answered: out of memory`,
    );
  });
});
