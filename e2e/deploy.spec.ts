// The built site on a plain static host (e2e/deploy-server.ts: no COOP/COEP, no CSP) under a sub-path,
// as on GitHub Pages: the page loads, the service worker makes it cross-origin isolated (multi-threaded
// WASM), it generates an image, logs no CSP violation; then, with the network cut, it opens and
// generates again from the service worker's and the model cache's copies.
// Serves dist/, which the Playwright webServer command has just built.
import path from 'node:path';
import type { ConsoleMessage, Page } from '@playwright/test';
import { E2E_MODEL_SET, expect, test } from './fixtures';
import { serveStatic, type StaticSite } from './deploy-server';
import { StudioPage } from './studio-page';

const SUB_PATH = '/user-site/svg-studio/';
test.use({ serviceWorkers: 'allow' });
const SETTINGS = { classId: 1, seed: 7, steps: 2, guidance: 4 };

let site: StaticSite;
test.beforeAll(async () => {
  site = await serveStatic(path.resolve('dist'), SUB_PATH);
});
test.afterAll(async () => site.close());

function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

async function openReady(studio: StudioPage, url: string) {
  await studio.page.goto(url);
  // First visit: register.ts reloads once the service worker controls the page, which then is isolated.
  await studio.page.waitForFunction(() => crossOriginIsolated, null, { timeout: 120_000 });
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  if ((await studio.page.getByLabel('Model set').inputValue()) !== E2E_MODEL_SET) {
    await studio.page.getByLabel('Model set').selectOption(E2E_MODEL_SET);
    await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  }
}

async function generateOne(studio: StudioPage) {
  await studio.setSettings({ ...SETTINGS, previews: false });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
}

test('the built site under a sub-path of a plain static host generates, then again offline', async ({
  page,
  context,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'wasm', 'one browser project is enough');
  const problems = collectProblems(page);
  const studio = new StudioPage(page);
  await openReady(studio, site.url);
  await page.getByLabel('Execution provider').selectOption('wasm');
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  // Isolated by the service worker: ONNX Runtime got SharedArrayBuffer and more than one thread.
  await expect(studio.executionStatus).toContainText(/WebAssembly, ([2-9]|\d\d+) thread/);
  await generateOne(studio);
  await page.screenshot({ path: testInfo.outputPath('online.png'), fullPage: true });
  // Nothing was requested outside the sub-path (e.g. /assets/... or /ort/... from the server root).
  expect(site.requests.filter((request) => !request.startsWith(SUB_PATH))).toEqual([]);
  expect(problems).toEqual([]);

  await context.setOffline(true);
  const servedBefore = site.requests.length;
  await page.reload();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
  await generateOne(studio);
  await page.screenshot({ path: testInfo.outputPath('offline.png'), fullPage: true });
  // Only the browser's own update check for the service worker reaches out (it ignores offline emulation).
  expect(site.requests.slice(servedBefore).filter((request) => !request.endsWith('/sw.js'))).toEqual([]);
  expect(problems).toEqual([]);
});
