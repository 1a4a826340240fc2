import { describe, expect, it } from 'vitest';
import { choosePreviewInterval, PREVIEW_BUDGET } from '../../../src/engine/workspace/preview-interval';

describe('choosePreviewInterval', () => {
  it('is 0 when previews are off or the run has one step', () => {
    expect(choosePreviewInterval(25, false, null)).toBe(0);
    expect(choosePreviewInterval(1, true, null)).toBe(0);
  });

  it('aims for about four previews before anything is measured', () => {
    expect(choosePreviewInterval(25, true, null)).toBe(7);
    expect(choosePreviewInterval(8, true, null)).toBe(2);
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
