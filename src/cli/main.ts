// svg-studio CLI: generate, reconstruct, sample, interpolate and merge with onnxruntime-node, through the same
// StudioEngine the browser studio uses. Output paths are checked before any model is loaded. Exit codes:
// 0 success (and --help), 2 bad arguments or input (the message names the path or value), 1 anything else.
import { describeError } from '../engine/api/describe-error';
import { SvgStudioError } from '../engine/errors';
import { resizeAndCenterCrop, centerCropRect, tileImages } from '../engine/formats/pixels';
import { resolveClass } from '../engine/model-set';
import { writeNpy } from '../engine/formats/npy';
import { encodePng } from '../engine/formats/png';
import { resultTextChunks } from '../engine/formats/result-metadata';
import { EngineService } from '../engine/api/service';
import { stepsOnly, type GenerateRequest, type StudioEngine } from '../engine/api/studio-engine';
import { nodeRuntimeLoader } from '../runtime/ort-node';
import {
  commandUsage,
  parseCliArgs,
  USAGE,
  type CliArgs,
  type GenerateArgs,
  type ReconstructArgs,
} from './args';
import { readImageFile } from './image-files';
import { runInterpolateCommand } from './interpolate-command';
import { runMerge } from './merge';
import { checkOutputFile, writeFileAtomic } from './output-paths';
import { PACKAGE_VERSION } from './package-paths';
import { ProgressBar } from './progress-bar';
import { runSample } from './sample';
import { samplerSettings } from './sampler-settings';

async function generate(engine: StudioEngine, args: GenerateArgs): Promise<void> {
  await checkOutputFile('--out', args.out);
  if (args.latentOut) await checkOutputFile('--latent-out', args.latentOut);
  const { manifest, manifestSha256, execution } = await engine.loadModelSet({
    source: { kind: 'directory', path: args.models },
    provider: 'auto',
  });
  const request: GenerateRequest = {
    classId: resolveClass(manifest, args.classRef),
    seed: args.seed,
    ...samplerSettings(args, manifest),
    batch: args.batch,
    previewEvery: 0,
  };
  const bar = new ProgressBar(process.stderr, 'sampling');
  const result = await engine.generate(request, {
    onProgress: stepsOnly((event) => bar.update(event.step, event.steps, event.elapsedMs)),
  });
  bar.done();
  const settings = {
    classId: request.classId,
    seed: request.seed,
    steps: request.steps,
    sampler: request.sampler,
    shift: request.shift,
    guidanceScale: request.guidanceScale,
    guidanceSchedule: request.guidanceSchedule,
    batch: request.batch,
  };
  const single = result.images.length === 1;
  // One image: that image (batchIndex 0); a batch: the tiled grid (batchIndex null), as the page saves.
  const image = single
    ? result.images[0]!
    : tileImages(result.images, Math.ceil(Math.sqrt(result.images.length)));
  const text = resultTextChunks({
    modelSetId: manifest.id,
    manifestSha256,
    settings,
    batchIndex: single ? 0 : null,
    appVersion: PACKAGE_VERSION,
  });
  if (args.latentOut) await writeFileAtomic(args.latentOut, writeNpy(result.latentTokens, result.latentDims));
  await writeFileAtomic(args.out, await encodePng(image, text));
  console.log(
    `${args.out}: class ${request.classId} (${manifest.classes.names[request.classId]}), seed ${request.seed}, ` +
      `${request.steps} ${request.sampler} steps, cfg ${request.guidanceScale} ${request.guidanceSchedule}; ` +
      `${execution.adapter}; sampling ${result.timings.samplingMs.toFixed(0)} ms, decode ${result.timings.decodeMs.toFixed(0)} ms`,
  );
}

async function reconstruct(engine: StudioEngine, args: ReconstructArgs): Promise<void> {
  await checkOutputFile('--out', args.out);
  const image = await readImageFile(args.image);
  await engine.loadModelSet({ source: { kind: 'directory', path: args.models }, provider: 'auto' });
  const result = await engine.reconstruct({ image });
  // The model sees the centre square at its resolution; the output is that square's reconstruction at
  // the square's size in the input (a square input gives an image of its own size).
  const { side } = centerCropRect(image.width, image.height);
  const output = args.compare
    ? tileImages([result.input, result.reconstruction], 2)
    : resizeAndCenterCrop(result.reconstruction, side);
  await writeFileAtomic(args.out, await encodePng(output));
  console.log(
    `${args.out}: ${args.compare ? `input | reconstruction at ${result.input.width} px` : `reconstruction, ${output.width}x${output.height}`}; ` +
      `encode ${result.timings.encodeMs.toFixed(0)} ms, decode ${result.timings.decodeMs.toFixed(0)} ms`,
  );
}

async function run(args: Exclude<CliArgs, { command: 'help' }>): Promise<void> {
  if (args.command === 'merge') {
    const outcome = await runMerge(args);
    console.log(
      `${outcome.file}: ${outcome.count} images ${outcome.resolution}x${outcome.resolution} (arr_0 uint8, arr_1 int64 labels)`,
    );
    return;
  }
  const engine = new EngineService(nodeRuntimeLoader(args.provider));
  try {
    if (args.command === 'generate') await generate(engine, args);
    else if (args.command === 'reconstruct') await reconstruct(engine, args);
    else if (args.command === 'interpolate') await runInterpolateCommand(engine, args);
    else {
      const outcome = await runSample(engine, args);
      const rate =
        outcome.generated > 0
          ? `, ${(outcome.generated / outcome.seconds).toFixed(2)} images/s, ` +
            `${(outcome.cpuSeconds / outcome.generated).toFixed(3)} CPU s/image`
          : '';
      console.log(
        `${args.out}: shard ${outcome.shard.index}/${outcome.shard.count} owns [${outcome.range.start}, ${outcome.range.end}): ` +
          `${outcome.generated} generated, ${outcome.skipped} already there; batch ${outcome.batch}${rate}`,
      );
    }
  } finally {
    await engine.dispose();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.command === 'help') {
    console.log(args.topic ? commandUsage(args.topic) : USAGE);
    return 0;
  }
  await run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // describeError adds the next step where there is one (for a usage error: where the help is)
    console.error(`svg-studio: ${describeError(error)}`);
    process.exit(error instanceof SvgStudioError && error.code !== 'runtime' ? 2 : 1);
  },
);
