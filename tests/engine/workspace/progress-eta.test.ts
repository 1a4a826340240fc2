import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, formatDuration } from '../../../src/engine/workspace/progress-eta';

describe('estimateRemainingMs', () => {
  it('extrapolates the mean step time over the remaining steps', () => {
    expect(estimateRemainingMs({ step: 5, steps: 25, elapsedMs: 1000 })).toBe(4000);
    expect(estimateRemainingMs({ step: 25, steps: 25, elapsedMs: 1000 })).toBe(0);
  });
  it('has no estimate before the first step', () => {
    expect(estimateRemainingMs({ step: 0, steps: 25, elapsedMs: 300 })).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [840, '0.8 s'],
    [12_400, '12 s'],
    [125_000, '2 min 05 s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
