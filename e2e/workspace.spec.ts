// Journeys through the generation workspace: a batch of 4, cancelling mid-run then generating again,
// the steps-comparison grid, the keyboard shortcut, and a link that reproduces the settings.
import { expect, test } from './fixtures';

test('generates a batch of 4 and shows 4 results', async ({ studio }, testInfo) => {
  const results = studio.page.getByRole('region', { name: 'Results', exact: true });
  await expect(results).toContainText('No image yet');
  await studio.setSettings({ classId: 2, seed: 11, steps: 4, guidance: 3, batch: 4, previews: true });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(4);
  await expect(results).not.toContainText('No image yet');
  await studio.page.screenshot({ path: testInfo.outputPath('batch-of-4.png'), fullPage: true });
});

test('cancels mid-run, keeps the settings, and generates again', async ({ studio, page }, testInfo) => {
  await studio.setSettings({ classId: 1, seed: 5, steps: 100, guidance: 4, batch: 16, previews: true });
  await page.getByLabel('Sampler').selectOption('heun');
  await studio.generateButton.click();
  await expect(studio.runStatus).toContainText(/Step \d+ \/ 100 .* left/);
  // Esc, not a click on Cancel: a click waits for actionability checks while the run goes on.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alert')).toHaveText('Generation cancelled.');
  await expect(studio.generateButton).toBeEnabled();
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('100');
  await page.screenshot({ path: testInfo.outputPath('cancelled.png'), fullPage: true });

  await studio.setSettings({ classId: 1, seed: 5, steps: 2, guidance: 4, batch: 1 });
  await page.keyboard.press('Control+Enter');
  await expect(studio.results).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('runs a steps-comparison grid with the same seed', async ({ studio, page }, testInfo) => {
  await studio.setSettings({ classId: 3, seed: 21, steps: 4, guidance: 4 });
  await page.getByRole('button', { name: 'Steps comparison' }).click();
  await expect(page.getByLabel('X values')).toHaveValue('1, 2, 4, 8, 25');
  await page.getByRole('button', { name: 'Run grid' }).click();
  const cells = page.getByRole('img', { name: /^Grid cell 1, \d$/ });
  await expect(cells).toHaveCount(5);
  await expect(page.getByRole('columnheader')).toHaveText([
    'Steps 1',
    'Steps 2',
    'Steps 4',
    'Steps 8',
    'Steps 25',
  ]);
  await expect(page.getByRole('button', { name: 'Download grid' })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('steps-grid.png'), fullPage: true });
});

test('a link reproduces the settings, and the URL follows the workspace', async ({ studio, page }) => {
  await studio.setSettings({ classId: 4, seed: 1234, steps: 6, guidance: 2.5 });
  await expect(page).toHaveURL(/seed=1234/);
  const link = page.url();

  const second = await page.context().newPage();
  await second.goto(link);
  await expect(second.getByLabel('Seed', { exact: true })).toHaveValue('1234');
  await expect(second.getByLabel('Steps', { exact: true })).toHaveValue('6');
  await expect(second.getByLabel('Guidance scale')).toHaveValue('2.5');
  await expect(second.getByLabel('Class', { exact: true })).toHaveValue('4');

  await second.goto('/?steps=abc&seed=9');
  await expect(second.getByRole('status', { name: 'Studio notice' })).toContainText('steps: "abc"');
  await expect(second.getByLabel('Seed', { exact: true })).toHaveValue('9');
});
