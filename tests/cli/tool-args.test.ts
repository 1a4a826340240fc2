import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { asksForHelp, parseToolArgs, toolOptionLines, toolParseOptions } from '../../src/cli/tool-args';
import { InvalidSettingError } from '../../src/engine/errors';

const schema = v.object({
  out: v.pipe(
    v.string(),
    v.minLength(1, 'must not be empty'),
    v.description('report file'),
    v.metadata({ value: 'file' }),
  ),
  runs: v.optional(
    v.pipe(v.string(), v.transform(Number), v.minValue(1, 'must be at least 1'), v.description('runs')),
    '3',
  ),
  quick: v.optional(v.pipe(v.boolean(), v.description('fewer runs')), false),
  dit: v.optional(v.array(v.string())),
});
const parse = (argv: string[]) => parseToolArgs(argv, schema, 'usage: x');

describe('parseToolArgs', () => {
  it('returns the checked values with defaults, options derived from the schema alone', () => {
    expect(parse(['--out', 'r.json'])).toEqual({ out: 'r.json', runs: 3, quick: false });
    expect(parse(['--out', 'r', '--quick', '--dit', 'a', '--dit', 'b'])).toEqual({
      out: 'r',
      runs: 3,
      quick: true,
      dit: ['a', 'b'],
    });
    expect(toolParseOptions(schema)).toEqual({
      out: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean' },
      dit: { type: 'string', multiple: true },
    });
  });

  it.each([
    [['--bogus'], /^Unknown option '--bogus'\nusage: x$/],
    [[], /^--out is required\nusage: x$/],
    [['--out', ''], /^--out must not be empty \(got ""\)\nusage: x$/],
    // a negative number is the option's value (not an option), refused by the schema's own message,
    // and the value is named as typed (before the schema's transform)
    [['--out', 'r', '--runs', '-1'], /^--runs must be at least 1 \(got "-1"\)\nusage: x$/],
    [['--out', 'r', '--quick=yes'], /--quick' does not take an argument[\s\S]*usage: x$/],
  ])('refuses %j naming the option and the usage', (argv, message) => {
    expect(() => parse(argv)).toThrow(InvalidSettingError);
    expect(() => parse(argv)).toThrow(message);
  });
});

describe('toolOptionLines', () => {
  it('lists each option with its value name, description and default', () => {
    expect(toolOptionLines(schema)).toEqual([
      `  ${'--out <file>'.padEnd(22)} report file`,
      `  ${'--runs <value>'.padEnd(22)} runs (default 3)`,
      `  ${'--quick'.padEnd(22)} fewer runs`,
      `  --dit <value>`,
    ]);
  });
});

describe('asksForHelp', () => {
  it('finds --help or -h before the end of options', () => {
    expect(asksForHelp(['--out', 'x', '--help'])).toBe(true);
    expect(asksForHelp(['-h'])).toBe(true);
    expect(asksForHelp(['--out', 'x'])).toBe(false);
    expect(asksForHelp(['--', '--help'])).toBe(false);
  });
});
