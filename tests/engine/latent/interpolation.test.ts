// lerp/slerp endpoints and midpoints, the parallel fallback, frame schedules and the four-corner grid.
import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import {
  frameTimes,
  interpolateGrid,
  interpolatePath,
  lerp,
  slerp,
} from '../../../src/engine/latent/interpolation';

const norm = (v: Float32Array) => Math.hypot(...v);

describe('lerp', () => {
  it('hits both endpoints and the midpoint', () => {
    const a = Float32Array.of(0, 2, -4);
    const b = Float32Array.of(2, 2, 4);
    expect([...lerp(a, b, 0)]).toEqual([0, 2, -4]);
    expect([...lerp(a, b, 1)]).toEqual([2, 2, 4]);
    expect([...lerp(a, b, 0.5)]).toEqual([1, 2, 0]);
  });
  it('rejects endpoints of different sizes', () => {
    expect(() => lerp(new Float32Array(2), new Float32Array(3), 0.5)).toThrow(InvalidSettingError);
  });
});

describe('slerp', () => {
  it('moves along the circle between orthogonal vectors, keeping the norm', () => {
    const a = Float32Array.of(3, 0);
    const b = Float32Array.of(0, 3);
    const mid = slerp(a, b, 0.5);
    expect(mid[0]).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(mid[1]).toBeCloseTo(3 / Math.SQRT2, 5);
    expect(norm(slerp(a, b, 0.3))).toBeCloseTo(3, 5);
    // lerp shrinks the same midpoint
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(3 / Math.SQRT2, 5);
  });
  it('returns the endpoints at t = 0 and t = 1', () => {
    const a = Float32Array.of(1, 2, 3, -1);
    const b = Float32Array.of(-2, 0.5, 1, 4);
    slerp(a, b, 0).forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    slerp(a, b, 1).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  });
  it('falls back to lerp for parallel, anti-parallel and zero endpoints', () => {
    const a = Float32Array.of(1, 2);
    expect([...slerp(a, Float32Array.of(2, 4), 0.5)]).toEqual([...lerp(a, Float32Array.of(2, 4), 0.5)]);
    expect([...slerp(a, Float32Array.of(-1, -2), 0.25)]).toEqual([...lerp(a, Float32Array.of(-1, -2), 0.25)]);
    expect([...slerp(new Float32Array(2), a, 0.5)]).toEqual([0.5, 1]);
  });
  it('treats a sample as one flattened vector (not per token)', () => {
    // tokens [2, 2]: per-token angles differ (0 and 90 degrees), the flattened angle is 60 degrees
    const a = Float32Array.of(1, 0, 1, 0);
    const b = Float32Array.of(1, 0, 0, 1);
    const theta = Math.acos(1 / 2);
    const wa = Math.sin(0.5 * theta) / Math.sin(theta);
    const mid = slerp(a, b, 0.5);
    expect(mid[0]).toBeCloseTo(2 * wa, 5);
    expect(mid[2]).toBeCloseTo(wa, 5);
  });
});

describe('frame schedules', () => {
  it('includes both endpoints', () => {
    expect(frameTimes(2)).toEqual([0, 1]);
    expect(frameTimes(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it.each([1, 65, 2.5])('rejects %s frames', (frames) => {
    expect(() => frameTimes(frames)).toThrow(/frames must be a whole number from 2 to 64/);
  });
  it('stacks a path into [frames, size]', () => {
    const path = interpolatePath(Float32Array.of(0, 0), Float32Array.of(4, 8), 3, 'linear');
    expect([...path]).toEqual([0, 0, 2, 4, 4, 8]);
  });
});

describe('interpolateGrid', () => {
  const corners = {
    topLeft: Float32Array.of(0),
    topRight: Float32Array.of(1),
    bottomLeft: Float32Array.of(10),
    bottomRight: Float32Array.of(20),
  };
  it('is bilinear with linear interpolation, corners in place', () => {
    expect([...interpolateGrid(corners, 3, 'linear')]).toEqual([0, 0.5, 1, 5, 7.75, 10.5, 10, 15, 20]);
  });
  it('keeps the corners with spherical interpolation', () => {
    const grid = interpolateGrid(
      {
        topLeft: Float32Array.of(1, 0),
        topRight: Float32Array.of(0, 1),
        bottomLeft: Float32Array.of(-1, 0),
        bottomRight: Float32Array.of(0, -1),
      },
      2,
      'spherical',
    );
    [1, 0, 0, 1, -1, 0, 0, -1].forEach((v, i) => expect(grid[i]).toBeCloseTo(v, 5));
  });
});
