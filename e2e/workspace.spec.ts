// Journeys through the generation workspace: a batch of 4, cancelling mid-run then generating again,
// the steps-comparison grid, every solver across steps with the evaluation's figures, the keyboard
// shortcut, and a link that reproduces the settings.
import { expect, SOLVER_FIGURES_SET, test } from './fixtures';

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

test('compares every solver across steps, with the measured Fréchet distance under each cell', async ({
  studio,
  page,
  provider,
}, testInfo) => {
  // The solver figures are committed for svg-mini (docs/svg-mini/metrics.json), at guidance 4.5 and its
  // manifest's shift 0.2: the settings the evaluation script measured it at.
  await studio.open(SOLVER_FIGURES_SET, provider);
  await studio.setSettings({ classId: 0, seed: 3, steps: 4, guidance: 4.5 });
  await page.getByRole('button', { name: 'Solvers × steps' }).click();
  await expect(page.getByLabel('Y values')).toHaveValue('euler, heun, ab2');
  await page.getByLabel('X values').fill('4, 8');
  await page.getByRole('button', { name: 'Run grid' }).click();
  await expect(page.getByRole('img', { name: /^Grid cell \d, \d$/ })).toHaveCount(6);
  await expect(page.getByRole('rowheader')).toHaveText(['Euler', 'Heun', 'Adams-Bashforth 2']);
  const figures = page.getByTestId('comparison-grid').locator('figcaption');
  await expect(figures).toHaveCount(6);
  await expect(figures.first()).toHaveText(/^FD \d+\.\d\d$/);
  await expect(page.getByTestId('grid-figure-note')).toContainText('evaluation script, 384 samples');
  await page.screenshot({ path: testInfo.outputPath('solvers-grid.png'), fullPage: true });

  // a row mixing cells with and without a figure keeps its images on one line (the caption hangs below)
  await page.getByLabel('X values').fill('2, 4');
  await page.getByRole('button', { name: 'Run grid' }).click();
  await expect(page.getByRole('img', { name: /^Grid cell \d, \d$/ })).toHaveCount(6);
  await expect(figures).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Download grid' })).toBeEnabled();
  const tops = await page
    .getByRole('img', { name: /^Grid cell \d, \d$/ })
    .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().top)));
  expect([tops[0] === tops[1], tops[2] === tops[3], tops[4] === tops[5]]).toEqual([true, true, true]);

  // other guidance: the images, but no figure that was not measured
  await studio.setSettings({ classId: 0, seed: 3, steps: 4, guidance: 2 });
  await page.getByRole('button', { name: 'Run grid' }).click();
  await expect(page.getByRole('img', { name: /^Grid cell \d, \d$/ })).toHaveCount(6);
  await expect(figures).toHaveCount(0);
  await expect(page.getByTestId('grid-figure-note')).toContainText('these cells use other settings');
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
