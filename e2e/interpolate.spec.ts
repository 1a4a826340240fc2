// Interpolation journey on the bundled default set (E2E_MODEL_SET): two sample images, 8 linear frames, scrub, play,
// and a GIF export whose frame count is read back from the downloaded file.
import { readFileSync } from 'node:fs';
import { parseGif } from '../tests/engine/gif-parser';
import { expect, test } from './fixtures';
import { InterpolatePage } from './interpolate-page';

test('interpolates two images in 8 frames and exports a GIF of 8 frames', async ({
  studio,
  page,
}, testInfo) => {
  void studio;
  const view = new InterpolatePage(page);
  await view.open();
  await view.chooseSamples('cat', 'apple');
  await view.interpolate(8, 'linear');
  await expect(page.getByRole('img', { name: /^Linear thumbnail/ })).toHaveCount(8);
  await view.scrubTo(5);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();

  const download = await view.export('Export GIF');
  expect(download.suggestedFilename()).toBe('interpolation-linear-8f.gif');
  const gif = parseGif(new Uint8Array(readFileSync(await download.path())));
  expect(gif.frames).toHaveLength(8);
  expect(gif.loops).toBe(0);

  const strip = await view.export('Export PNG strip');
  expect(strip.suggestedFilename()).toBe('interpolation-linear-8f.png');
  await page.screenshot({ path: testInfo.outputPath('interpolate.png'), fullPage: true });
});

test('compares linear and spherical side by side', async ({ studio, page }, testInfo) => {
  void studio;
  const view = new InterpolatePage(page);
  await view.open();
  await view.chooseSamples('shapes', 'sunset');
  await view.interpolate(4, 'compare');
  await expect(page.getByRole('img', { name: /^Linear thumbnail/ })).toHaveCount(4);
  await expect(page.getByRole('img', { name: /^Spherical thumbnail/ })).toHaveCount(4);
  await page.screenshot({ path: testInfo.outputPath('interpolate-compare.png'), fullPage: true });
});

test('samples a four-corner grid between seeds in noise space', async ({ studio, page }, testInfo) => {
  void studio;
  const view = new InterpolatePage(page);
  await view.open();
  await page.getByRole('combobox', { name: 'Endpoints', exact: true }).selectOption('seeds');
  await page.getByLabel('Grid mode (four corners)').check();
  for (const [slot, seed] of [
    ['A', 11],
    ['B', 12],
    ['C', 13],
    ['D', 14],
  ] as const)
    await page.getByLabel(`Seed ${slot}`, { exact: true }).fill(String(seed));
  await view.interpolate(3, 'spherical');
  await expect(page.getByRole('img', { name: /^Spherical thumbnail/ })).toHaveCount(9);
  const strip = await view.export('Export PNG strip');
  expect(strip.suggestedFilename()).toBe('interpolation-spherical-grid3.png');
  await page.screenshot({ path: testInfo.outputPath('interpolate-grid.png'), fullPage: true });
});
