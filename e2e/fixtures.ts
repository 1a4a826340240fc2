// Shared Playwright fixtures: the `provider` option each project sets, the studio page object
// opened on the bundled default model set with that provider selected, and the full-quota start.
import { readFileSync } from 'node:fs';
import { expect, test as base, type Page } from '@playwright/test';
import { ModelsPage } from './models-page';
import { StudioPage } from './studio-page';

/** The bundled default set (public/models/index.json), which every journey opens unless it says otherwise. */
export const E2E_MODEL_SET: string = (
  JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { default: string }
).default;
/** The bundled set whose solver x steps figures the evaluation committed (docs/svg-mini/metrics.json). */
export const SOLVER_FIGURES_SET = 'svg-mini';

export const test = base.extend<{ provider: 'webgpu' | 'wasm'; studio: StudioPage }>({
  provider: ['wasm', { option: true }],
  studio: async ({ page, provider }, use) => {
    const studio = new StudioPage(page);
    await studio.open(E2E_MODEL_SET, provider);
    await use(studio);
  },
});

/**
 * Caps the origin's storage quota at 256 KiB, opens the bundled set on WASM and waits for the Models
 * view to say it loaded uncached because the quota is exceeded. A real quota, not a stub (DevTools
 * protocol): Chromium then refuses the Cache Storage writes with QuotaExceededError part-way.
 */
export async function openWithFullQuota(
  page: Page,
  baseURL: string | undefined,
): Promise<{ studio: StudioPage; models: ModelsPage }> {
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
  return { studio, models };
}

export { expect };
