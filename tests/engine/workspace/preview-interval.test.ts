import { describe, expect, it } from 'vitest';
import {
  choosePreviewInterval,
  costFromWarmUp,
  PREVIEW_BUDGET,
} from '../../../src/engine/workspace/preview-interval';

describe('choosePreviewInterval', () => {
  it('is 0 when previews are off or the run has one step', () => {
    expect(choosePreviewInterval(25, false, null)).toBe(0);
    expect(choosePreviewInterval(1, true, null)).toBe(0);
  });

  it('shows no previews before anything is measured (no fixed default)', () => {
    expect(choosePreviewInterval(25, true, null)).toBe(0);
    expect(choosePreviewInterval(8, true, { stepMs: NaN, decodeMs: 3 })).toBe(0);
  });

  it('charges a step one warm-up forward per evaluation', () => {
    expect(costFromWarmUp({ forwardMs: 30, decodeMs: 90 }, 2)).toEqual({ stepMs: 60, decodeMs: 90 });
    // Euler, a decode of 3 forwards: one preview every 12 steps keeps decoding at 25 %
    expect(choosePreviewInterval(16, true, costFromWarmUp({ forwardMs: 30, decodeMs: 90 }, 1))).toBe(12);
  });

  it('keeps preview decoding within the budget of the measured step time', () => {
    const k = choosePreviewInterval(100, true, { stepMs: 40, decodeMs: 90 });
    // One decode every k steps costs decodeMs / (k * stepMs) of the sampling time.
    expect(90 / (k * 40)).toBeLessThanOrEqual(PREVIEW_BUDGET);
    expect(90 / ((k - 1) * 40)).toBeGreaterThan(PREVIEW_BUDGET);
  });

  it('previews every step when decoding is cheap, and never when it costs more than the run allows', () => {
    expect(choosePreviewInterval(10, true, { stepMs: 100, decodeMs: 1 })).toBe(1);
    expect(choosePreviewInterval(10, true, { stepMs: 1, decodeMs: 1000 })).toBe(0);
  });
});
