// ONNX Runtime's own files missing or wrong in a real browser (defect 10: they were blamed on
// dino_encoder.onnx). Each reload below serves one runtime file wrongly: the load fails with a message
// naming that file, its URL and the runtime, never a model file; the gallery, the stored preferences and
// the cached model files are the same afterwards, and once the files are back the set loads again.
import { playwrightCasesLine } from '../tests/bad-input/summary';
import { expect, test } from './fixtures';

/** The runtime faults this spec provokes (counted for the suite's per-surface line). */
const RUNTIME_FAULTS = [
  {
    name: '.wasm answers HTTP 404',
    file: 'ort-wasm-simd-threaded.wasm',
    answer: { status: 404, contentType: 'text/plain', body: 'Not found' },
    message:
      /ONNX Runtime file ort-wasm-simd-threaded\.wasm: http:\/\/[^ ]+\/ort\/ort-wasm-simd-threaded\.wasm answered HTTP 404/,
  },
  {
    name: '.mjs path serves the site page (text/html)',
    file: 'ort-wasm-simd-threaded.mjs',
    answer: { status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body>app</body></html>' },
    message:
      /ONNX Runtime file ort-wasm-simd-threaded\.mjs: http:\/\/[^ ]+\/ort\/ort-wasm-simd-threaded\.mjs served an HTML page/,
  },
] as const;

test.afterAll(() => {
  console.log(playwrightCasesLine('ONNX Runtime files', RUNTIME_FAULTS.length));
});

test('missing or wrong ONNX Runtime files are named as the runtime; gallery, preferences and cached models survive', async ({
  studio,
  page,
}) => {
  await studio.setSettings({ classId: 1, seed: 5, steps: 1, guidance: 2 });
  await studio.generateAndWait();
  const thumbnails = page.getByRole('button', { name: /^Open result: / });
  const userData = () =>
    page.evaluate(async () => ({
      preferences: Object.fromEntries(
        Object.entries(localStorage).filter(([key]) => key.startsWith('svg-studio.')),
      ),
      cachedModels: (
        await Promise.all((await caches.keys()).map(async (name) => (await caches.open(name)).keys()))
      )
        .flat()
        .map((request) => request.url)
        .sort(),
    }));
  const before = await userData();
  expect(before.cachedModels.length).toBeGreaterThan(0);

  for (const fault of RUNTIME_FAULTS) {
    await test.step(fault.name, async () => {
      await page.route(`**/ort/${fault.file}`, (route) => route.fulfill(fault.answer));
      await page.reload();
      await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'error', { timeout: 120_000 });
      await expect(studio.executionStatus).toContainText(fault.message);
      await expect(studio.executionStatus).toContainText('This is the inference runtime, not a model file');
      await expect(studio.executionStatus).not.toContainText('.onnx');
      await page.unroute(`**/ort/${fault.file}`);
      // The rest of the studio still works: the gallery shows the stored result.
      await page.getByRole('tab', { name: 'Gallery' }).click();
      await expect(thumbnails).toHaveCount(1);
      expect(await userData()).toEqual(before);
      await page.getByRole('tab', { name: 'Generate' }).click();
    });
  }

  // The files are back: the next start loads the set and the gallery still has its result.
  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  await page.getByRole('tab', { name: 'Gallery' }).click();
  await expect(thumbnails).toHaveCount(1);
  expect(await userData()).toEqual(before);
});
