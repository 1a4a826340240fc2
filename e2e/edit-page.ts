// Page object for the Edit view, by accessible names.
import { expect, type Page } from '@playwright/test';

export class EditPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Edit' }).click();
    await expect(this.page.getByLabel('Upload image to edit details')).toBeVisible();
  }

  async settings(values: { strength: number; seed: number; guidance: number }): Promise<void> {
    await this.page.getByLabel('Strength', { exact: true }).fill(String(values.strength));
    await this.page.getByLabel('Seed', { exact: true }).fill(String(values.seed));
    await this.page.getByLabel('Guidance', { exact: true }).fill(String(values.guidance));
  }

  /** Drags a box on the source from (x0, y0) to (x1, y1), fractions of the image. */
  async drawBox(x0: number, y0: number, x1: number, y1: number): Promise<void> {
    const area = this.page.getByLabel('Draw the region box');
    const box = (await area.boundingBox())!;
    await this.page.mouse.move(box.x + x0 * box.width, box.y + y0 * box.height);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + x1 * box.width, box.y + y1 * box.height, { steps: 4 });
    await this.page.mouse.up();
  }

  async edit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(this.page.getByRole('img', { name: 'After', exact: true })).toBeVisible({
      timeout: 240_000,
    });
  }
}
