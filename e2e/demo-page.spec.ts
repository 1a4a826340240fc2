// examples/demo-page: a plain page that uses only the package's public entry (createSvgEngine) generates
// an image. Time to first image (page open to pixels, model download and sessions included) is reported,
// not asserted.
import { expect, test } from './fixtures';

test('the demo page generates an image through the public entry', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'wasm', 'one browser project is enough');
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto('/examples/demo-page/');
  const status = page.locator('#status');
  await expect(status).toContainText('Ready', { timeout: 120_000 });
  await page.getByLabel('Class').selectOption({ index: 1 });
  await page.getByLabel('Seed').fill('7');
  await page.getByRole('button', { name: 'Generate' }).click();
  const image = page.getByRole('img', { name: 'Generated image' });
  await expect(image).toHaveAttribute('data-first-image-ms', /\d+/, { timeout: 280_000 });
  await expect(status).toContainText('seed 7');
  // The canvas holds the image: not one flat colour.
  const distinct = await image.evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    return new Set(
      Array.from(
        { length: data.length / 4 },
        (_, i) => data[i * 4]! * 65536 + data[i * 4 + 1]! * 256 + data[i * 4 + 2]!,
      ),
    ).size;
  });
  expect(distinct).toBeGreaterThan(8);
  console.log(
    `demo page: time to first image ${await image.getAttribute('data-first-image-ms')} ms (${await status.textContent()})`,
  );
  await page.screenshot({ path: testInfo.outputPath('demo-page.png'), fullPage: true });
  expect(problems).toEqual([]);
});
