// The model manager journeys on WASM. One: load the bundled set by its manifest URL with visible
// progress, generate; bad URLs give a clear message and leave the studio on its set; local files load
// uncached; then, with every model request blocked, a reload still loads the set from the cache and
// generates. Two: with the origin's storage quota really capped (DevTools protocol), the set loads
// uncached and says so; a set larger than the device can hold is refused before any file downloads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatBytes } from '../src/engine/download-progress';
import { NETWORK_ROLES, parseManifest, TASK_NETWORKS } from '../src/engine/model-set';
import { E2E_MODEL_SET, openWithFullQuota } from './fixtures';
import { ModelsPage } from './models-page';
import { StudioPage } from './studio-page';

const SETTINGS = { classId: 1, seed: 7, steps: 2, guidance: 4 };
const SET_DIR = path.resolve('public/models', E2E_MODEL_SET);
const MANIFEST = parseManifest(
  JSON.parse(readFileSync(path.join(SET_DIR, 'manifest.json'), 'utf8')),
  SET_DIR,
);
/** A load opens the generation networks (float32 on WASM); the encoders open when a view needs them. */
const NETWORKS = TASK_NETWORKS.generate.map((role) => MANIFEST.networks[role].variants.float32);
const FILES = NETWORKS.map((entry) => entry.file);
const ALL_FILES = NETWORK_ROLES.map((role) => MANIFEST.networks[role].variants.float32.file);

async function generateOnce(studio: StudioPage): Promise<void> {
  await studio.page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings(SETTINGS);
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
}

test('loads a set by URL, then offline from the cache', async ({ page, baseURL }, testInfo) => {
  const studio = new StudioPage(page);
  const models = new ModelsPage(page);
  await studio.open(E2E_MODEL_SET, 'wasm');
  await models.openView();
  await expect(models.capabilityReport).toContainText('WASM was selected');
  // Each network's chosen variant (float32 on WASM: svg-mini's float16 files need shader-f16 WebGPU)
  const variants = page.getByRole('table', { name: 'Chosen variants' });
  for (const role of NETWORK_ROLES) {
    await expect(variants.locator(`tr[data-network="${role}"]`)).toHaveAttribute('data-precision', 'float32');
  }
  // The top bar: the load opened the DiT and the decoder; the encoders open when a view needs them.
  const sessions = page.getByRole('status', { name: 'Open sessions' });
  for (const role of NETWORK_ROLES) {
    const open = (TASK_NETWORKS.generate as readonly string[]).includes(role);
    await expect(sessions.locator(`[data-network="${role}"]`)).toHaveAttribute('data-resident', String(open));
  }

  // The start-up load cached the set; delete it so that the load by URL downloads.
  await expect(models.cachedSets).toContainText(E2E_MODEL_SET);
  await models.deleteCachedSet(E2E_MODEL_SET);
  await expect(page.getByText(`Deleted the cached files of ${E2E_MODEL_SET}`)).toBeVisible();

  await models.loadUrl(`${baseURL}/models/${E2E_MODEL_SET}/manifest.json`);
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await expect(studio.executionStatus).toHaveAttribute('data-provider', 'wasm');
  for (const file of FILES) {
    await expect(models.fileRow(file)).toHaveAttribute('data-from-cache', 'false');
  }
  const decoderSize = formatBytes(MANIFEST.networks.decoder.variants.float32.bytes);
  await expect(models.fileRow('decoder.onnx')).toContainText(`${decoderSize} / ${decoderSize}`);
  const setSize = formatBytes(NETWORKS.reduce((sum, entry) => sum + entry.bytes, 0));
  await expect(models.progress.locator('tfoot')).toContainText(`${setSize} / ${setSize}`);
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'stored');
  await expect(models.cachedSets).toContainText(E2E_MODEL_SET);
  await expect(page.getByText('Deleted the cached files')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('models.png'), fullPage: true });

  // Bad sources: a clear message each, and the studio stays on the loaded set.
  await models.loadUrl('http://127.0.0.1:9/models/nowhere/manifest.json');
  await expect(models.loadError).toContainText('is unreachable');
  await models.loadUrl(`${baseURL}/index.html`);
  await expect(models.loadError).toContainText('is not a model-set manifest');
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');

  // Local files: read from disk, not cached.
  await models.filesInput.setInputFiles(
    ['manifest.json', ...ALL_FILES].map((name) => path.join(SET_DIR, name)),
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

test('a full storage quota loads uncached; a set too large for the device is refused', async ({
  page,
  baseURL,
}, testInfo) => {
  const { studio, models } = await openWithFullQuota(page, baseURL);
  await page.screenshot({ path: testInfo.outputPath('quota-full.png'), fullPage: true });
  await generateOnce(studio);

  // The same set claiming a 5 GiB DiT: more than the 4 GiB heap of 32-bit WASM. Only its manifest may
  // be requested; the studio stays on the loaded set.
  const huge = {
    ...MANIFEST,
    id: 'too-large',
    networks: {
      ...MANIFEST.networks,
      dit: {
        ...MANIFEST.networks.dit,
        variants: { float32: { ...MANIFEST.networks.dit.variants.float32, bytes: 5 * 1024 ** 3 } },
      },
    },
  };
  const requested: string[] = [];
  await page.context().route('**/models/too-large/**', async (route) => {
    requested.push(new URL(route.request().url()).pathname);
    if (route.request().url().endsWith('manifest.json')) await route.fulfill({ json: huge });
    else await route.abort();
  });
  await models.openView();
  await models.loadUrl(`${baseURL}/models/too-large/manifest.json`);
  await expect(models.loadError).toContainText('too-large needs about');
  await expect(models.loadError).toContainText('more than the 4 GiB heap of 32-bit WASM');
  await expect(models.loadError).toContainText('Nothing was downloaded');
  expect(requested).toEqual(['/models/too-large/manifest.json']);
  await expect(models.capabilityReport).toContainText('WASM was selected'); // the running set's report
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await page.screenshot({ path: testInfo.outputPath('too-large.png'), fullPage: true });
  await generateOnce(studio);
});
