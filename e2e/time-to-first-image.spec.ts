// Time to first image, reported (not asserted: wall-clock limits belong to `npm run bench`): from opening
// the studio with an empty cache to the first generated image, then the same after a reload that loads the
// model set from Cache Storage.
import type { Page } from '@playwright/test';
import { E2E_MODEL_SET, expect, test } from './fixtures';
import { StudioPage } from './studio-page';

async function openAndGenerate(
  page: Page,
  studio: StudioPage,
  load: () => Promise<unknown>,
): Promise<number> {
  const started = Date.now();
  await load();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await studio.generateButton.click();
  await expect(studio.results.first()).toBeVisible();
  return Date.now() - started;
}

test('time to first image, cold and from the cache', async ({ page }) => {
  test.skip(test.info().project.name !== 'wasm', 'measured on the WASM project');
  const studio = new StudioPage(page);
  const url = `/?set=${E2E_MODEL_SET}`;
  const cold = await openAndGenerate(page, studio, () => page.goto(url));
  const cached = await openAndGenerate(page, studio, () => page.reload());
  const steps = await page.getByLabel('Steps', { exact: true }).inputValue();
  console.log(
    `time to first image (${E2E_MODEL_SET}, ${steps} steps, default provider): cold ${cold} ms, cached reload ${cached} ms`,
  );
});
