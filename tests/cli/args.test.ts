import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../src/cli/args';
import { defaultModelsDirectory } from '../../src/cli/package-paths';

describe('parseCliArgs', () => {
  it('parses a full generate command', () => {
    const args = parseCliArgs([
      'generate',
      '--models',
      'm',
      '--class',
      'tabby cat',
      '--seed',
      '3',
      '--steps',
      '5',
      '--cfg',
      '1.5',
      '--cfg-mode',
      'cfg_star-1-0',
      '--shift',
      '0.15',
      '--sampler',
      'heun',
      '--batch',
      '2',
      '--out',
      'x.png',
    ]);
    expect(args).toEqual({
      command: 'generate',
      models: 'm',
      provider: 'cpu',
      classRef: 'tabby cat',
      seed: 3,
      steps: 5,
      cfg: 1.5,
      cfgMode: 'cfg_star-1-0',
      shift: 0.15,
      sampler: 'heun',
      batch: 2,
      out: 'x.png',
    });
  });

  it('defaults the model set, seed and batch', () => {
    const args = parseCliArgs(['generate', '--class', '1', '--out', 'x.png']);
    expect(args).toMatchObject({ models: defaultModelsDirectory(), seed: 0, batch: 1 });
  });

  it.each([
    [['generate', '--out', 'x.png'], /--class is required/],
    [['generate', '--class', '1'], /--out is required/],
    [['generate', '--class', '1', '--out', 'x', '--steps', '2.5'], /--steps must be an integer/],
    [
      ['generate', '--class', '1', '--out', 'x', '--seed', '4294967296'],
      '--seed must be an integer in 0..4294967295, got "4294967296"',
    ],
    [
      ['generate', '--class', '1', '--out', 'x', '--seed', '9007199254740993'],
      '--seed must be an integer in 0..4294967295, got "9007199254740993"',
    ],
    [
      ['generate', '--class', '1', '--out', 'x', '--seed', '1e3'],
      '--seed must be an integer in 0..4294967295, got "1e3"',
    ],
    [
      ['generate', '--class', '1', '--out', 'x', '--seed', '-1'],
      '--seed must be an integer in 0..4294967295, got "-1"',
    ],
    [['generate', '--class', '1', '--out', 'x', '--steps', '-3'], '--steps must be an integer in 1..'],
    [
      ['generate', '--class', '1', '--out', 'x', '--batch', '17'],
      '--batch must be an integer in 1..16, got "17"',
    ],
    [['sample', '--out', 'd'], 'sample: --num or --per-class is required'],
    [
      ['sample', '--num', '3', '--batch', '65', '--out', 'd'],
      '--batch must be an integer in 1..64, got "65"',
    ],
    [['sample', '--num', '3', '--out', 'd', '--classes', '1,,2'], /--classes must be a comma-separated list/],
    [['merge', '--npz', 'x.npz'], 'merge needs at least one sample folder'],
    [
      ['generate', '--class', '1', '--out', 'x', '--cfg', 'NaN'],
      /--cfg must be a number in 0..20, got "NaN"/,
    ],
    [
      ['generate', '--class', '1', '--out', 'x', '--cfg', '1e300'],
      '--cfg must be a number in 0..20, got "1e300"',
    ],
    [['generate', '--class', '1', '--out', 'x', '--bogus', '1'], /bogus/],
    [['reconstruct', '--out', 'x.png'], /exactly one image/],
    [['paint'], /unknown command "paint"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('recognises help, for the CLI and per command', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['generate', '--help'])).toEqual({ command: 'help', topic: 'generate' });
    expect(parseCliArgs(['sample', '--num', 'oops', '-h'])).toEqual({ command: 'help', topic: 'sample' });
    expect(parseCliArgs(['help', 'merge'])).toEqual({ command: 'help', topic: 'merge' });
  });

  it('parses sample with its shard and batch range, and merge', () => {
    expect(
      parseCliArgs([
        'sample',
        '--per-class',
        '5',
        '--classes',
        '1, cloud',
        '--shard',
        '1/4',
        '--batch',
        '32',
        '--out',
        'd',
      ]),
    ).toMatchObject({
      command: 'sample',
      perClass: 5,
      classes: ['1', 'cloud'],
      shard: '1/4',
      batch: 32,
      latents: false,
    });
    expect(parseCliArgs(['merge', 'a', 'b', '--npz', 'x.npz', '--latents'])).toEqual({
      command: 'merge',
      dirs: ['a', 'b'],
      npz: 'x.npz',
      latents: true,
    });
  });

  it('finds the bundled default model set relative to the package, not the working directory', () => {
    const folder = defaultModelsDirectory();
    expect(path.isAbsolute(folder)).toBe(true);
    expect(existsSync(path.join(folder, 'manifest.json'))).toBe(true);
  });
});
