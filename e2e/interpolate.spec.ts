// Interpolation journey on the bundled default set (E2E_MODEL_SET): two sample images, 8 linear frames, scrub, play,
// and a GIF export whose frame count is read back from the downloaded file.
import { readFileSync } from 'node:fs';
import { parseGif } from '../tests/engine/gif-parser';
import type { Page } from '@playwright/test';
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

/** The RGBA bytes a canvas shows (canvases keep the model's resolution; CSS scales them). */
async function canvasPixels(page: Page, name: string): Promise<number[]> {
  return page.getByRole('img', { name, exact: true }).evaluate((canvas: HTMLCanvasElement) => {
    const { width, height } = canvas;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, width, height).data);
  });
}

test('interpolates between two gallery results: the path starts and ends on them; exports WebM', async ({
  studio,
  page,
}, testInfo) => {
  await studio.setSettings({ classId: 0, seed: 21, steps: 4, guidance: 3, batch: 2, previews: false });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(2);
  const [first, second] = [await canvasPixels(page, 'Result 1'), await canvasPixels(page, 'Result 2')];

  const view = new InterpolatePage(page);
  await view.open();
  await page.getByRole('combobox', { name: 'Endpoints', exact: true }).selectOption('gallery');
  await page.getByLabel('Gallery result A').selectOption({ label: 'smiley face, seed 21, image 1' });
  await page.getByLabel('Gallery result B').selectOption({ label: 'smiley face, seed 21, image 2' });
  await view.interpolate(5, 'linear');
  await expect(page.getByRole('img', { name: /^Linear thumbnail/ })).toHaveCount(5);
  // The end frames re-sample the results' own noise with their settings, so they show the same images
  // (within a grey level or two: a batch of 2 and a batch of 5 may round differently).
  const maxDifference = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  expect(maxDifference(await canvasPixels(page, 'Linear thumbnail 1'), first)).toBeLessThanOrEqual(2);
  expect(maxDifference(await canvasPixels(page, 'Linear thumbnail 5'), second)).toBeLessThanOrEqual(2);
  expect(maxDifference(first, second)).toBeGreaterThan(16);

  const webm = await view.export('Export WebM');
  expect(webm.suggestedFilename()).toBe('interpolation-linear-5f.webm');
  const bytes = readFileSync(await webm.path());
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // the EBML magic of a WebM file
  await page.screenshot({ path: testInfo.outputPath('interpolate-gallery.png'), fullPage: true });
});
