// `npm run bench` arguments: one valibot schema is the option table (types, ranges, defaults, usage
// lines), parsed by tool-args.ts like the project's other developer commands. Kept apart from bench.ts,
// which starts measuring as soon as it is run, so the parsing is tested without running the benchmark.
import * as v from 'valibot';
import { asksForHelp, parseToolArgs, toolOptionLines } from './tool-args';

/** Timed runs of each DiT forward comparison, by default (the median is reported). */
export const DEFAULT_REPEATS = 15;
/** Most timed runs one comparison may take: beyond this a run only occupies the shared machine longer. */
const MAX_REPEATS = 1000;

const path = (value: string, description: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, 'must not be empty'),
      v.description(description),
      v.metadata({ value }),
    ),
  );

const BenchArgsSchema = v.object({
  json: path('file', 'also write the figures to this JSON file'),
  models: path('dir', 'model-set folder to bench (default: the bundled set of public/models/index.json)'),
  repeats: v.optional(
    v.pipe(
      v.string(),
      // Digits only: "-3", "1.5", "1e3" or "many" are refused as typed, not read as something else.
      v.regex(/^\d+$/, `must be a whole number in 1..${MAX_REPEATS}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number in 1..${MAX_REPEATS}`),
      v.maxValue(MAX_REPEATS, `must be a whole number in 1..${MAX_REPEATS}`),
      v.description('timed runs per DiT forward comparison, whose median is reported'),
      v.metadata({ value: 'N' }),
    ),
    String(DEFAULT_REPEATS),
  ),
  'no-browser': v.optional(
    v.pipe(v.boolean(), v.description('skip the browser WASM forwards and the time to first image')),
    false,
  ),
  'no-torch': v.optional(v.pipe(v.boolean(), v.description('skip the PyTorch eager comparison')), false),
});

export type BenchArgs = v.InferOutput<typeof BenchArgsSchema>;

export const BENCH_USAGE = [
  'usage: npm run bench -- [options]',
  '',
  'Measures the DiT forward in onnxruntime-node, PyTorch eager and headless Chromium (WASM), and the',
  "studio's time to first image, on one machine, and prints the ratios against issue 16's targets.",
  '',
  'Options:',
  ...toolOptionLines(BenchArgsSchema),
  '  --help                 print this usage',
].join('\n');

/** The checked options, or 'help'; throws InvalidSettingError naming the bad option and its value. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | 'help' {
  if (asksForHelp(argv)) return 'help';
  return parseToolArgs(argv, BenchArgsSchema, BENCH_USAGE);
}
