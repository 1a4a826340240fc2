// The demo page: everything here goes through the package's public entry, as on a page of your own.
import { createSvgEngine } from 'svg-studio';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const classPicker = byId<HTMLSelectElement>('class');
const seedInput = byId<HTMLInputElement>('seed');
const button = byId<HTMLButtonElement>('generate');
const status = byId<HTMLParagraphElement>('status');
const canvas = byId<HTMLCanvasElement>('image');

const engine = await createSvgEngine({ models: '../../models/svg-mini-v2/manifest.json' });
for (const { id, name } of engine.classes) classPicker.add(new Option(`${id}: ${name}`, String(id)));
classPicker.disabled = button.disabled = false;
status.textContent = `Ready: ${engine.manifest.name} on ${engine.execution.provider.toUpperCase()} (${engine.execution.adapter}).`;

byId<HTMLFormElement>('controls').addEventListener('submit', async (event) => {
  event.preventDefault();
  button.disabled = true;
  status.textContent = 'Generating…';
  try {
    const { images, metadata, result } = await engine.generate({
      classId: Number(classPicker.value),
      seed: Number(seedInput.value),
    });
    const image = images[0]!;
    canvas.width = image.width;
    canvas.height = image.height;
    canvas
      .getContext('2d')!
      .putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width), 0, 0);
    // Time to first image: from opening the page (model download and session creation included).
    canvas.dataset.firstImageMs ??= String(Math.round(performance.now()));
    const { settings } = metadata[0]!;
    status.textContent = `Class ${settings.classId}, seed ${settings.seed}, ${settings.steps} steps in ${(result.timings.totalMs / 1000).toFixed(1)} s (first image ${(Number(canvas.dataset.firstImageMs) / 1000).toFixed(1)} s after the page opened).`;
  } catch (error) {
    status.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    button.disabled = false;
  }
});
