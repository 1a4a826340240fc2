// svg-studio CLI: generate and reconstruct with onnxruntime-node, through the same StudioEngine the
// browser studio uses. Exit codes: 0 success, 2 bad arguments or input, 1 anything else.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SvgStudioError } from '../engine/errors';
import { tileImages } from '../engine/image';
import { resolveClass, type ModelSetManifest } from '../engine/manifest';
import { writeNpy } from '../engine/npy';
import { encodePng } from '../engine/png';
import type { GenerateRequest, StudioEngine } from '../engine/studio-engine';
import { EngineService } from '../engine/service';
import { loadNodeRuntime } from '../runtime/ort-node';
import { parseCliArgs, USAGE, UsageError, type GenerateArgs, type ReconstructArgs } from './args';
import { decodeImageFile } from './image-files';
import { ProgressBar } from './progress-bar';

async function writeOutput(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, bytes);
}

function generateRequest(args: GenerateArgs, manifest: ModelSetManifest): GenerateRequest {
  const defaults = manifest.sampler;
  return {
    classId: resolveClass(manifest, args.classRef),
    seed: args.seed,
    steps: args.steps ?? defaults.steps,
    sampler: (args.sampler ?? defaults.sampler) as GenerateRequest['sampler'],
    shift: args.shift ?? defaults.shift,
    guidanceScale: args.cfg ?? defaults.guidanceScale,
    guidanceSchedule: args.cfgMode ?? defaults.guidanceSchedule,
    batch: args.batch,
    previewEvery: 0,
  };
}

async function generate(engine: StudioEngine, args: GenerateArgs): Promise<void> {
  const { manifest, execution } = await engine.loadModelSet({
    source: { kind: 'directory', path: args.models },
    provider: 'auto',
  });
  const request = generateRequest(args, manifest);
  const bar = new ProgressBar(process.stderr, 'sampling');
  const result = await engine.generate(request, {
    onProgress: (event) => bar.update(event.step, event.steps, event.elapsedMs),
  });
  bar.done();
  const grid = tileImages(result.images, Math.ceil(Math.sqrt(result.images.length)));
  const settings = { modelSet: manifest.id, ...request };
  await writeOutput(args.out, await encodePng(grid, { 'svg-studio': JSON.stringify(settings) }));
  if (args.latentOut) await writeOutput(args.latentOut, writeNpy(result.latentTokens, result.latentDims));
  console.log(
    `${args.out}: class ${request.classId} (${manifest.classes.names[request.classId]}), seed ${request.seed}, ` +
      `${request.steps} ${request.sampler} steps, cfg ${request.guidanceScale} ${request.guidanceSchedule}; ` +
      `${execution.adapter}; sampling ${result.timings.samplingMs.toFixed(0)} ms, decode ${result.timings.decodeMs.toFixed(0)} ms`,
  );
}

async function reconstruct(engine: StudioEngine, args: ReconstructArgs): Promise<void> {
  await engine.loadModelSet({ source: { kind: 'directory', path: args.models }, provider: 'auto' });
  const image = decodeImageFile(args.image, new Uint8Array(await readFile(args.image)));
  const result = await engine.reconstruct({ image: await image });
  await writeOutput(args.out, await encodePng(tileImages([result.input, result.reconstruction], 2)));
  console.log(
    `${args.out}: input | reconstruction; encode ${result.timings.encodeMs.toFixed(0)} ms, decode ${result.timings.decodeMs.toFixed(0)} ms`,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const engine = new EngineService(loadNodeRuntime);
  try {
    if (args.command === 'generate') await generate(engine, args);
    else await reconstruct(engine, args);
  } finally {
    await engine.dispose();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`svg-studio: ${message}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(error instanceof SvgStudioError && error.code !== 'runtime' ? 2 : 1);
  },
);
