// Page object for the studio: finds controls by their accessible names, as a screen reader would.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class StudioPage {
  readonly executionStatus: Locator;
  readonly generateButton: Locator;
  readonly cancelButton: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.executionStatus = page.getByRole('status', { name: 'Execution status' });
    this.generateButton = page.getByRole('button', { name: 'Generate' });
    this.cancelButton = page.getByRole('button', { name: 'Cancel' });
    this.results = page.getByRole('img', { name: /^Result \d+$/ });
  }

  async open(modelSet: string, provider: 'webgpu' | 'wasm'): Promise<void> {
    await this.page.goto('/');
    await expect(this.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
    if ((await this.page.getByLabel('Model set').inputValue()) !== modelSet) {
      await this.page.getByLabel('Model set').selectOption(modelSet);
      await expect(this.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
    }
    await this.page.getByLabel('Execution provider').selectOption(provider);
    await expect(this.executionStatus).toHaveAttribute('data-load-state', 'ready', { timeout: 120_000 });
    await expect(this.executionStatus).toContainText(`Running on ${provider.toUpperCase()}`);
  }

  async setSettings(settings: {
    classId: number;
    seed: number;
    steps: number;
    guidance: number;
    batch?: number;
    previews?: boolean;
  }) {
    await this.page.getByLabel('Class', { exact: true }).selectOption(String(settings.classId));
    await this.page.getByLabel('Seed', { exact: true }).fill(String(settings.seed));
    await this.page.getByLabel('Steps', { exact: true }).fill(String(settings.steps));
    await this.page.getByLabel('Guidance scale', { exact: true }).fill(String(settings.guidance));
    await this.page.getByLabel('Batch size', { exact: true }).fill(String(settings.batch ?? 1));
    await this.page.getByLabel('Live previews', { exact: true }).setChecked(settings.previews ?? false);
  }

  async generateAndWait(): Promise<void> {
    await this.generateButton.click();
    await expect(this.page.getByTestId('result')).toBeVisible({ timeout: 280_000 });
  }

  /** The running job's progress line ("Step 3 / 25 · … left"). */
  get runStatus(): Locator {
    return this.page.getByRole('status', { name: 'Run status' });
  }

  async download(buttonName: string): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: buttonName }).click(),
    ]);
    return download;
  }
}
