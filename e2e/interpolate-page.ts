// Page object for the Interpolate view, by accessible names.
import { expect, type Download, type Page } from '@playwright/test';

export class InterpolatePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Interpolate' }).click();
  }

  /** Waits until both image endpoints have loaded (each loads a bundled sample on open). */
  async chooseSamples(a: string, b: string): Promise<void> {
    for (const [slot, id] of [
      ['A', a],
      ['B', b],
    ] as const) {
      await this.page.getByLabel(`Sample image ${slot}`, { exact: true }).selectOption(id);
      await expect(this.page.getByLabel(`Upload image ${slot} details`)).toBeVisible();
    }
  }

  async interpolate(frames: number, method: 'linear' | 'spherical' | 'compare'): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Method', exact: true }).selectOption(method);
    await this.page.getByLabel('Frames', { exact: true }).fill(String(frames));
    await this.page.getByRole('button', { name: 'Interpolate', exact: true }).click();
    await expect(this.page.getByRole('region', { name: 'Filmstrip' })).toBeVisible({ timeout: 240_000 });
  }

  async scrubTo(frame: number): Promise<void> {
    await this.page.getByLabel('Frame', { exact: true }).fill(String(frame - 1));
    await expect(this.page.getByLabel('Frame number')).toContainText(`${frame} /`);
  }

  async export(button: 'Export GIF' | 'Export PNG strip' | 'Export WebM'): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: button, exact: true }).click();
    return download;
  }
}
