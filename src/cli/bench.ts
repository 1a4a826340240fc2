// `npm run bench [-- <model-dir>]`: per-network forward times in onnxruntime-node and the cost of a
// whole generation, reported as ratios against the DiT forward measured in the same run (wall-clock
// numbers vary by machine; the ratios say where time goes: sampler overhead, decoder vs DiT, ...).
import { performance } from 'node:perf_hooks';
import { EngineService } from '../engine/service';
import { cpuTensor, type CpuTensor } from '../engine/tensor';
import { loadNodeRuntime } from '../runtime/ort-node';
import { DEFAULT_MODELS } from './args';

const REPEATS = 7;

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: first runs include graph optimisation and allocation
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const filled = (dims: number[], value = 0.1): CpuTensor =>
  cpuTensor(new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value), dims);

async function main(modelDir: string): Promise<void> {
  const { manifest, runtime } = await loadNodeRuntime({
    source: { kind: 'directory', path: modelDir },
    provider: 'auto',
  });
  const { resolution } = manifest.image;
  const [gridH, gridW] = manifest.latent.grid;
  const tokens = gridH * gridW;
  const channels = manifest.latent.channels;
  const pixels = filled([1, 3, resolution, resolution]);
  const x = filled([1, tokens, channels]);

  const rows: Array<[string, number]> = [
    ['dino encoder forward', await median(() => runtime.encodeDino(pixels))],
    ['residual encoder forward', await median(() => runtime.encodeResidual(pixels))],
    ['decoder forward', await median(() => runtime.decode(filled([1, channels, gridH, gridW])))],
    ['DiT forward', await median(() => runtime.velocity(x, 0.5, [0]))],
  ];
  await runtime.dispose();

  const engine = new EngineService(loadNodeRuntime);
  await engine.loadModelSet({ source: { kind: 'directory', path: modelDir }, provider: 'auto' });
  const steps = manifest.sampler.steps;
  const generate = (guidanceSchedule: string) =>
    engine.generate({
      classId: 0,
      seed: 0,
      steps,
      sampler: 'euler',
      shift: manifest.sampler.shift,
      guidanceScale: manifest.sampler.guidanceScale,
      guidanceSchedule,
      batch: 1,
      previewEvery: 0,
    });
  rows.push([
    `generate, ${steps} Euler steps, guidance`,
    await median(() => generate(manifest.sampler.guidanceSchedule)),
  ]);
  rows.push([`generate, ${steps} Euler steps, no guidance`, await median(() => generate('none'))]);
  await engine.dispose();

  const ditMs = rows[3]?.[1] ?? NaN;
  console.log(
    `model set ${manifest.id} (${modelDir}), onnxruntime-node CPU, median of ${REPEATS} after a warm-up`,
  );
  for (const [name, ms] of rows) {
    console.log(
      `${name.padEnd(42)} ${ms.toFixed(2).padStart(10)} ms   ${(ms / ditMs).toFixed(2).padStart(7)} × DiT forward`,
    );
  }
  const ideal = steps * 2 * ditMs + (rows[2]?.[1] ?? 0);
  console.log(
    `sampler overhead (guided generate / (2·steps·DiT + decoder)): ${((rows[4]?.[1] ?? NaN) / ideal).toFixed(3)}`,
  );
}

main(process.argv[2] ?? DEFAULT_MODELS).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
