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
