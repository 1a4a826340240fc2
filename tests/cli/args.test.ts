import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, parseCliArgs, UsageError } from '../../src/cli/args';

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
    expect(args).toMatchObject({ models: DEFAULT_MODELS, seed: 0, batch: 1 });
  });

  it.each([
    [['generate', '--out', 'x.png'], /--class is required/],
    [['generate', '--class', '1'], /--out is required/],
    [['generate', '--class', '1', '--out', 'x', '--steps', '2.5'], /--steps must be an integer/],
    [['generate', '--class', '1', '--out', 'x', '--cfg', 'NaN'], /--cfg must be a finite number/],
    [['generate', '--class', '1', '--out', 'x', '--bogus', '1'], /bogus/],
    [['reconstruct', '--out', 'x.png'], /exactly one image/],
    [['paint'], /unknown command "paint"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('recognises help', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
  });
});
