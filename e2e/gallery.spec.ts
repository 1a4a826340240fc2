// Gallery journeys: results persist across a reload, "Use these settings" restores them, a downloaded PNG
// dropped back restores its settings, and a file that is not ours is refused with a message.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { LATENT_TEXT_KEY } from '../src/engine/formats/latent-payload';
import { decodePng } from '../src/engine/formats/png';
import { expect, test } from './fixtures';

async function dropFile(page: Page, name: string, type: string, bytes: Uint8Array) {
  await page.evaluate(
    ({ name, type, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type }));
      document.body.dispatchEvent(
        new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    },
    { name, type, data: Array.from(bytes) },
  );
}

test('keeps results across a reload, restores settings from the gallery and from a dropped PNG', async ({
  studio,
  page,
}, testInfo) => {
  await studio.setSettings({ classId: 3, seed: 4242, steps: 3, guidance: 2.5, batch: 2 });
  await studio.generateAndWait();
  const galleryTab = page.getByRole('tab', { name: 'Gallery' });
  await galleryTab.click();
  const thumbnails = page.getByRole('button', { name: /^Open result: .*seed 4242/ });
  await expect(thumbnails).toHaveCount(2);
  await expect(page.getByRole('status', { name: 'Gallery status' })).toContainText('saved in this browser');

  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
  await page.getByRole('tab', { name: 'Gallery' }).click();
  await expect(thumbnails).toHaveCount(2);
  await thumbnails.first().click();
  await page.getByRole('button', { name: /Favourite/ }).click();
  await expect(page.getByRole('button', { name: '★ Favourite' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('gallery.png'), fullPage: true });
  const download = await studio.download('Download PNG');
  const pngPath = testInfo.outputPath('from-gallery.png');
  await download.saveAs(pngPath);
  const saved = await decodePng(new Uint8Array(readFileSync(pngPath)));
  expect(saved.text[LATENT_TEXT_KEY]).toMatch(/^f16-deflate;1x\d+x\d+;/);

  // "Use these settings" brings the result's settings back into the workspace.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.getByLabel('Seed', { exact: true }).fill('1');
  await page.getByLabel('Steps', { exact: true }).fill('9');
  await page.getByRole('tab', { name: 'Gallery' }).click();
  await page.getByRole('button', { name: 'Use these settings' }).click();
  await expect(page.getByRole('status', { name: 'Studio notice' })).toHaveText(
    'Settings restored from the gallery.',
  );
  await page.getByRole('tab', { name: 'Generate' }).click();
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('4242');
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('3');

  // Dropping the downloaded PNG restores its settings too.
  await page.getByLabel('Seed', { exact: true }).fill('5');
  await dropFile(page, 'from-gallery.png', 'image/png', readFileSync(pngPath));
  await expect(page.getByRole('status', { name: 'Studio notice' })).toHaveText(
    'Settings restored from from-gallery.png.',
  );
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('4242');
  await expect(page.getByLabel('Guidance scale', { exact: true })).toHaveValue('2.5');

  // A file that is not one of ours is refused with a message, and nothing is lost.
  await dropFile(page, 'notes.txt', 'text/plain', new TextEncoder().encode('hello'));
  await expect(page.getByRole('status', { name: 'Studio notice' })).toHaveText('notes.txt: not a PNG file');
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('4242');
  await page.getByRole('tab', { name: 'Gallery' }).click();
  await expect(thumbnails).toHaveCount(2);
});
