// Shared Playwright fixtures: the `provider` option each project sets, and the studio page object
// opened on the bundled test model set with that provider selected.
import { test as base } from '@playwright/test';
import { StudioPage } from './studio-page';

export const E2E_MODEL_SET = 'svg-mini';

export const test = base.extend<{ provider: 'webgpu' | 'wasm'; studio: StudioPage }>({
  provider: ['wasm', { option: true }],
  studio: async ({ page, provider }, use) => {
    const studio = new StudioPage(page);
    await studio.open(E2E_MODEL_SET, provider);
    await use(studio);
  },
});

export { expect } from '@playwright/test';
