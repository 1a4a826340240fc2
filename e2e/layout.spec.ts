// Every view at a phone (390x844) and a tablet (768x1024) viewport: no horizontal overflow (the
// document is exactly as wide as the viewport), tabs reachable, and a screenshot per view saved to
// test-results/layout/ to be looked at. At 1280 px the same pages are captured for the desktop layout.
import path from 'node:path';
import { WORKSPACE_TABS } from '../src/features/workspace-tabs';
import { expect, test } from './fixtures';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const SHOTS = path.resolve('test-results', 'layout');

test('every view fits phone and tablet widths without horizontal scrolling', async ({
  studio,
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'wasm', 'one browser project is enough');
  // A result on screen, so the results column is measured with content.
  await studio.setSettings({ classId: 1, seed: 7, steps: 2, guidance: 4 });
  await studio.generateAndWait();

  const overflowing: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const tab of WORKSPACE_TABS) {
      const button = page.getByRole('tab', { name: tab.label });
      await button.scrollIntoViewIfNeeded();
      await button.click();
      await expect(button).toHaveAttribute('aria-selected', 'true');
      await page.waitForTimeout(300); // layout settles (images decode, canvases size themselves)
      const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        // The elements that stick out, to name in the failure.
        wide: [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5)
          .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
      }));
      if (viewport.name !== 'desktop' && scrollWidth !== innerWidth) {
        overflowing.push(`${tab.id} at ${viewport.width}px: ${scrollWidth}px wide (${wide.join(', ')})`);
      }
      await page.screenshot({ path: path.join(SHOTS, `${viewport.name}-${tab.id}.png`), fullPage: true });
    }
  }
  expect(overflowing).toEqual([]);
});

test.describe('touch on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a finger draws the region box and picks an inspector patch', async ({ studio, page }, testInfo) => {
    test.skip(testInfo.project.name !== 'wasm', 'one browser project is enough');
    void studio;
    // Region edit: a touch drag (pointer events of type touch) from 25 % to 75 % of the source.
    await page.getByRole('tab', { name: 'Edit' }).click();
    await page.getByLabel('Region edit').check();
    const area = page.getByLabel('Draw the region box');
    await area.scrollIntoViewIfNeeded();
    const box = (await area.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const at = (fraction: number) => ({
      x: box.x + fraction * box.width,
      y: box.y + fraction * box.height,
    });
    const touch = await page.context().newCDPSession(page);
    await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0.25)] });
    for (const fraction of [0.4, 0.55, 0.75]) {
      await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(fraction)] });
    }
    await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(page.getByLabel('Box x', { exact: true })).toHaveValue(/^0\.2[45]\d*$/);
    await expect(page.getByLabel('Box width', { exact: true })).toHaveValue(/^0\.[45]\d*$/);
    await page.screenshot({ path: path.join(SHOTS, 'phone-edit-touch-box.png'), fullPage: true });

    // Inspector: a tap on the PCA picture selects the patch under the finger.
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await page.getByLabel('Sample image', { exact: true }).selectOption('shapes');
    const pca = page.getByRole('img', { name: 'PCA of DINO patch tokens' });
    await expect(pca).toBeVisible({ timeout: 120_000 });
    await pca.scrollIntoViewIfNeeded();
    const picture = (await pca.boundingBox())!;
    await page.touchscreen.tap(picture.x + 3, picture.y + 3);
    await expect(page.getByLabel('Selected patch', { exact: true })).toHaveText(/row 1, column 1/);
    await page.screenshot({ path: path.join(SHOTS, 'phone-inspect-touch-patch.png'), fullPage: true });
  });
});
