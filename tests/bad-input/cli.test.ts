// Bad input to the svg-studio CLI, table-driven, each run as a user runs it (node bin/svg-studio.mjs,
// its own process): bad arguments, model files that are not regular files or not the manifest's size,
// output paths that cannot be written, input images that cannot be read, and the PNG it writes read back
// by the studio's reader. Every case asserts the exit status (2 for bad input, 0 for --help and the PNG),
// the message naming the value or path, that no output file was left behind (or what the written one
// holds), and that the model set's folder is as it was. The processes run a few at a time, started
// by the first case (the fixtures are made then too, so listing the suite stays cheap).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  rmSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { readResultMetadata } from '../../src/engine/formats/result-metadata';
import { runCliAsync, TINY } from '../cli/run-cli';
import { badInputCases } from './suite';

interface CliCase {
  readonly name: string;
  /** The arguments, given the fixture folder (model-set copies, inputs) and the output path. */
  readonly args: (fixtures: string, out: string) => readonly string[];
  readonly status: 0 | 2;
  readonly output: string | RegExp;
  /** For a run that writes its output: what the written file must hold. */
  readonly written?: (out: string) => Promise<void>;
}

/** `generate` of class 1 in one step from the set in `models`, written to `out`, then `extra`. */
const generateArgs = (models: string, out: string, extra: readonly string[] = []) => [
  'generate',
  '--models',
  models,
  '--class',
  '1',
  '--steps',
  '1',
  '--out',
  out,
  ...extra,
];
const generate =
  (...extra: string[]) =>
  (_fixtures: string, out: string) =>
    generateArgs(TINY, out, extra);
/** A copy of the tiny set (manifest copied, networks linked) whose dit.onnx is what `makeDit` makes. */
const SET_VARIANTS: Readonly<Record<string, (file: string) => void>> = {
  'dit-dev-zero': (file) => symlinkSync('/dev/zero', file),
  'dit-fifo': (file) => execFileSync('mkfifo', [file]),
  'dit-short': (file) => writeFileSync(file, readFileSync(path.join(TINY, 'dit.onnx')).subarray(0, 1000)),
  'dit-missing': () => undefined,
};
const withSet = (variant: keyof typeof SET_VARIANTS) => (fixtures: string, out: string) =>
  generateArgs(path.join(fixtures, variant), out);
const reconstruct = (input: (fixtures: string) => string) => (fixtures: string, out: string) => [
  'reconstruct',
  '--models',
  TINY,
  input(fixtures),
  '--out',
  out,
];

const CASES: readonly CliCase[] = [
  {
    name: '--cfg 1e300',
    args: generate('--cfg', '1e300'),
    status: 2,
    output: '--cfg must be a number in 0..20, got "1e300"',
  },
  {
    name: '--cfg 1e38',
    args: generate('--cfg', '1e38'),
    status: 2,
    output: '--cfg must be a number in 0..20, got "1e38"',
  },
  {
    name: '--shift 1e300',
    args: generate('--shift', '1e300'),
    status: 2,
    output: '--shift must be a number in 0..20, got "1e300"',
  },
  {
    name: '--seed 2^32 (the page and links have the same limit)',
    args: generate('--seed', '4294967296'),
    status: 2,
    output: '--seed must be an integer in 0..4294967295, got "4294967296"',
  },
  {
    name: '--seed beyond 2^53 is echoed as typed, not rounded',
    args: generate('--seed', '9007199254740993'),
    status: 2,
    output: 'got "9007199254740993"',
  },
  {
    name: '--seed -1 reaches the seed range check (not parseArgs "forgot the option argument")',
    args: generate('--seed', '-1'),
    status: 2,
    output: '--seed must be an integer in 0..4294967295, got "-1"',
  },
  {
    name: '--seed 1.5',
    args: generate('--seed', '1.5'),
    status: 2,
    output: '--seed must be an integer in 0..4294967295, got "1.5"',
  },
  {
    name: '--steps 1001',
    args: generate('--steps', '1001'),
    status: 2,
    output: '--steps must be an integer in 1..1000, got "1001"',
  },
  {
    name: '--batch 17',
    args: generate('--batch', '17'),
    status: 2,
    output: '--batch must be an integer in 1..16, got "17"',
  },
  {
    name: '--cfg-mode early-x',
    args: generate('--cfg-mode', 'early-x'),
    status: 2,
    output:
      'guidance schedule "early-x" is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>',
  },
  {
    name: '--sampler rk9',
    args: generate('--sampler', 'rk9'),
    status: 2,
    output: 'sampler must be "euler", "heun" or "ab2", got "rk9"',
  },
  {
    name: 'a PNG the CLI wrote is read by the studio (one metadata format)',
    args: generate('--seed', '11'),
    status: 0,
    output: /seed 11/,
    written: async (out) => {
      const metadata = await readResultMetadata(new Uint8Array(readFileSync(out)), 'out.png');
      expect(metadata).toMatchObject({
        modelSetId: 'random-tiny',
        settings: { classId: 1, seed: 11, steps: 1 },
      });
    },
  },
  {
    name: 'generate --help is not an error',
    args: () => ['generate', '--help'],
    status: 0,
    output: /Usage: svg-studio/,
  },
  {
    name: '--out under a file (/etc/passwd/a.png)',
    args: (_fixtures) => ['generate', '--models', TINY, '--class', '1', '--out', '/etc/passwd/a.png'],
    status: 2,
    output:
      '--out /etc/passwd/a.png: /etc/passwd is a file, not a folder, so nothing can be created under it',
  },
  {
    name: '--out on procfs',
    args: () => ['generate', '--models', TINY, '--class', '1', '--out', '/proc/self/x/a.png'],
    status: 2,
    output:
      '--out /proc/self/x/a.png: /proc/self is on procfs, a kernel filesystem, not a place for output files',
  },
  {
    name: '--latent-out that cannot be written is refused before the PNG is written',
    args: generate('--latent-out', '/proc/self/nope/z.npy'),
    status: 2,
    output: '--latent-out /proc/self/nope/z.npy: /proc/self is on procfs',
  },
  {
    name: 'model file is a symlink to /dev/zero',
    args: withSet('dit-dev-zero'),
    status: 2,
    output: /dit-dev-zero\/dit\.onnx: is a character device, not a regular model file/,
  },
  {
    name: 'model file is a FIFO',
    args: withSet('dit-fifo'),
    status: 2,
    output: /dit-fifo\/dit\.onnx: is a FIFO \(named pipe\), not a regular model file/,
  },
  {
    name: 'model file shorter than the manifest says (size checked before reading)',
    args: withSet('dit-short'),
    status: 2,
    output: /dit-short\/dit\.onnx: size is 1000 bytes, the manifest says \d+ \(size mismatch/,
  },
  {
    name: 'model file missing',
    args: withSet('dit-missing'),
    status: 2,
    // a local file: its path and how to put it back, not "Check the connection and the address"
    output:
      /dit-missing\/dit\.onnx: cannot open the model file \(ENOENT[^\n]*\. Check that \S*dit-missing\/dit\.onnx exists and is a readable file; if it is missing, copy the whole model-set folder again or re-export the set/,
  },
  {
    name: 'reconstruct a directory',
    args: reconstruct((fixtures) => fixtures),
    status: 2,
    output: /fixtures-[^:]*: is a directory, not a regular file/,
  },
  {
    name: 'reconstruct a text file',
    args: reconstruct(() => 'package.json'),
    status: 2,
    output: 'package.json: not an image the studio can read',
  },
  {
    name: 'reconstruct a truncated JPEG',
    args: reconstruct((fixtures) => path.join(fixtures, 'truncated.jpg')),
    status: 2,
    output: /truncated\.jpg: the JPEG file ends early \(truncated or corrupt\)/,
  },
  {
    name: 'reconstruct a FIFO',
    args: reconstruct((fixtures) => path.join(fixtures, 'input.fifo')),
    status: 2,
    output: /input\.fifo: is a FIFO \(named pipe\), not a regular file/,
  },
];

interface CliResult {
  readonly status: number | null;
  readonly output: string;
  readonly out: string;
}

/** Fixture folder: the tiny set's variants and the bad input files. */
function makeFixtures(): string {
  const fixtures = mkdtempSync(path.join(os.tmpdir(), 'svg-bad-input-cli-fixtures-'));
  for (const [variant, makeDit] of Object.entries(SET_VARIANTS)) {
    const folder = path.join(fixtures, variant);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'manifest.json'), readFileSync(path.join(TINY, 'manifest.json')));
    for (const file of readdirSync(TINY).filter((name) => name.endsWith('.onnx') && name !== 'dit.onnx'))
      symlinkSync(path.join(TINY, file), path.join(folder, file));
    makeDit(path.join(folder, 'dit.onnx'));
  }
  writeFileSync(
    path.join(fixtures, 'truncated.jpg'),
    Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46),
  );
  execFileSync('mkfifo', [path.join(fixtures, 'input.fifo')]);
  return fixtures;
}

/** At most this many CLI processes at once (the test machine may have two cores). */
const PARALLEL = 4;
let results: Map<string, Promise<CliResult>> | undefined;
const madeFolders: string[] = [];

function runAll(): Map<string, Promise<CliResult>> {
  const fixtures = makeFixtures();
  const outputs = mkdtempSync(path.join(os.tmpdir(), 'svg-bad-input-cli-out-'));
  madeFolders.push(fixtures, outputs);
  const queue = [...CASES];
  const started = new Map<string, (result: CliResult) => void>();
  const all = new Map(
    CASES.map((testCase) => [
      testCase.name,
      new Promise<CliResult>((resolve) => started.set(testCase.name, resolve)),
    ]),
  );
  const worker = async () => {
    for (let testCase = queue.shift(); testCase; testCase = queue.shift()) {
      const out = path.join(outputs, `${CASES.indexOf(testCase)}.png`);
      const { status, stdout, stderr } = await runCliAsync(testCase.args(fixtures, out));
      started.get(testCase.name)?.({ status, output: stdout + stderr, out });
    }
  };
  for (let k = 0; k < PARALLEL; k++) void worker();
  return all;
}

afterAll(() => {
  for (const folder of madeFolders) rmSync(folder, { recursive: true, force: true });
});

const tinyFolder = () =>
  readdirSync(TINY).map((file) => [file, readFileSync(path.join(TINY, file)).byteLength]);
const tinyBefore = tinyFolder();

badInputCases('cli', 'svg-studio arguments and files', CASES, async (testCase) => {
  results ??= runAll();
  const result = await results.get(testCase.name);
  expect(result?.status).toBe(testCase.status);
  if (typeof testCase.output === 'string') expect(result?.output).toContain(testCase.output);
  else expect(result?.output).toMatch(testCase.output);
  // Refused before any work: nothing written (or what was written is right); the set is as it was.
  if (testCase.written) await testCase.written(result?.out ?? '');
  else expect(existsSync(result?.out ?? '')).toBe(false);
  expect(tinyFolder()).toEqual(tinyBefore);
});
