import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseToolArgs } from '../../src/cli/tool-args';
import { InvalidSettingError } from '../../src/engine/errors';

const schema = v.object({
  out: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  runs: v.optional(v.pipe(v.string(), v.transform(Number), v.minValue(1, 'must be at least 1'))),
  quick: v.optional(v.boolean(), false),
});
const parse = (argv: string[]) =>
  parseToolArgs(
    argv,
    { out: { type: 'string' }, quick: { type: 'boolean' }, runs: { type: 'string' } },
    schema,
    'usage: x',
  );

describe('parseToolArgs', () => {
  it('returns the checked values with defaults', () => {
    expect(parse(['--out', 'r.json'])).toEqual({ out: 'r.json', quick: false });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'[\s\S]*usage: x/],
    [[], /^--out is required\nusage: x$/],
    [['--out', ''], /^--out must not be empty \(got ""\)\nusage: x$/],
    // a negative number is the option's value (not an option), refused by the schema's own message
    [['--out', 'r', '--runs', '-1'], /^--runs must be at least 1 \(got -1\)\nusage: x$/],
  ])('refuses %j naming the option and the usage', (argv, message) => {
    expect(() => parse(argv)).toThrow(InvalidSettingError);
    expect(() => parse(argv)).toThrow(message);
  });
});
