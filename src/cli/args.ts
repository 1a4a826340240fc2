// Command-line parsing for svg-studio: strict options, and a UsageError that names the bad argument.
import { parseArgs } from 'node:util';
import { SvgStudioError } from '../engine/errors';

export class UsageError extends SvgStudioError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_MODELS = 'public/models/svg-mini';

export const USAGE = `svg-studio — SVG latent diffusion on onnxruntime-node

Usage:
  svg-studio generate [--models <dir>] --class <id|name> [--seed N] [--steps N] [--cfg X]
                      [--cfg-mode constant|late|linear|early-<x>|cfg_star-<k>-<r>|none]
                      [--shift X] [--sampler euler|heun] [--batch N] --out <file.png>
                      [--latent-out <file.npy>]
  svg-studio reconstruct [--models <dir>] <image.png|jpg> --out <file.png>

Defaults for steps, cfg, cfg-mode, shift and sampler come from the model set's manifest.
--models defaults to ${DEFAULT_MODELS}.`;

export interface GenerateArgs {
  readonly command: 'generate';
  readonly models: string;
  readonly classRef: string;
  readonly seed: number;
  readonly steps?: number;
  readonly cfg?: number;
  readonly cfgMode?: string;
  readonly shift?: number;
  readonly sampler?: string;
  readonly batch: number;
  readonly out: string;
  readonly latentOut?: string;
}

export interface ReconstructArgs {
  readonly command: 'reconstruct';
  readonly models: string;
  readonly image: string;
  readonly out: string;
}

export type CliArgs = GenerateArgs | ReconstructArgs | { readonly command: 'help' };

function number(name: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a finite number'}, got "${raw}"`);
  }
  return value;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        models: { type: 'string' },
        class: { type: 'string' },
        seed: { type: 'string' },
        steps: { type: 'string' },
        cfg: { type: 'string' },
        'cfg-mode': { type: 'string' },
        shift: { type: 'string' },
        sampler: { type: 'string' },
        batch: { type: 'string' },
        out: { type: 'string' },
        'latent-out': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const models = values.models ?? DEFAULT_MODELS;
  if (command === 'generate') {
    if (positionals.length)
      throw new UsageError(`generate takes no positional arguments, got "${positionals[0]}"`);
    const steps = number('steps', values.steps, true);
    const cfg = number('cfg', values.cfg, false);
    const shift = number('shift', values.shift, false);
    return {
      command,
      models,
      classRef: required('class', values.class),
      seed: number('seed', values.seed, true) ?? 0,
      batch: number('batch', values.batch, true) ?? 1,
      out: required('out', values.out),
      ...(steps !== undefined ? { steps } : {}),
      ...(cfg !== undefined ? { cfg } : {}),
      ...(shift !== undefined ? { shift } : {}),
      ...(values['cfg-mode'] !== undefined ? { cfgMode: values['cfg-mode'] } : {}),
      ...(values.sampler !== undefined ? { sampler: values.sampler } : {}),
      ...(values['latent-out'] !== undefined ? { latentOut: values['latent-out'] } : {}),
    };
  }
  if (command === 'reconstruct') {
    if (positionals.length !== 1) throw new UsageError('reconstruct takes exactly one image path');
    return { command, models, image: positionals[0] as string, out: required('out', values.out) };
  }
  throw new UsageError(`unknown command "${command}" (expected generate or reconstruct)`);
}
