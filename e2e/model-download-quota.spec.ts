// With the origin's storage quota really capped (DevTools protocol), streamed cache writes fail part-way:
// the load continues uncached (the file is read again into memory), says so, and the set generates.
import { expect, test } from '@playwright/test';
import { E2E_MODEL_SET } from './fixtures';
import { ModelsPage } from './models-page';
import { StudioPage } from './studio-page';

test.use({ serviceWorkers: 'block' });

test('a full storage quota: streamed writes give up, the load continues uncached and says so', async ({
  page,
  baseURL,
}) => {
  const studio = new StudioPage(page);
  const models = new ModelsPage(page);
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(baseURL!).origin,
    quotaSize: 256 * 1024,
  });
  await studio.open(E2E_MODEL_SET, 'wasm');
  await models.openView();
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'uncached');
  await expect(models.cacheStatus).toContainText('the storage quota is exceeded');
  await expect(models.cacheStatus).toContainText('continued without caching');
  const keys = await page.evaluate(async () =>
    (await (await caches.open('svg-studio-models-v1')).keys()).map((r) => new URL(r.url).pathname),
  );
  expect(keys.filter((key) => !key.includes('/set/'))).toEqual([]);
  await page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings({ classId: 1, seed: 7, steps: 2, guidance: 4 });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
});
