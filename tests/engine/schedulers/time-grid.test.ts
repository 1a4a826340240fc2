import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import { shiftTime, timeGrid, torchLinspace01 } from '../../../src/engine/schedulers/time-grid';
import { bitMismatches, fixtureJson, fixtureNpy } from '../fixtures';

interface SamplerCase {
  readonly name: string;
  readonly sample_steps: number;
  readonly timestep_shift: number;
}

describe('timeGrid', () => {
  const { cases } = fixtureJson<{ cases: SamplerCase[] }>('sampler_cases.json');

  it.each(cases.map((c) => [c.name, c] as const))('reproduces sampler_%s_t_seq.npy bit for bit', (_, c) => {
    const expected = fixtureNpy(`sampler_${c.name}_t_seq.npy`).data as Float32Array;
    expect(bitMismatches(timeGrid(c.sample_steps, c.timestep_shift), expected)).toBe(0);
  });

  it('matches torch 1.13 for the paper default (25 steps, shift 0.15)', () => {
    // prepare_t_seq(25, 'cpu', 0.15) printed by torch 1.13.1 (AVX2 and default kernels agree here)
    const torch = [
      0.0, 0.0062111797742545605, 0.01287553645670414, 0.020044542849063873, 0.02777777798473835,
      0.03614457696676254, 0.04522613063454628, 0.05511811003088951, 0.06593406200408936, 0.07780979573726654,
      0.09090908616781235, 0.10543131083250046, 0.12162161618471146, 0.13978493213653564, 0.16030535101890564,
      0.18367348611354828, 0.21052630245685577, 0.24170616269111633, 0.2783505320549011, 0.3220338821411133,
      0.3750000298023224, 0.4405595064163208, 0.5238094925880432, 0.6330275535583496, 0.7826086282730103, 1.0,
    ];
    expect(Array.from(timeGrid(25, 0.15))).toEqual(torch);
    expect(Array.from(timeGrid(25, 0.15, 'generic'))).toEqual(torch);
  });

  it("reproduces torch.linspace's kernel-dependent last bits", () => {
    // [steps S, index, AVX2 value, generic value] where torch 1.13's two CPU kernels disagree
    const differences: Array<[number, number, number, number]> = [
      [9, 6, 0.6666666865348816, 0.6666666269302368],
      [23, 16, 0.695652186870575, 0.6956521272659302],
      [23, 20, 0.8695651888847351, 0.8695652484893799],
      [34, 24, 0.7058823704719543, 0.7058823108673096],
      [34, 31, 0.9117647409439087, 0.9117646813392639],
    ];
    for (const [steps, index, avx2, generic] of differences) {
      expect(torchLinspace01(steps + 1, 'avx2')[index]).toBe(avx2);
      expect(torchLinspace01(steps + 1, 'generic')[index]).toBe(generic);
    }
  });

  it('is float32, increasing from 0 to 1, uniform for shift <= 0 and 1', () => {
    for (const steps of [1, 2, 7, 50, 333]) {
      for (const shift of [-1, 0, 0.15, 1, 3]) {
        const grid = timeGrid(steps, shift);
        expect(grid.length).toBe(steps + 1);
        expect(grid[0]).toBe(0);
        expect(grid[steps]).toBe(1);
        for (let i = 0; i < steps; i++) expect(grid[i + 1]).toBeGreaterThan(grid[i] as number);
      }
      const uniform = torchLinspace01(steps + 1);
      expect(timeGrid(steps, 0)).toEqual(uniform);
      expect(timeGrid(steps, 1)).toEqual(uniform);
    }
    // a small shift spends the steps near t = 0 (noise): shift(0.5) = s / (1 + s)
    expect(shiftTime(0.5, 0.15)).toBeCloseTo(0.15 / 1.15, 15);
  });

  it('rejects bad step counts and shifts', () => {
    expect(() => timeGrid(0, 1)).toThrow(InvalidSettingError);
    expect(() => timeGrid(2.5, 1)).toThrow(InvalidSettingError);
    expect(() => timeGrid(4, Number.NaN)).toThrow(InvalidSettingError);
  });
});
