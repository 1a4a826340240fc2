// Adams-Bashforth 2: the rule itself on a non-uniform grid, one evaluation per step, and its accuracy
// against Euler at equal model calls (the general contract is in solver-contract.test.ts).
import { describe, expect, it } from 'vitest';
import { adamsBashforth2Solver } from '../../../src/engine/schedulers/adams-bashforth';
import { sampleFlow } from '../../../src/engine/schedulers/sampler';
import { SOLVERS } from '../../../src/engine/schedulers/solvers';
import { cpuLatentMath, cpuTensor, type CpuTensor } from '../../../src/engine/latent/tensor';
import { ONE_UNGUIDED } from './unguided';

const f = Math.fround;

describe('Adams-Bashforth 2 flow solver', () => {
  it('is the registry row "ab2"', () => {
    expect(SOLVERS.ab2).toBe(adamsBashforth2Solver);
  });

  it('takes an Euler step without history, then z + dt (v_i + dt/(2 dt_prev) (v_i - v_prev))', async () => {
    const run = adamsBashforth2Solver.start<CpuTensor>();
    const z = cpuTensor(Float32Array.from([1, -2]), [1, 1, 2]);
    const velocity = async (x: CpuTensor) =>
      cpuTensor(
        Float32Array.from(x.data, (v) => 2 * v),
        x.dims,
      );
    const first = await run.step({
      z,
      t: 0,
      tNext: 0.25,
      stepIndex: 0,
      velocity,
      math: cpuLatentMath,
      history: [],
    });
    expect(Array.from(first.z.data)).toEqual([1.5, -3]);
    const previous = { velocity: first.velocity, t: 0, tNext: 0.25 };
    const second = await run.step({
      z: first.z,
      t: 0.25,
      tNext: 0.75,
      stepIndex: 1,
      velocity,
      math: cpuLatentMath,
      history: [previous],
    });
    // dt 0.5, dt_prev 0.25: z + 0.5 (v + (v - v_prev)) = z + v - 0.5 v_prev
    const expected = [1.5 + 3 - 0.5 * 2, -3 - 6 + 0.5 * 4];
    expect(Array.from(second.z.data)).toEqual(expected.map(f));
  });

  it('is more accurate than Euler at the same number of model calls on a curved flow', async () => {
    const errorOf = async (solver: 'euler' | 'ab2', steps: number) => {
      const noise = cpuTensor(Float32Array.from([1, 0.5, -1]), [1, 1, 3]);
      // dz/dt = -z + t, solved by z(t) = t - 1 + (z0 + 1) e^-t
      const final = await sampleFlow({
        noise,
        steps,
        solver,
        shift: 0.5,
        ...ONE_UNGUIDED,
        math: cpuLatentMath,
        model: async (z, t) =>
          cpuTensor(
            Float32Array.from(z.data, (v) => -v + t),
            z.dims,
          ),
      });
      const exact = (z0: number) => (z0 + 1) * Math.exp(-1);
      return Math.max(...Array.from(final.data, (v, i) => Math.abs(v - exact(noise.data[i] as number))));
    };
    for (const steps of [4, 8]) {
      expect(await errorOf('ab2', steps)).toBeLessThan(await errorOf('euler', steps));
    }
  });
});
