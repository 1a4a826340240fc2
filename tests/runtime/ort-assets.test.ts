// The runtime-file check that runs while ONNX Runtime starts: it never delays or fails a start that
// works, it names the file, its URL and the runtime when a file is wrong, and it stops its requests once
// ORT has started. The bad-input suite (tests/bad-input/runtime-files.test.ts) has the table of faults.
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

  it('returns what ORT started when its files answer, asking for each file once', async () => {
    const host = new FakeModelHost();
    host.behaviours = [SCRIPT, WASM];
    const started = await startCheckingRuntimeFiles('wasm', FOLDER, async () => 'ort', { fetch: host.fetch });
    expect(started).toBe('ort');
    expect(host.requests.map((request) => request.url)).toEqual(
      ORT_RUNTIME_FILES.wasm.map((file) => `${FOLDER}${file}`),
    );
  });

  it('does not wait for a silent host once ORT has started (its files came from elsewhere, e.g. a cache)', async () => {
    const host = new FakeModelHost();
    host.behaviours = [{ silent: true }, { silent: true }];
    const started = await startCheckingRuntimeFiles('webgpu', FOLDER, async () => 'ort', {
      fetch: host.fetch,
      stallTimeoutMs: 60_000,
    });
    expect(started).toBe('ort');
  });

  it('names the file at once while ORT still hangs on it', async () => {
    const host = new FakeModelHost();
    host.behaviours = [SCRIPT, { status: 404 }];
    await expect(startCheckingRuntimeFiles('wasm', FOLDER, never, { fetch: host.fetch })).rejects.toThrow(
      `ONNX Runtime file ort-wasm-simd-threaded.wasm: ${FOLDER}ort-wasm-simd-threaded.wasm answered HTTP 404`,
    );
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
