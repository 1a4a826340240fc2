// Page object for the Models view (the model manager): sources, download progress, cache status and the
// storage panel, found by their accessible names.
import { expect, type Locator, type Page } from '@playwright/test';

export class ModelsPage {
  readonly manifestUrl: Locator;
  readonly loadButton: Locator;
  readonly filesInput: Locator;
  readonly progress: Locator;
  readonly cacheStatus: Locator;
  readonly capabilityReport: Locator;
  readonly loadError: Locator;
  readonly cachedSets: Locator;
  readonly storageUsage: Locator;

  constructor(readonly page: Page) {
    this.manifestUrl = page.getByLabel('Manifest URL');
    this.loadButton = page.getByRole('button', { name: 'Load', exact: true });
    this.filesInput = page.getByLabel('Model files');
    this.progress = page.getByRole('table', { name: 'Download progress' });
    this.cacheStatus = page.getByRole('status', { name: 'Cache status' });
    this.capabilityReport = page.getByRole('region', { name: 'Capability report' });
    this.loadError = page.getByRole('alert', { name: 'Model load error' });
    this.cachedSets = page.getByRole('table', { name: 'Cached model sets' });
    this.storageUsage = page.getByRole('status', { name: 'Storage usage' });
  }

  async openView(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Models' }).click();
    await expect(this.manifestUrl).toBeVisible();
  }

  async loadUrl(url: string): Promise<void> {
    await this.manifestUrl.fill(url);
    await this.loadButton.click();
  }

  /** The progress row of one file (its data-stage and data-from-cache say where it stands). */
  fileRow(file: string): Locator {
    return this.progress.locator('tbody tr').filter({ hasText: file });
  }

  async deleteCachedSet(id: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete cached set ${id}` }).click();
    await expect(this.page.getByRole('button', { name: `Delete cached set ${id}` })).toHaveCount(0);
  }
}
