// Journeys of the reconstruction lab and the feature inspector on the bundled random-weight model:
// reconstruct a sample and read the metrics, toggle DINO-only, refuse bad files with a message, open the
// inspector and click a patch. Screenshots go to the test output.
import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { readImageFile } from '../src/cli/image-files';
import { centerCropRect } from '../src/engine/formats/pixels';
import { TASK_NETWORKS } from '../src/engine/model-set';
import { jpegWithOrientation } from '../tests/engine/jpeg-fixtures';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { LabPage } from './lab-page';

test('reconstructs a bundled sample and reports PSNR, SSIM and timings', async ({ studio }, testInfo) => {
  const page = studio.page; // the fixture opened the studio on the bundled model set
  const lab = new LabPage(page);
  await lab.openTab('Reconstruct');
  await lab.chooseSample('sunset');
  await expect(page.getByRole('img', { name: 'Input with crop' })).toBeVisible();
  await lab.reconstruct();
  await expect(lab.psnr).toHaveText(/^\d+\.\d{2} dB$/);
  await expect(lab.ssim).toHaveText(/^-?[01]\.\d{4}$/);
  await expect(lab.timings).toHaveText(/encode \d+ ms · decode \d+ ms/);
  // The encoders opened on first use (sessions per task); the top bar shows them open.
  const sessions = page.getByRole('status', { name: 'Open sessions' });
  for (const role of TASK_NETWORKS.reconstruct) {
    await expect(sessions.locator(`[data-network="${role}"]`)).toHaveAttribute('data-resident', 'true');
  }
  const full = await lab.psnr.textContent();
  testInfo.annotations.push({ type: 'timings', description: `${await lab.timings.textContent()}` });

  await page.getByLabel('DINO features only', { exact: true }).check();
  await expect(page.getByText('DINO features only (residual = their latent mean)')).toBeVisible();
  await expect(lab.psnr).not.toHaveText(full ?? '');
  await page.getByLabel('Difference gain', { exact: true }).fill('16');
  await page.screenshot({ path: testInfo.outputPath('lab.png'), fullPage: true });

  // Batching on purpose: the same image encoded with the 4 samples.
  await page.getByLabel('DINO features only', { exact: true }).uncheck();
  await page.getByLabel('Encode in a batch with the samples', { exact: true }).check();
  await lab.reconstruct();
  await expect(lab.timings).toHaveText(/\(batch of 5\)/);
  await page.screenshot({ path: testInfo.outputPath('lab-batch.png'), fullPage: true });
});

test('refuses files that are not images, and SVG, with a message', async ({ studio }) => {
  const page = studio.page; // the fixture opened the studio on the bundled model set
  const lab = new LabPage(page);
  await lab.openTab('Reconstruct');
  await lab.upload({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not an image') });
  await expect(page.getByRole('alert')).toHaveText(/notes\.txt: not an image the studio can read/);
  await lab.upload({
    name: 'logo.svg',
    mimeType: 'image/svg+xml',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'),
  });
  await expect(page.getByRole('alert')).toHaveText(/logo\.svg: SVG is a vector format/);
  // A PNG header that claims 12000 x 12000 is refused before any decoding.
  const huge = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200002ee000002ee00806000000000000000000000049454e44ae426082',
    'hex',
  );
  await lab.upload({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
  await expect(page.getByRole('alert')).toHaveText(/huge\.png: 12000x12000 is too large/);
  // A PNG cut off after its header, but with IEND bytes appended, reaches the browser's decoder and fails there.
  const corrupt = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff610000000049454e44ae426082',
    'hex',
  );
  await lab.upload({ name: 'corrupt.png', mimeType: 'image/png', buffer: corrupt });
  await expect(page.getByRole('alert')).toHaveText(/corrupt\.png: the browser could not decode this PNG/);
  // A valid PNG with a malformed metadata chunk (tEXt with no keyword separator and a wrong CRC) before
  // IEND: whether the browser tolerates it or not, the outcome is named and the tab stays responsive.
  const sample = await (await page.request.get('samples/shapes.png')).body();
  const badText = Buffer.concat([
    Buffer.from([0, 0, 0, 5]),
    Buffer.from('tEXt'),
    Buffer.from('ab\xffcd', 'latin1'),
    Buffer.from([1, 2, 3, 4]),
  ]);
  const malformed = Buffer.concat([
    sample.subarray(0, sample.length - 12),
    badText,
    sample.subarray(sample.length - 12),
  ]);
  await lab.upload({ name: 'meta.png', mimeType: 'image/png', buffer: malformed });
  await expect(page.getByLabel('Upload image details').or(page.getByRole('alert'))).toContainText('meta.png');
});

/** A two-frame 1x1 GIF: header, palette, NETSCAPE loop extension, two (control + image) frames. */
const ANIMATED_GIF = Buffer.from(
  '47494638396101000100800000' +
    'ffffff000000' +
    '21ff0b4e45545343415045322e300301000000' +
    '21f904000a000000' +
    '2c0000000001000100' +
    '0002024401' +
    '00' +
    '21f904000a000000' +
    '2c0000000001000100' +
    '0002024401' +
    '00' +
    '3b',
  'hex',
);

/** An 8x4 16-bit grayscale PNG (a ramp). */
function gray16Png(): Buffer {
  const options = { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false } as const;
  const png = new PNG({ width: 8, height: 4, ...options });
  png.data = Buffer.alloc(8 * 4 * 2);
  for (let i = 0; i < 32; i++) png.data.writeUInt16BE(i * 2000, i * 2);
  return PNG.sync.write(png, options);
}

/**
 * Largest channel difference between the page's input preview and the CLI's decoding of the same file,
 * inside the crop square the preview draws undimmed (its 2 px outline left out). The two surfaces
 * decode with different JPEG decoders (the browser's, jpeg-js), so values may differ by rounding; a
 * wrongly turned image differs by the fixture's gradient (8 per pixel, red across, green down).
 */
async function previewDifferenceFromCli(page: Page, file: string): Promise<number> {
  const cli = await readImageFile(file);
  const crop = centerCropRect(cli.width, cli.height);
  const outline = 2;
  const box = { x: crop.x + outline, y: crop.y + outline, side: crop.side - 2 * outline };
  const preview = await page
    .getByRole('img', { name: 'Input with crop' })
    .evaluate((canvas, { x, y, side }) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d');
      return Array.from(context?.getImageData(x, y, side, side).data ?? []);
    }, box);
  expect(preview).toHaveLength(box.side * box.side * 4);
  let largest = 0;
  for (let row = 0; row < box.side; row++) {
    for (let column = 0; column < box.side * 4; column++) {
      const fromCli = cli.data[((box.y + row) * cli.width + box.x) * 4 + column] as number;
      largest = Math.max(largest, Math.abs((preview[row * box.side * 4 + column] as number) - fromCli));
    }
  }
  return largest;
}

test('applies EXIF orientation as the CLI does, takes the first frame of an animated GIF, reads 16-bit grayscale', async ({
  studio,
}, testInfo) => {
  const page = studio.page; // the fixture opened the studio on the bundled model set
  const lab = new LabPage(page);
  await lab.openTab('Reconstruct');
  // Orientation 6 (stored 32x16, shown turned 90° clockwise): the page turns it through the engine's
  // exif-orientation code, as the CLI does, so both give 16x32 with the same pixels.
  const rotated = jpegWithOrientation(32, 16, 6);
  const rotatedPath = testInfo.outputPath('rotated.jpg');
  await writeFile(rotatedPath, rotated); // the CLI reads a file
  await lab.upload({ name: 'rotated.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(rotated) });
  await expect(page.getByLabel('Upload image details')).toHaveText(/rotated\.jpg: JPEG 16x32/);
  const cli = await readImageFile(rotatedPath);
  expect([cli.width, cli.height]).toEqual([16, 32]);
  const difference = await previewDifferenceFromCli(page, rotatedPath);
  testInfo.annotations.push({ type: 'page vs CLI', description: `largest channel difference ${difference}` });
  expect(difference).toBeLessThanOrEqual(3);
  await lab.upload({ name: 'anim.gif', mimeType: 'image/gif', buffer: ANIMATED_GIF });
  await expect(page.getByLabel('Upload image details')).toHaveText(
    /anim\.gif: GIF 1x1 · GIF: the first frame is used/,
  );
  await lab.upload({ name: 'gray16.png', mimeType: 'image/png', buffer: gray16Png() });
  await expect(page.getByLabel('Upload image details')).toHaveText(
    'gray16.png: PNG 8x4 · grayscale: used as RGB · 16 bits per channel: reduced to 8',
  );
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Drag and drop, then paste from the clipboard (the bundled shapes sample as a file).
  const transfer = (name: string) =>
    page.evaluateHandle(async (fileName) => {
      const blob = await (await fetch('samples/shapes.png')).blob();
      const data = new DataTransfer();
      data.items.add(new File([blob], fileName, { type: 'image/png' }));
      return data;
    }, name);
  await page
    .getByRole('group', { name: 'Upload image: drop, paste or choose' })
    .dispatchEvent('drop', { dataTransfer: await transfer('dropped.png') });
  await expect(page.getByLabel('Upload image details')).toHaveText(/^dropped\.png: PNG 256x256/);
  const pasted = await transfer('pasted.png');
  await page.evaluate((clipboardData) => {
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData }));
  }, pasted);
  await expect(page.getByLabel('Upload image details')).toHaveText(/^pasted\.png: PNG 256x256/);
});

test('inspects DINO features: PCA overlay, a clicked patch, residual channels', async ({
  studio,
}, testInfo) => {
  const page = studio.page; // the fixture opened the studio on the bundled model set
  const lab = new LabPage(page);
  await lab.openTab('Inspect');
  await lab.chooseSample('shapes');
  await expect(page.getByRole('img', { name: 'PCA of DINO patch tokens' })).toBeVisible({ timeout: 120_000 });
  await lab.chooseSample('sunset', 'Second sample image');
  await expect(page.getByRole('img', { name: /^Residual channel \d+$/ })).toHaveCount(8);
  await page.getByRole('img', { name: 'PCA of DINO patch tokens' }).click({ position: { x: 10, y: 10 } });
  await expect(page.getByLabel('Selected patch', { exact: true })).toHaveText(/row 1, column 1/);
  await expect(page.getByRole('img', { name: 'Similarity to the patch, same image' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Similarity to the patch, second image' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('inspector.png'), fullPage: true });
});
