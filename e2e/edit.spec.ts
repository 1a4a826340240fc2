// Edit journey on the bundled default set (E2E_MODEL_SET): a region edit with a box drawn by mouse (refined in the
// numeric fields), then before and after side by side.
import { readFileSync } from 'node:fs';
import { readStoredLatent } from '../src/engine/formats/latent-payload';
import { decodePng } from '../src/engine/formats/png';
import { expect, test } from './fixtures';
import { EditPage } from './edit-page';

test('runs a region edit with a drawn box', async ({ studio, page }, testInfo) => {
  void studio;
  const view = new EditPage(page);
  await view.open();
  await view.settings({ strength: 0.8, seed: 7, guidance: 2 });
  await view.drawBox(0.1, 0.1, 0.6, 0.6);
  await expect(page.getByLabel('Region edit')).toBeChecked();
  const width = Number(await page.getByLabel('Box width', { exact: true }).inputValue());
  expect(width).toBeGreaterThan(0.4);
  expect(width).toBeLessThan(0.6);
  await page.getByLabel('Keep region').selectOption('outside');
  await view.edit();
  await expect(page.getByRole('img', { name: 'Before', exact: true })).toBeVisible();
  await expect(page.getByLabel('Edit summary')).toContainText('keeping outside the box');
  await page.screenshot({ path: testInfo.outputPath('edit.png'), fullPage: true });

  // the result saved with its latent opens again as an exact source
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PNG' }).click();
  const path = await (await download).path();
  const { text } = await decodePng(new Uint8Array(readFileSync(path)));
  const stored = await readStoredLatent(text);
  expect(stored?.dims.slice(0, 1)).toEqual([1]);
  await page.getByLabel('PNG with stored latent to edit').setInputFiles(path);
  await expect(page.getByRole('img', { name: 'After', exact: true })).toBeHidden();
  await view.edit();
});

test('names a missing box instead of editing', async ({ studio, page }) => {
  void studio;
  const view = new EditPage(page);
  await view.open();
  await page.getByLabel('Region edit').check();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(
    'region box must lie inside the image with a non-zero size',
  );
});
