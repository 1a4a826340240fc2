// The model manager journey on WASM: load the bundled set by its manifest URL with visible progress,
// generate; bad URLs give a clear message and leave the studio on its set; local files load uncached;
// then, with every model request blocked, a reload still loads the set from the cache and generates.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ModelsPage } from './models-page';
import { StudioPage } from './studio-page';

const SETTINGS = { classId: 1, seed: 7, steps: 2, guidance: 4 };
const FILES = ['dino_encoder.onnx', 'residual_encoder.onnx', 'decoder.onnx', 'dit.onnx'];

async function generateOnce(studio: StudioPage): Promise<void> {
  await studio.page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings(SETTINGS);
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
}

test('loads a set by URL, then offline from the cache', async ({ page, baseURL }, testInfo) => {
  const studio = new StudioPage(page);
  const models = new ModelsPage(page);
  await studio.open('random-tiny', 'wasm');
  await models.openView();
  await expect(models.capabilityReport).toContainText('WASM was selected');

  // The start-up load cached the set; delete it so that the load by URL downloads.
  await expect(models.cachedSets).toContainText('random-tiny');
  await models.deleteCachedSet('random-tiny');

  await models.loadUrl(`${baseURL}/models/random-tiny/manifest.json`);
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await expect(studio.executionStatus).toHaveAttribute('data-provider', 'wasm');
  for (const file of FILES) {
    await expect(models.fileRow(file)).toHaveAttribute('data-from-cache', 'false');
  }
  await expect(models.fileRow('decoder.onnx')).toContainText('3.0 MiB / 3.0 MiB');
  await expect(models.progress.locator('tfoot')).toContainText('7.4 MiB / 7.4 MiB');
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'stored');
  await expect(models.cachedSets).toContainText('random-tiny');
  await page.screenshot({ path: testInfo.outputPath('models.png'), fullPage: true });

  // Bad sources: a clear message each, and the studio stays on the loaded set.
  await models.loadUrl('http://127.0.0.1:9/models/nowhere/manifest.json');
  await expect(models.loadError).toContainText('is unreachable');
  await models.loadUrl(`${baseURL}/index.html`);
  await expect(models.loadError).toContainText('is not a model-set manifest');
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');

  // Local files: read from disk, not cached.
  await models.filesInput.setInputFiles(
    ['manifest.json', ...FILES].map((name) => path.resolve('public/models/random-tiny', name)),
  );
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'uncached');
  await expect(models.cacheStatus).toContainText('Local files are read from disk');
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await generateOnce(studio);

  // Offline for model files: the reload loads from the cache.
  await page.route('**/models/**', (route) => route.abort());
  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  await page.getByLabel('Execution provider').selectOption('wasm');
  await expect(studio.executionStatus).toContainText('Running on WASM');
  await models.openView();
  await expect(models.fileRow('dit.onnx')).toHaveAttribute('data-from-cache', 'true');
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'cached');
  await expect(models.cacheStatus).toContainText('using the cached copy');
  await generateOnce(studio);
});
