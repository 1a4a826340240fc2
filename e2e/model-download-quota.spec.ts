// With the origin's storage quota really capped (DevTools protocol), streamed cache writes fail part-way:
// the load continues uncached (the file is read again into memory), says so, and the set generates.
import { expect, test } from '@playwright/test';
import { openWithFullQuota } from './fixtures';

test.use({ serviceWorkers: 'block' });

test('a full storage quota: streamed writes give up, the load continues uncached and says so', async ({
  page,
  baseURL,
}) => {
  const { studio } = await openWithFullQuota(page, baseURL);
  const keys = await page.evaluate(async () =>
    (await (await caches.open('svg-studio-models-v1')).keys()).map((r) => new URL(r.url).pathname),
  );
  expect(keys.filter((key) => !key.includes('/set/'))).toEqual([]);
  await page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings({ classId: 1, seed: 7, steps: 2, guidance: 4 });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
});
