// Generates one image through the page on each provider and checks it against the CLI (onnxruntime-node)
// for the same seed and settings: the latent within 5e-4 (so WebGPU and WASM agree within 1e-3), the
// PNG within a couple of grey levels.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNpy } from '../src/engine/formats/npy';
import { decodePng } from '../src/engine/formats/png';
import { E2E_MODEL_SET, expect, test } from './fixtures';

const SETTINGS = { classId: 1, seed: 7, steps: 2, guidance: 4 };
const LATENT_TOLERANCE = 5e-4;
const outDir = path.resolve('test-results', 'generate');

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function cliReference() {
  const png = path.join(outDir, 'cli.png');
  const npy = path.join(outDir, 'cli.npy');
  if (!existsSync(npy)) {
    mkdirSync(outDir, { recursive: true });
    execFileSync(
      'node',
      [
        'bin/svg-studio.mjs',
        'generate',
        '--models',
        `public/models/${E2E_MODEL_SET}`,
        '--class',
        String(SETTINGS.classId),
        '--seed',
        String(SETTINGS.seed),
        '--steps',
        String(SETTINGS.steps),
        '--cfg',
        String(SETTINGS.guidance),
        '--out',
        png,
        '--latent-out',
        npy,
      ],
      { stdio: 'inherit' },
    );
  }
  return { png: readFileSync(png), npy: readFileSync(npy) };
}

test('generates an image that matches the CLI', async ({ studio, provider }, testInfo) => {
  await studio.setSettings({ ...SETTINGS, previews: false });
  await studio.generateAndWait();
  await expect(studio.results).toHaveCount(1);
  const meta = studio.page.getByText(`${provider.toUpperCase()} · sampling`);
  await expect(meta).toBeVisible();
  // Reported, not asserted: wall-clock limits belong to `npm run bench`.
  const [, samplingMs, decodeMs] =
    /sampling (\d+) ms · decode (\d+) ms/.exec((await meta.textContent()) ?? '') ?? [];
  console.log(
    `${provider}: ${SETTINGS.steps} guided steps in ${samplingMs} ms (${Number(samplingMs) / SETTINGS.steps} ms/step), decode ${decodeMs} ms`,
  );
  await studio.page.screenshot({ path: testInfo.outputPath('studio.png'), fullPage: true });

  const latentPath = path.join(outDir, `${provider}.npy`);
  await (await studio.download('Download latent (.npy)')).saveAs(latentPath);
  const pngPath = testInfo.outputPath('result.png');
  await (await studio.download('Download PNG')).saveAs(pngPath);

  const reference = cliReference();
  const ours = parseNpy(new Uint8Array(readFileSync(latentPath)));
  const theirs = parseNpy(new Uint8Array(reference.npy));
  expect(ours.shape).toEqual(theirs.shape);
  const latentError = maxAbsDifference(ours.data as Float32Array, theirs.data as Float32Array);
  console.log(`${provider}: max |latent − CLI latent| = ${latentError.toExponential(2)}`);
  expect(latentError).toBeLessThan(LATENT_TOLERANCE);

  const other = path.join(outDir, `${provider === 'webgpu' ? 'wasm' : 'webgpu'}.npy`);
  if (existsSync(other)) {
    const otherLatent = parseNpy(new Uint8Array(readFileSync(other)));
    expect(maxAbsDifference(ours.data as Float32Array, otherLatent.data as Float32Array)).toBeLessThan(1e-3);
  }

  const pagePng = await decodePng(new Uint8Array(readFileSync(pngPath)));
  const cliPng = await decodePng(new Uint8Array(reference.png));
  expect([pagePng.image.width, pagePng.image.height]).toEqual([cliPng.image.width, cliPng.image.height]);
  expect(maxAbsDifference(pagePng.image.data, cliPng.image.data)).toBeLessThanOrEqual(2);
});
