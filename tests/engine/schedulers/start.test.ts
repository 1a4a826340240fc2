// Edit starts: the SDEdit start index on the shifted grid, noising, box masks, and the sampler run from a
// later grid point with the region hook, against a fake model whose flow goes straight to a target.
import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import { sampleFlow } from '../../../src/engine/schedulers/sampler';
import {
  boxKeepMask,
  editStartStep,
  followSourceInRegion,
  noisedLatent,
} from '../../../src/engine/schedulers/start';
import { timeGrid } from '../../../src/engine/schedulers/time-grid';
import { cpuLatentMath, cpuTensor, type CpuTensor } from '../../../src/engine/latent/tensor';
import { ONE_UNGUIDED } from './unguided';

describe('editStartStep', () => {
  const grid = timeGrid(4, 0); // 0, .25, .5, .75, 1
  it.each([
    [1, 0],
    [0.5, 2],
    [0.6, 2],
    [0.8, 1],
    [0.25, 3],
    [0, 4],
  ])('strength %s starts at grid index %s', (strength, index) => {
    expect(editStartStep(grid, strength)).toBe(index);
  });
  it('truncates the shifted grid rather than re-spacing it', () => {
    const shifted = timeGrid(10, 3);
    const start = editStartStep(shifted, 0.3);
    expect(shifted[start]).toBeGreaterThanOrEqual(Math.fround(0.7));
    expect(shifted[start - 1]).toBeLessThan(0.7);
  });
  it.each([-0.1, 1.5, NaN])('rejects strength %s', (strength) => {
    expect(() => editStartStep(grid, strength)).toThrow(InvalidSettingError);
  });
});

describe('noising and regions', () => {
  it('noises t x1 + (1 - t) noise, tiling one sample over the batch', () => {
    expect([...noisedLatent(Float32Array.of(2, 4), Float32Array.of(0, 0, 8, 8), 0.25)]).toEqual([
      0.5, 1, 6.5, 7,
    ]);
    expect(() => noisedLatent(new Float32Array(3), new Float32Array(4), 0.5)).toThrow(InvalidSettingError);
  });
  it('marks tokens by their centres, inside or outside', () => {
    const box = { x: 0, y: 0, width: 0.5, height: 0.5 };
    expect([...boxKeepMask(box, 2, 2, 'inside')]).toEqual([1, 0, 0, 0]);
    expect([...boxKeepMask(box, 2, 2, 'outside')]).toEqual([0, 1, 1, 1]);
    expect(() => boxKeepMask({ ...box, width: 0 }, 2, 2, 'inside')).toThrow(/non-zero size/);
    expect(() => boxKeepMask({ ...box, x: 1.2 }, 2, 2, 'inside')).toThrow(InvalidSettingError);
  });
  it('replaces kept tokens with the noised source', () => {
    // [B=1, N=2, C=2]: token 1 kept
    const out = followSourceInRegion(
      Float32Array.of(9, 9, 9, 9),
      Float32Array.of(1, 2, 3, 4),
      Float32Array.of(0, 0, 0, 0),
      0.5,
      Uint8Array.of(0, 1),
      2,
    );
    expect([...out]).toEqual([9, 9, 1.5, 2]);
  });
});

describe('sampling from a later start with the region hook', () => {
  // Exact flow to a fixed target: v(z, t) = (target - z) / (1 - t), so every Euler step lands on the line.
  const target = Float32Array.of(5, 5, 5, 5, 5, 5);
  const dims = [1, 3, 2];
  const calls: number[] = [];
  const model = async (z: CpuTensor, t: number) => {
    calls.push(t);
    return cpuTensor(
      Float32Array.from(z.data, (v, i) => (target[i]! - v) / (1 - t)),
      z.dims,
    );
  };
  const common = {
    steps: 4,
    solver: 'euler' as const,
    shift: 0,
    ...ONE_UNGUIDED,
    math: cpuLatentMath,
    model,
  };

  it('runs only the steps after the start index', async () => {
    calls.length = 0;
    const final = await sampleFlow({ ...common, noise: cpuTensor(new Float32Array(6), dims), startStep: 2 });
    expect(calls).toEqual([0.5, 0.75]);
    final.data.forEach((v) => expect(v).toBeCloseTo(5, 4));
  });
  it('returns a copy when the start is the last grid point', async () => {
    calls.length = 0;
    const noise = cpuTensor(Float32Array.of(1, 2, 3, 4, 5, 6), dims);
    const final = await sampleFlow({ ...common, noise, startStep: 4 });
    expect(calls).toEqual([]);
    expect(final).not.toBe(noise);
    expect([...final.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('rejects a start outside the grid', async () => {
    await expect(
      sampleFlow({ ...common, noise: cpuTensor(new Float32Array(6), dims), startStep: 5 }),
    ).rejects.toThrow(InvalidSettingError);
  });
  it('keeps the region on the source trajectory and ends on the source there', async () => {
    const source = Float32Array.of(-1, -2, -3, -4, -6, -7);
    const noise = Float32Array.of(0.5, -0.5, 1, -1, 2, -2);
    const keep = Uint8Array.of(0, 1, 0); // the middle token follows the source
    const seen: number[] = [];
    const final = await sampleFlow({
      ...common,
      noise: cpuTensor(noise, dims),
      afterStep: async (z, _step, tNext) => {
        seen.push(tNext);
        return cpuTensor(followSourceInRegion(z.data, source, noise, tNext, keep, 2), z.dims);
      },
    });
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
    expect([...final.data.subarray(2, 4)]).toEqual([-3, -4]);
    [0, 1, 4, 5].forEach((i) => expect(final.data[i]).toBeCloseTo(5, 4));
  });
});
