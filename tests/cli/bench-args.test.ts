// `npm run bench`'s arguments through the developer commands' schema path (tool-args.ts): defaults,
// --help, and a clear refusal naming the option and the value as typed for each bad one.
import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, DEFAULT_REPEATS, parseBenchArgs } from '../../src/cli/bench-args';
import { InvalidSettingError } from '../../src/engine/errors';

describe('parseBenchArgs', () => {
  it('takes the defaults: every section, the bundled set, DEFAULT_REPEATS runs, no JSON', () => {
    expect(parseBenchArgs([])).toEqual({ repeats: DEFAULT_REPEATS, 'no-browser': false, 'no-torch': false });
  });

  it('reads every option', () => {
    expect(
      parseBenchArgs([
        '--json',
        'out/bench.json',
        '--models',
        'public/models/x',
        '--repeats',
        '3',
        '--no-browser',
        '--no-torch',
      ]),
    ).toEqual({
      json: 'out/bench.json',
      models: 'public/models/x',
      repeats: 3,
      'no-browser': true,
      'no-torch': true,
    });
  });

  it('answers --help (anywhere) with the usage, which lists every option once', () => {
    expect(parseBenchArgs(['--help'])).toBe('help');
    expect(parseBenchArgs(['--repeats', 'x', '-h'])).toBe('help');
    for (const flag of [
      '--json <file>',
      '--models <dir>',
      '--repeats <N>',
      '--no-browser',
      '--no-torch',
      '--help',
    ])
      expect(BENCH_USAGE.split('\n').filter((line) => line.trimStart().startsWith(`${flag} `))).toHaveLength(
        1,
      );
    expect(BENCH_USAGE).toMatch(/--repeats <N> +timed runs per DiT forward comparison, .*\(default 15\)/);
  });

  it.each([
    [['--repeats', '-3'], '--repeats must be a whole number in 1..1000 (got "-3")'],
    [['--repeats', 'many'], '--repeats must be a whole number in 1..1000 (got "many")'],
    [['--repeats', '1.5'], '--repeats must be a whole number in 1..1000 (got "1.5")'],
    [['--repeats', '0'], '--repeats must be a whole number in 1..1000 (got "0")'],
    [['--repeats', '5000'], '--repeats must be a whole number in 1..1000 (got "5000")'],
    [['--json', ''], '--json must not be empty (got "")'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--no-torch=yes'], "Option '--no-torch' does not take an argument"],
    [['--models'], "Option '--models <value>' argument missing"],
    [['positional'], "Unexpected argument 'positional'"],
  ])('refuses %j naming the option and the value', (argv, message) => {
    const error = (() => {
      try {
        parseBenchArgs(argv);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidSettingError);
    const [first, ...usage] = (error as Error).message.split('\n');
    expect(first).toContain(message);
    expect(usage.join('\n')).toBe(BENCH_USAGE);
  });
});
