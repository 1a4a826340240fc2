// Live previews are seen: after a first run has measured this device's step and decode times, a long run
// shows the clean-image preview, and it stays on screen while later steps run (it used to live for one
// step) until the run ends. The warm-up that runs after the load never blocks the Generate.
import { E2E_MODEL_SET, expect, test } from './fixtures';

test('a live preview stays on screen between preview steps', async ({ page, studio }) => {
  test.skip(test.info().project.name !== 'wasm', 'journeys run on the WASM project');
  const status = page.getByRole('status', { name: 'Run status' });
  const preview = page.getByRole('img', { name: 'Preview 1' });
  await studio.setSettings({ classId: 1, seed: 3, steps: 4, guidance: 4, previews: true });
  await studio.generateButton.click(); // measures step and decode times for the cost model
  await expect(studio.results.first()).toBeVisible();

  await page.getByLabel('Steps', { exact: true }).fill('60');
  await studio.generateButton.click();
  await expect(preview).toBeVisible();
  const shownAt = Number(await page.locator('.previews').getAttribute('data-preview-step'));
  // a later step is running and the preview is still there
  await expect
    .poll(async () => {
      const step = Number((await status.textContent())?.match(/Step (\d+)/)?.[1] ?? 0);
      return step > shownAt && (await preview.isVisible());
    })
    .toBe(true);
  await expect(status).toBeHidden({ timeout: 280_000 }); // the run ended
  await expect(preview).toBeHidden(); // the final image replaces the previews
  console.log(`${E2E_MODEL_SET}: preview from step ${shownAt} stayed on screen through later steps`);
});
