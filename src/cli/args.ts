// Command-line parsing for svg-studio. One table of options (kind, range, help) and one table of
// commands (which options, what positionals, usage text); the parsed values' types derive from the option
// table, values are checked with valibot, and every refusal is a UsageError naming the option and the
// value exactly as typed.
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { describeError } from '../engine/api/describe-error';
import { SvgStudioError } from '../engine/errors';
import { LIMITS, describeRange } from '../engine/limits';
import { GUIDANCE_SCHEDULE_FORMS } from '../engine/schedulers/guidance';
import { SOLVER_NAMES } from '../engine/schedulers/solvers';
import { NODE_PROVIDER_NAMES } from '../runtime/node-providers';
import { joinNegativeValues } from './negative-values';
import { defaultModelsDirectory } from './package-paths';

export class UsageError extends SvgStudioError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/**
 * Images per engine call in `sample`: not a result setting (every image is its own batch-1 result and
 * says so in its metadata, so the link limit LIMITS.batch does not bind it), only bounded by what one
 * engine call accepts.
 */
export const SAMPLE_BATCH = LIMITS.engineBatch;
/** Most images one `sample` run may ask for (ten times FID-50K's 50 000). */
export const MAX_SAMPLE_IMAGES = 500_000;

type OptionSpec =
  | {
      readonly kind: 'integer';
      readonly min: number;
      readonly max: number;
      readonly value: string;
      readonly help: string;
    }
  | {
      readonly kind: 'number';
      readonly min: number;
      readonly max: number;
      readonly value: string;
      readonly help: string;
    }
  | { readonly kind: 'string'; readonly value: string; readonly help: string }
  | { readonly kind: 'boolean'; readonly help: string };

const OPTIONS = {
  models: {
    kind: 'string',
    value: 'dir',
    help: 'model-set folder holding manifest.json (default: the bundled set)',
  },
  provider: {
    kind: 'string',
    value: 'name',
    help: `onnxruntime-node execution provider: ${NODE_PROVIDER_NAMES.join('|')} (default cpu)`,
  },
  class: { kind: 'string', value: 'id|name', help: 'class to generate (id or name)' },
  seed: {
    kind: 'integer',
    ...LIMITS.seed,
    value: 'N',
    help: `seed ${describeRange(LIMITS.seed)} (default 0; sample: image i uses seed + i)`,
  },
  steps: {
    kind: 'integer',
    ...LIMITS.steps,
    value: 'N',
    help: `sampling steps ${describeRange(LIMITS.steps)} (default: manifest)`,
  },
  cfg: {
    kind: 'number',
    ...LIMITS.guidanceScale,
    value: 'X',
    help: `guidance scale ${describeRange(LIMITS.guidanceScale)} (default: manifest)`,
  },
  'cfg-mode': {
    kind: 'string',
    value: 'mode',
    help: `guidance schedule: ${[...GUIDANCE_SCHEDULE_FORMS, 'none'].join('|')} (default: manifest)`,
  },
  shift: {
    kind: 'number',
    ...LIMITS.shift,
    value: 'X',
    help: `timestep shift ${describeRange(LIMITS.shift)} (default: manifest)`,
  },
  sampler: { kind: 'string', value: SOLVER_NAMES.join('|'), help: 'ODE solver (default: manifest)' },
  batch: {
    kind: 'integer',
    ...LIMITS.batch,
    value: 'N',
    help: `images per run ${describeRange(LIMITS.batch)} (sample: per engine call ${describeRange(SAMPLE_BATCH)}, default from free memory)`,
  },
  out: { kind: 'string', value: 'path', help: 'output file (generate, reconstruct) or folder (sample)' },
  'latent-out': { kind: 'string', value: 'file.npy', help: 'also write the final latent tokens [B, N, C]' },
  compare: { kind: 'boolean', help: 'write the input crop and the reconstruction side by side instead' },
  num: {
    kind: 'integer',
    min: 1,
    max: MAX_SAMPLE_IMAGES,
    value: 'N',
    help: 'number of images in the whole run',
  },
  'per-class': {
    kind: 'integer',
    min: 1,
    max: MAX_SAMPLE_IMAGES,
    value: 'K',
    help: 'K images per class (sets --num to K x classes)',
  },
  classes: {
    kind: 'string',
    value: 'list',
    help: 'comma-separated class ids or names (default: every class)',
  },
  shard: { kind: 'string', value: 'i/n', help: 'run only shard i of n (0-based); see docs/scale-out.md' },
  'shard-count': {
    kind: 'integer',
    min: 1,
    max: MAX_SAMPLE_IMAGES,
    value: 'n',
    help: 'number of shards when the index comes from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID',
  },
  latents: {
    kind: 'boolean',
    help: 'sample: keep each final latent as <index>.npy; merge: add a "latents" array',
  },
  npz: { kind: 'string', value: 'file.npz', help: 'merged ADM evaluation batch to write' },
  seeds: { kind: 'string', value: 'a,b[,c,d]', help: 'interpolate: seed endpoints (four make a grid)' },
  images: {
    kind: 'string',
    value: 'a.png,b.png[,…]',
    help: 'interpolate: image endpoints, encoded to latents (four make a grid)',
  },
  frames: {
    kind: 'integer',
    ...LIMITS.frames,
    value: 'N',
    help: `interpolate: frames ${describeRange(LIMITS.frames)} (per side for a grid)`,
  },
  mode: { kind: 'string', value: 'lerp|slerp|compare', help: 'interpolate: path (default slerp)' },
  help: { kind: 'boolean', help: 'print this command’s usage' },
} as const satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;
type OptionValue<K extends OptionName> = (typeof OPTIONS)[K] extends { kind: 'integer' | 'number' }
  ? number
  : (typeof OPTIONS)[K] extends { kind: 'boolean' }
    ? boolean
    : string;
type Values<K extends OptionName> = { readonly [P in K]?: OptionValue<P> };

const SAMPLER_OPTIONS = ['steps', 'cfg', 'cfg-mode', 'shift', 'sampler'] as const satisfies OptionName[];

const COMMANDS = {
  generate: {
    summary: 'generate images of one class',
    positionals: '',
    options: ['models', 'provider', 'class', 'seed', ...SAMPLER_OPTIONS, 'batch', 'out', 'latent-out'],
    required: ['class', 'out'],
  },
  reconstruct: {
    summary: 'reconstruct an image through the encoders and the decoder',
    positionals: '<image.png|jpg>',
    options: ['models', 'provider', 'out', 'compare'],
    required: ['out'],
  },
  sample: {
    summary: 'sample N class-balanced images for evaluation, sharded and resumable',
    positionals: '',
    options: [
      'models',
      'provider',
      'num',
      'per-class',
      'classes',
      'seed',
      ...SAMPLER_OPTIONS,
      'batch',
      'out',
      'shard',
      'shard-count',
      'latents',
    ],
    required: ['out'],
    ranges: { batch: SAMPLE_BATCH },
  },
  interpolate: {
    summary: 'interpolate between two seeds or images (four: a grid) and write a GIF or PNG strip',
    positionals: '',
    options: ['models', 'provider', 'class', 'seeds', 'images', 'frames', 'mode', ...SAMPLER_OPTIONS, 'out'],
    required: ['frames', 'out'],
  },
  merge: {
    summary: 'check sample folders and write the ADM evaluation .npz',
    positionals: '<dir>...',
    options: ['npz', 'latents'],
    required: ['npz'],
  },
} as const satisfies Record<
  string,
  {
    summary: string;
    positionals: string;
    options: readonly OptionName[];
    required: readonly OptionName[];
    /** integer options whose range differs in this command */
    ranges?: Partial<Record<OptionName, { readonly min: number; readonly max: number }>>;
  }
>;

export type CommandName = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
type CommandValues<C extends CommandName> = Values<(typeof COMMANDS)[C]['options'][number]>;

/** Settings every sampling command shares; unset ones come from the manifest. */
export interface SamplerArgs {
  readonly steps?: number;
  readonly cfg?: number;
  readonly cfgMode?: string;
  readonly shift?: number;
  readonly sampler?: string;
}

interface ModelArgs {
  /** undefined: the bundled default set (resolved relative to the package) */
  readonly models: string;
  readonly provider: string;
}

export interface GenerateArgs extends SamplerArgs, ModelArgs {
  readonly command: 'generate';
  readonly classRef: string;
  readonly seed: number;
  readonly batch: number;
  readonly out: string;
  readonly latentOut?: string;
}

export interface ReconstructArgs extends ModelArgs {
  readonly command: 'reconstruct';
  readonly image: string;
  readonly out: string;
  readonly compare: boolean;
}

export interface SampleArgs extends SamplerArgs, ModelArgs {
  readonly command: 'sample';
  readonly num?: number;
  readonly perClass?: number;
  readonly classes?: readonly string[];
  readonly seed: number;
  /** undefined: chosen from memory */
  readonly batch?: number;
  readonly out: string;
  readonly shard?: string;
  readonly shardCount?: number;
  readonly latents: boolean;
}

export interface MergeArgs {
  readonly command: 'merge';
  readonly dirs: readonly string[];
  readonly npz: string;
  readonly latents: boolean;
}

/** As typed; interpolate-command.ts checks the lists, the mode and the output kind. */
export interface InterpolateArgs extends SamplerArgs, ModelArgs {
  readonly command: 'interpolate';
  readonly classRef?: string;
  readonly seeds?: string;
  readonly images?: string;
  readonly frames: number;
  readonly mode?: string;
  readonly out: string;
}

export interface HelpArgs {
  readonly command: 'help';
  readonly topic?: CommandName;
}

export type CliArgs = GenerateArgs | ReconstructArgs | SampleArgs | InterpolateArgs | MergeArgs | HelpArgs;

function optionLine(name: OptionName): string {
  const spec: OptionSpec = OPTIONS[name];
  const flag = spec.kind === 'boolean' ? `--${name}` : `--${name} <${spec.value}>`;
  return `  ${flag.padEnd(26)} ${spec.help}`;
}

/** Usage of one command: synopsis, every option with its help. */
export function commandUsage(command: CommandName): string {
  const spec = COMMANDS[command];
  const required = (spec.required as readonly OptionName[]).map((name) => {
    const option: OptionSpec = OPTIONS[name];
    return option.kind === 'boolean' ? `--${name}` : `--${name} <${option.value}>`;
  });
  const synopsis = ['svg-studio', command, spec.positionals, ...required, '[options]'].filter(Boolean);
  return [
    `svg-studio ${command}: ${spec.summary}`,
    '',
    `Usage: ${synopsis.join(' ')}`,
    '',
    'Options:',
    ...[...spec.options, 'help' as const].map(optionLine),
  ].join('\n');
}

export const USAGE = [
  'svg-studio — SVG latent diffusion on onnxruntime-node',
  '',
  'Usage: svg-studio <command> [options]   (svg-studio <command> --help for its options)',
  '',
  'Commands:',
  ...COMMAND_NAMES.map((name) => `  ${name.padEnd(12)} ${COMMANDS[name].summary}`),
  '',
  'Sampler settings left out come from the model set’s manifest. Exit status: 0 done, 2 bad',
  'arguments or input (the message names the value), 1 anything else. docs/scale-out.md describes',
  'sample, merge and running shards on Kubernetes or Slurm.',
].join('\n');

/** Integers are decimal digits only, so "1e3" or "2.0" are refused rather than read as something else. */
const integerText = v.pipe(v.string(), v.regex(/^\d+$/));
const finiteText = v.pipe(
  v.string(),
  v.check((text) => text.trim() !== ''),
  v.transform(Number),
  v.finite(),
);

function convert(
  name: OptionName,
  raw: string | boolean,
  range?: { readonly min: number; readonly max: number },
): number | string | boolean {
  const base: OptionSpec = OPTIONS[name];
  const spec: OptionSpec = base.kind === 'integer' && range ? { ...base, ...range } : base;
  if (spec.kind === 'boolean' || typeof raw === 'boolean') return raw;
  if (spec.kind === 'integer') {
    const value = Number(raw);
    if (!v.safeParse(integerText, raw).success || value < spec.min || value > spec.max) {
      throw new UsageError(`--${name} must be an integer in ${spec.min}..${spec.max}, got "${raw}"`);
    }
    return value;
  }
  if (spec.kind === 'number') {
    const parsed = v.safeParse(finiteText, raw);
    if (!parsed.success || parsed.output < spec.min || parsed.output > spec.max) {
      throw new UsageError(`--${name} must be a number in ${spec.min}..${spec.max}, got "${raw}"`);
    }
    return parsed.output;
  }
  if (raw === '') throw new UsageError(`--${name} needs a value`);
  return raw;
}

function parseCommand<C extends CommandName>(
  command: C,
  argv: readonly string[],
): { values: CommandValues<C>; positionals: string[]; help: boolean } {
  const spec = COMMANDS[command];
  const names = [...spec.options, 'help'] as OptionName[];
  const options = Object.fromEntries(
    names.map((name) => [name, { type: OPTIONS[name].kind === 'boolean' ? 'boolean' : 'string' }]),
  ) as Record<string, { type: 'boolean' | 'string' }>;
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      strict: true,
      options,
    });
  } catch (error) {
    const message = describeError(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify.*$/s, '')}`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  if (raw.help === true) return { values: {} as CommandValues<C>, positionals: [], help: true };
  const values: Record<string, number | string | boolean> = {};
  for (const name of names) {
    const value = raw[name];
    const ranges = (spec as { ranges?: Partial<Record<OptionName, { min: number; max: number }>> }).ranges;
    if (value !== undefined) values[name] = convert(name, value, ranges?.[name]);
  }
  for (const name of spec.required as readonly OptionName[]) {
    if (values[name] === undefined) throw new UsageError(`${command}: --${name} is required`);
  }
  return { values: values as CommandValues<C>, positionals: parsed.positionals, help: false };
}

const defined = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;

function samplerArgs(values: Values<(typeof SAMPLER_OPTIONS)[number]>): SamplerArgs {
  return defined({
    steps: values.steps,
    cfg: values.cfg,
    cfgMode: values['cfg-mode'],
    shift: values.shift,
    sampler: values.sampler,
  });
}

function noPositionals(command: CommandName, positionals: readonly string[]): void {
  if (positionals.length)
    throw new UsageError(`${command} takes no positional arguments, got "${positionals[0]}"`);
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { command: 'help' };
    if (!isCommand(topic))
      throw new UsageError(`help: unknown command "${topic}" (expected ${COMMAND_NAMES.join(', ')})`);
    return { command: 'help', topic };
  }
  if (!isCommand(command)) {
    throw new UsageError(`unknown command "${command}" (expected ${COMMAND_NAMES.join(', ')} or --help)`);
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: command };
  if (command === 'generate') {
    const { values, positionals } = parseCommand('generate', rest);
    noPositionals(command, positionals);
    return {
      command,
      models: values.models ?? defaultModelsDirectory(),
      provider: values.provider ?? 'cpu',
      classRef: values.class as string,
      seed: values.seed ?? 0,
      batch: values.batch ?? 1,
      out: values.out as string,
      ...samplerArgs(values),
      ...defined({ latentOut: values['latent-out'] }),
    };
  }
  if (command === 'reconstruct') {
    const { values, positionals } = parseCommand('reconstruct', rest);
    if (positionals.length !== 1)
      throw new UsageError(`reconstruct takes exactly one image path, got ${positionals.length}`);
    return {
      command,
      models: values.models ?? defaultModelsDirectory(),
      provider: values.provider ?? 'cpu',
      image: positionals[0] as string,
      out: values.out as string,
      compare: values.compare ?? false,
    };
  }
  if (command === 'sample') {
    const { values, positionals } = parseCommand('sample', rest);
    noPositionals(command, positionals);
    if (values.num === undefined && values['per-class'] === undefined)
      throw new UsageError('sample: --num or --per-class is required');
    const classes = values.classes?.split(',').map((item) => item.trim());
    if (classes?.some((item) => item === ''))
      throw new UsageError(
        `--classes must be a comma-separated list of ids or names, got "${values.classes}"`,
      );
    return {
      command,
      models: values.models ?? defaultModelsDirectory(),
      provider: values.provider ?? 'cpu',
      seed: values.seed ?? 0,
      out: values.out as string,
      latents: values.latents ?? false,
      ...samplerArgs(values),
      ...defined({
        num: values.num,
        perClass: values['per-class'],
        classes,
        batch: values.batch,
        shard: values.shard,
        shardCount: values['shard-count'],
      }),
    };
  }
  if (command === 'interpolate') {
    const { values, positionals } = parseCommand('interpolate', rest);
    noPositionals(command, positionals);
    return {
      command,
      models: values.models ?? defaultModelsDirectory(),
      provider: values.provider ?? 'cpu',
      frames: values.frames as number,
      out: values.out as string,
      ...samplerArgs(values),
      ...defined({ classRef: values.class, seeds: values.seeds, images: values.images, mode: values.mode }),
    };
  }
  const { values, positionals } = parseCommand('merge', rest);
  if (positionals.length === 0) throw new UsageError('merge needs at least one sample folder');
  return { command, dirs: positionals, npz: values.npz as string, latents: values.latents ?? false };
}
