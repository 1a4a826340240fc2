import { describe, expect, it } from 'vitest';
import { joinNegativeValues } from '../../src/cli/negative-values';

const options = {
  seed: { type: 'string' },
  cfg: { type: 'string', short: 'c' },
  quick: { type: 'boolean' },
} as const;

describe('joinNegativeValues', () => {
  it.each([
    [['--seed', '-1'], ['--seed=-1']],
    [
      ['--cfg', '-0.5', '--seed', '3'],
      ['--cfg=-0.5', '--seed', '3'],
    ],
    [['-c', '-.5'], ['--cfg=-.5']],
    [['--seed', '-1e3'], ['--seed=-1e3']],
    [['--seed', '-Infinity'], ['--seed=-Infinity']],
  ])('joins a negative number to the value option before it: %j', (argv, joined) => {
    expect(joinNegativeValues(argv, options)).toEqual(joined);
  });

  it.each([
    [['--quick', '-1']], // a boolean option takes no value: "-1" stays an (unknown) option
    [['--seed', '--quick']],
    [['--seed', '-x']],
    [['--seed=-1']],
    [['--', '--seed', '-1']],
    [['--seed']],
  ])('leaves %j as typed', (argv) => {
    expect(joinNegativeValues(argv, options)).toEqual(argv);
  });
});
