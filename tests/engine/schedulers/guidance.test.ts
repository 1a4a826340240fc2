import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import {
  formatGuidanceSchedule,
  guidanceCoefficients,
  parseGuidanceSchedule,
  type GuidanceSchedule,
} from '../../../src/engine/schedulers/guidance';

/** g such that the combination is vu + g (vc - vu), read back from the weights. */
const effectiveScale = (schedule: GuidanceSchedule, scale: number, i: number, steps: number, t: number) => {
  const { uncond, cond } = guidanceCoefficients(schedule, scale, i, steps, t);
  expect(uncond + cond).toBeCloseTo(1, 12);
  return cond;
};

describe('guidance schedules', () => {
  it('parses the reference cfg_mode strings and formats them back', () => {
    const cases: Array<[string, GuidanceSchedule]> = [
      ['constant', { kind: 'constant' }],
      ['late', { kind: 'late' }],
      ['linear', { kind: 'linear' }],
      ['early-0.5', { kind: 'early', threshold: 0.5 }],
      ['cfg_star-1-0', { kind: 'cfg-star', skipSteps: 1, ratio: 0 }],
      ['cfg_star-3-0.25', { kind: 'cfg-star', skipSteps: 3, ratio: 0.25 }],
    ];
    for (const [text, schedule] of cases) {
      expect(parseGuidanceSchedule(text)).toEqual(schedule);
      expect(formatGuidanceSchedule(schedule)).toBe(text);
    }
    expect(parseGuidanceSchedule(' early-.25 ')).toEqual({ kind: 'early', threshold: 0.25 });
  });

  it.each([
    '',
    'Constant',
    'interval',
    'early',
    'early-x',
    'early--1',
    'cfg_star-1',
    'cfg_star-a-0',
    'cfg_star-1.5-0',
    'late-1',
  ])('rejects "%s" with InvalidSettingError', (text) => {
    expect(() => parseGuidanceSchedule(text)).toThrow(InvalidSettingError);
  });

  it('constant: g = c on every step', () => {
    for (let i = 0; i < 5; i++) expect(effectiveScale({ kind: 'constant' }, 4, i, 5, 0.3)).toBe(4);
    expect(guidanceCoefficients({ kind: 'constant' }, 4, 0, 5, 0)).toEqual({ uncond: -3, cond: 4 });
  });

  it('late: c once (i + 1) / S > 0.5, else 1', () => {
    const g = [0, 1, 2, 3, 4, 5].map((i) => effectiveScale({ kind: 'late' }, 3, i, 6, 0));
    expect(g).toEqual([1, 1, 1, 3, 3, 3]); // (2 + 1) / 6 = 0.5 is not > 0.5
    expect([0, 1, 2, 3, 4].map((i) => effectiveScale({ kind: 'late' }, 3, i, 5, 0))).toEqual([1, 1, 3, 3, 3]);
  });

  it('linear: 1 + (c - 1)(i + 1) / S, reaching c on the last step', () => {
    const g = [0, 1, 2].map((i) => effectiveScale({ kind: 'linear' }, 1.5, i, 3, 0));
    expect(g[0]).toBeCloseTo(1 + 0.5 / 3, 15);
    expect(g[1]).toBeCloseTo(1 + 1 / 3, 15);
    expect(g[2]).toBe(1.5);
  });

  it('early-x: c while the evaluation time t > x, else 1', () => {
    const schedule = parseGuidanceSchedule('early-0.3');
    expect(effectiveScale(schedule, 4, 0, 10, 0.29)).toBe(1);
    expect(effectiveScale(schedule, 4, 0, 10, 0.3)).toBe(1);
    expect(effectiveScale(schedule, 4, 0, 10, 0.31)).toBe(4);
  });

  it('cfg_star-k-r: v = -r vu for the first k steps, then constant', () => {
    const schedule = parseGuidanceSchedule('cfg_star-2-0.5');
    expect(guidanceCoefficients(schedule, 4, 0, 25, 0)).toEqual({ uncond: -0.5, cond: 0 });
    expect(guidanceCoefficients(schedule, 4, 1, 25, 0.1)).toEqual({ uncond: -0.5, cond: 0 });
    expect(guidanceCoefficients(schedule, 4, 2, 25, 0.2)).toEqual({ uncond: -3, cond: 4 });
    // zero-init (the paper's FID setting cfg_star-1-0): zero velocity on the first step
    const zero = guidanceCoefficients(parseGuidanceSchedule('cfg_star-1-0'), 1.5, 0, 25, 0);
    expect(zero.cond).toBe(0);
    expect(Math.abs(zero.uncond)).toBe(0);
  });
});
