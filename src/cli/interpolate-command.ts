// svg-studio interpolate: the page's Interpolate run from the command line, through the same engine
// pipeline (engine/pipelines/interpolate.ts) and the same GIF and PNG-strip writers, so a run with the
// same endpoints, class, sampler settings and frames writes the bytes the page's exports do.
// Arguments are checked (exit 2, naming the option) before any model is loaded.
import { resolveClass } from '../engine/model-set';
import {
  interpolationGif,
  interpolationPngStrip,
  METHOD_CHOICES,
  runInterpolation,
  seedEndpoints,
  type InterpolationEndpoints,
  type MethodChoice,
} from '../engine/pipelines/interpolate';
import { LIMITS, describeRange } from '../engine/limits';
import type { StudioEngine } from '../engine/api/studio-engine';
import { UsageError, type InterpolateArgs } from './args';
import { readImageFile } from './image-files';
import { checkOutputFile, writeFileAtomic } from './output-paths';
import { ProgressBar } from './progress-bar';
import { samplerSettings } from './sampler-settings';

/** --mode names (the usual lerp / slerp) and the page's method choice each one is. */
export const INTERPOLATION_MODES = {
  lerp: 'linear',
  slerp: 'spherical',
  compare: 'compare',
} as const satisfies Record<string, MethodChoice>;
type ModeName = keyof typeof INTERPOLATION_MODES;

const OUTPUT_KINDS = ['gif', 'png'] as const;
type OutputKind = (typeof OUTPUT_KINDS)[number];

export interface CheckedInterpolateArgs {
  readonly endpoints:
    | { readonly kind: 'seeds'; readonly seeds: readonly number[] }
    | { readonly kind: 'images'; readonly files: readonly string[] };
  readonly choice: MethodChoice;
  readonly output: OutputKind;
}

function list(option: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '') || (items.length !== 2 && items.length !== 4))
    throw new UsageError(
      `interpolate: --${option} takes two (a path) or four (a grid) comma-separated values, got "${text}"`,
    );
  return items;
}

/** Checks what args.ts cannot: one kind of endpoints, their count and values, the mode, the output kind. */
export function checkInterpolateArgs(args: InterpolateArgs): CheckedInterpolateArgs {
  if ((args.seeds === undefined) === (args.images === undefined))
    throw new UsageError('interpolate: give exactly one of --seeds a,b or --images a.png,b.png');
  let endpoints: CheckedInterpolateArgs['endpoints'];
  if (args.seeds !== undefined) {
    if (args.classRef === undefined) throw new UsageError('interpolate: --class is required with --seeds');
    const seeds = list('seeds', args.seeds).map((text) => {
      const seed = Number(text);
      if (!/^\d+$/.test(text) || seed < LIMITS.seed.min || seed > LIMITS.seed.max)
        throw new UsageError(
          `interpolate: --seeds value "${text}" is not a seed ${describeRange(LIMITS.seed)}`,
        );
      return seed;
    });
    endpoints = { kind: 'seeds', seeds };
  } else endpoints = { kind: 'images', files: list('images', args.images!) };
  const count = endpoints.kind === 'seeds' ? endpoints.seeds.length : endpoints.files.length;
  const range = count === 4 ? LIMITS.gridFramesPerSide : LIMITS.frames;
  if (args.frames < range.min || args.frames > range.max)
    throw new UsageError(
      `interpolate: --frames ${args.frames} is outside ${describeRange(range)}${count === 4 ? ' for a four-corner grid (frames per side)' : ''}`,
    );
  const mode = args.mode ?? 'slerp';
  if (!Object.hasOwn(INTERPOLATION_MODES, mode))
    throw new UsageError(
      `interpolate: --mode must be ${Object.keys(INTERPOLATION_MODES).join('|')}, got "${mode}"`,
    );
  const extension = args.out.toLowerCase().split('.').pop() ?? '';
  if (!(OUTPUT_KINDS as readonly string[]).includes(extension))
    throw new UsageError(
      `interpolate: --out must end in ${OUTPUT_KINDS.map((k) => `.${k}`).join(' or ')}, got "${args.out}"`,
    );
  return { endpoints, choice: INTERPOLATION_MODES[mode as ModeName], output: extension as OutputKind };
}

export async function runInterpolateCommand(engine: StudioEngine, args: InterpolateArgs): Promise<void> {
  const checked = checkInterpolateArgs(args);
  await checkOutputFile('--out', args.out);
  const images =
    checked.endpoints.kind === 'images' ? await Promise.all(checked.endpoints.files.map(readImageFile)) : [];
  const { manifest } = await engine.loadModelSet({
    source: { kind: 'directory', path: args.models },
    provider: 'auto',
  });
  let endpoints: InterpolationEndpoints;
  if (checked.endpoints.kind === 'seeds') {
    const classId = resolveClass(manifest, args.classRef!);
    endpoints = seedEndpoints(manifest, checked.endpoints.seeds, {
      classId,
      ...samplerSettings(args, manifest),
    });
  } else endpoints = { kind: 'images', items: images };
  const bar = new ProgressBar(process.stderr, 'frames');
  const result = await runInterpolation(
    engine,
    manifest,
    { endpoints, frames: args.frames, methods: METHOD_CHOICES[checked.choice] },
    { onProgress: (event) => bar.update(event.framesDone, event.framesTotal, event.elapsedMs) },
  );
  bar.done();
  const bytes = checked.output === 'gif' ? interpolationGif(result) : await interpolationPngStrip(result);
  await writeFileAtomic(args.out, bytes);
  const frameCount = result.strips[0]?.frames.length ?? 0;
  console.log(
    `${args.out}: ${result.strips.length > 1 ? 'linear | spherical' : result.strips[0]?.method} interpolation, ` +
      `${frameCount} frames between ${checked.endpoints.kind === 'seeds' ? `seeds ${checked.endpoints.seeds.join(', ')}` : checked.endpoints.files.join(', ')}`,
  );
}
