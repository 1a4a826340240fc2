// Page object for the Reconstruct and Inspect views, by accessible names.
import { expect, type Locator, type Page } from '@playwright/test';

export class LabPage {
  readonly psnr: Locator;
  readonly ssim: Locator;
  readonly timings: Locator;

  constructor(readonly page: Page) {
    this.psnr = page.getByLabel('PSNR', { exact: true });
    this.ssim = page.getByLabel('SSIM', { exact: true });
    this.timings = page.getByLabel('Timings', { exact: true });
  }

  async openTab(name: 'Reconstruct' | 'Inspect'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  async chooseSample(sampleId: string, label = 'Sample image'): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).selectOption(sampleId);
    await expect(
      this.page.getByLabel(`${label === 'Sample image' ? 'Upload image' : 'Upload second image'} details`),
    ).toBeVisible();
  }

  async upload(
    file: { name: string; mimeType: string; buffer: Buffer },
    label = 'Upload image',
  ): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).setInputFiles(file);
  }

  async reconstruct(): Promise<void> {
    await this.page.getByRole('button', { name: 'Reconstruct', exact: true }).click();
    await expect(this.page.getByTestId('reconstruction')).toBeVisible({ timeout: 120_000 });
  }
}
