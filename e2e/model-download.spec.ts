// Download faults on WASM, against a host that misbehaves (e2e/model-download-server.ts) reached through
// a route: one, a download that stalls after its headers and 1 KB can be cancelled (the Load and Model
// files controls come back, nothing stays in the cache), then fails by itself naming the stall timeout,
// and a later load resumes it with a Range request from the kept bytes; two, every model file's
// connection cut half-way is resumed by itself within the load, and the set generates; three, a DiT whose
// weights live in an external-data file (dit.onnx.data) reaches ONNX Runtime as blob: URLs and generates.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_MODEL_SET } from './fixtures';
import { MisbehavingServer, STALL_AFTER_BYTES } from './model-download-server';
import { ModelsPage } from './models-page';
import { StudioPage } from './studio-page';

/** The set's path on the page's origin; the route sends it to the misbehaving host. */
const REMOTE = `/remote/${E2E_MODEL_SET}`;
const SET_DIR = path.resolve('public/models', E2E_MODEL_SET);
const server = new MisbehavingServer(SET_DIR);

// The service worker would answer model requests itself; these tests are about the network.
test.use({ serviceWorkers: 'block' });

/** The faults these journeys provoke, for the bad-input suite's count (tests/bad-input/suite.ts). */
const FAULTS = ['stall then Cancel', 'stall timeout', 'cut connections', 'cut external-data file'];

test.beforeAll(() => server.start());
test.afterAll(async () => {
  await server.stop();
  console.log(`bad-input cases: playwright ${FAULTS.length} (downloads ${FAULTS.length})`);
});

/** Cache Storage keys of model files: final ones by SHA-256, temporary ones of unfinished downloads. */
async function cacheKeys(page: Page): Promise<{ files: string[]; partial: string[] }> {
  const keys = await page.evaluate(async () => {
    const cache = await caches.open('svg-studio-models-v1');
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
  });
  return {
    files: keys.filter((key) => key.includes('/sha256/')),
    partial: keys.filter((key) => key.includes('/partial/')),
  };
}

async function openWithEmptyCache(page: Page): Promise<{ studio: StudioPage; models: ModelsPage }> {
  const studio = new StudioPage(page);
  const models = new ModelsPage(page);
  await page.route(`**${REMOTE}/**`, (route) =>
    route.continue({ url: `${server.origin}/${new URL(route.request().url()).pathname.split('/').pop()}` }),
  );
  await studio.open(E2E_MODEL_SET, 'wasm');
  await models.openView();
  // The start-up load cached the set's files; delete them so that the loads below download.
  await models.deleteCachedSet(E2E_MODEL_SET);
  expect((await cacheKeys(page)).files).toEqual([]);
  return { studio, models };
}

test('a stalled download: Cancel brings the controls back, the stall is named, a reload resumes', async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(240_000);
  const { studio, models } = await openWithEmptyCache(page);
  const cancel = page.getByRole('button', { name: 'Cancel load' });
  const manifestUrl = `${baseURL}${REMOTE}/manifest.json`;

  server.mode = 'stall';
  await models.loadUrl(manifestUrl);
  await expect(cancel).toBeVisible();
  await expect(models.loadButton).toBeDisabled();
  await expect(models.filesInput).toBeDisabled();
  await expect(models.progress.locator('tbody')).toContainText('1.0 KiB');
  await page.screenshot({ path: testInfo.outputPath('stalled.png'), fullPage: true });
  await cancel.click();
  await expect(models.loadError).toContainText('was cancelled');
  await expect(cancel).toHaveCount(0);
  await expect(models.loadButton).toBeEnabled();
  await expect(models.filesInput).toBeEnabled();
  await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready'); // still on its set
  expect(await cacheKeys(page)).toEqual({ files: [], partial: [] });

  // Left alone, the stall ends the load by itself, naming the timeout; the 1 KB received is kept.
  await models.loadUrl(manifestUrl);
  await expect(models.loadError).toContainText('(STALL_TIMEOUT_MS)', { timeout: 60_000 });
  await expect(models.loadError).toContainText(`after byte ${STALL_AFTER_BYTES} of`);
  await expect(models.loadError).toContainText('the download stalled');
  await expect(models.loadError).toContainText(`no bytes from ${baseURL}${REMOTE}/`);
  await expect(models.loadButton).toBeEnabled();
  const stalledFile = server.requests.at(-1)?.file as string;
  await expect(models.fileRow(stalledFile)).toContainText('stopped'); // no speed or ETA left counting
  expect((await cacheKeys(page)).partial).toHaveLength(1);
  await expect(page.getByLabel('Unfinished downloads')).toContainText('keep 1.0 KiB');
  await page.screenshot({ path: testInfo.outputPath('stall-timeout.png'), fullPage: true });

  // The host recovers: the next load asks only for the bytes it does not have.
  server.mode = 'normal';
  const before = server.requests.length;
  await models.loadUrl(manifestUrl);
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'stored', { timeout: 120_000 });
  const resumed = server.requests.slice(before).filter((r) => r.file === stalledFile);
  expect(resumed).toEqual([{ file: stalledFile, range: `bytes=${STALL_AFTER_BYTES}-`, status: 206 }]);
  expect((await cacheKeys(page)).partial).toEqual([]);
  await expect(page.getByLabel('Unfinished downloads')).toHaveCount(0);
});

test('connections cut half-way resume within the load, and the set generates', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const { studio, models } = await openWithEmptyCache(page);
  server.mode = 'cut-once';
  const before = server.requests.length;
  await models.loadUrl(`${baseURL}${REMOTE}/manifest.json`);
  await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'stored', { timeout: 120_000 });
  const requests = server.requests.slice(before).filter((r) => r.file.endsWith('.onnx'));
  const files = [...new Set(requests.map((r) => r.file))];
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const ranges = requests.filter((r) => r.file === file).map((r) => r.range);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
  }
  expect((await cacheKeys(page)).partial).toEqual([]);
  await page.getByRole('tab', { name: 'Generate' }).click();
  await studio.setSettings({ classId: 1, seed: 7, steps: 2, guidance: 4 });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
});

/**
 * The e2e set with its DiT re-saved by the onnx package with every weight in dit.onnx.data (what the
 * exporter does for graphs over protobuf's 2 GB limit); the manifest names the side file.
 */
function externalDataSet(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'svg-external-data-'));
  const manifest = JSON.parse(readFileSync(path.join(SET_DIR, 'manifest.json'), 'utf8'));
  // schemaVersion 2 keeps each network's files under variants.<precision>; version 1 names one file per
  // network. Only the float32 files are copied: the re-saved DiT would not match its other variants.
  type FileEntry = { file: string; bytes: number; sha256: string };
  type Network = FileEntry & { variants?: Record<string, FileEntry>; float16?: FileEntry };
  const networks = Object.values(manifest.networks) as Network[];
  const float32 = (network: Network) => network.variants?.float32 ?? network;
  for (const network of networks) {
    if (network.variants) network.variants = { float32: network.variants.float32! };
    delete network.float16;
    copyFileSync(path.join(SET_DIR, float32(network).file), path.join(folder, float32(network).file));
  }
  const script = [
    'import onnx, sys',
    'model = onnx.load(sys.argv[1])',
    "onnx.save_model(model, sys.argv[2], save_as_external_data=True, all_tensors_to_one_file=True, location='dit.onnx.data', size_threshold=1024)",
  ].join('\n');
  execFileSync('/usr/bin/python3', [
    '-c',
    script,
    path.join(SET_DIR, 'dit.onnx'),
    path.join(folder, 'dit.onnx'),
  ]);
  const entry = (file: string) => {
    const bytes = readFileSync(path.join(folder, file));
    return { file, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  manifest.id = `${E2E_MODEL_SET}-external-data`;
  Object.assign(float32(manifest.networks.dit as Network), {
    ...entry('dit.onnx'),
    externalData: entry('dit.onnx.data'),
  });
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  return folder;
}

test('a DiT with external data loads through blob: URLs, resumed after a cut, and generates', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const external = new MisbehavingServer(externalDataSet());
  await external.start();
  try {
    const studio = new StudioPage(page);
    const models = new ModelsPage(page);
    await page.route('**/external/**', (route) =>
      route.continue({
        url: `${external.origin}/${new URL(route.request().url()).pathname.split('/').pop()}`,
      }),
    );
    await studio.open(E2E_MODEL_SET, 'wasm');
    await models.openView();
    external.mode = 'cut-once';
    await models.loadUrl(`${baseURL}/external/manifest.json`);
    await expect(models.cacheStatus).toHaveAttribute('data-cache-status', 'stored', { timeout: 120_000 });
    await expect(studio.executionStatus).toHaveAttribute('data-load-state', 'ready');
    await expect(models.fileRow('dit.onnx.data')).toHaveAttribute('data-from-cache', 'false');
    const sideFile = external.requests.filter((r) => r.file === 'dit.onnx.data').map((r) => r.range);
    expect(sideFile[0]).toBeNull();
    expect(sideFile[1]).toMatch(/^bytes=\d+-$/);
    await page.getByRole('tab', { name: 'Generate' }).click();
    await studio.setSettings({ classId: 1, seed: 7, steps: 2, guidance: 4 });
    await studio.generateAndWait();
    await expect(studio.results).toHaveCount(1);
  } finally {
    await external.stop();
  }
});
