// One set of limits for the CLI, the page (links) and the stored-record schema (defect 13: they used to
// differ: steps 1000 vs 100, batch 64 vs 16, seed 2^53 vs 2^32). At each limit both front ends accept
// the value; one past it both refuse it, so every CLI result is also a valid link and vice versa.
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';
import { describeRange, isFiniteIn, isIntegerIn, LIMITS } from '../../src/engine/limits';
import { checkSetting } from '../../src/engine/settings-schema';
import { parseSettingsQuery } from '../../src/engine/workspace/settings-url';

const cli = (option: string, value: string) =>
  parseCliArgs(['generate', '--class', '1', '--out', 'x.png', `--${option}`, value]);

const SHARED = [
  { name: 'steps', cli: 'steps', query: 'steps', limit: LIMITS.steps },
  { name: 'batch', cli: 'batch', query: 'batch', limit: LIMITS.batch },
  { name: 'seed', cli: 'seed', query: 'seed', limit: LIMITS.seed },
] as const;

describe('shared limits', () => {
  it('is frozen', () => {
    expect(Object.isFrozen(LIMITS)).toBe(true);
    expect(Object.isFrozen(LIMITS.steps)).toBe(true);
    expect(Object.isFrozen(LIMITS.image)).toBe(true);
  });

  it.each(SHARED)(
    '$name: the CLI and a link accept the same range',
    ({ name, cli: option, query, limit }) => {
      for (const value of [limit.min, limit.max]) {
        expect(() => cli(option, String(value))).not.toThrow();
        expect(parseSettingsQuery(`?${query}=${value}`).rejected).toEqual([]);
        expect(checkSetting(name, value).ok).toBe(true);
      }
      for (const value of [limit.min - 1, limit.max + 1]) {
        expect(() => cli(option, String(value))).toThrow();
        expect(parseSettingsQuery(`?${query}=${value}`).rejected).toHaveLength(1);
        expect(checkSetting(name, value).ok).toBe(false);
      }
    },
  );

  it('guidance and shift have finite ranges for links and records', () => {
    for (const [name, limit] of [
      ['guidanceScale', LIMITS.guidanceScale],
      ['shift', LIMITS.shift],
    ] as const) {
      expect(checkSetting(name, limit.max).ok).toBe(true);
      expect(checkSetting(name, limit.max + 1).ok).toBe(false);
      expect(checkSetting(name, Infinity).ok).toBe(false);
    }
  });

  it('helpers', () => {
    expect(isIntegerIn(3, LIMITS.steps)).toBe(true);
    expect(isIntegerIn(3.5, LIMITS.steps)).toBe(false);
    expect(isFiniteIn(Number.NaN, LIMITS.shift)).toBe(false);
    expect(describeRange(LIMITS.batch)).toBe('1..16');
  });
});
