// The contract every flow solver of the registry (SOLVERS) must keep: exactness where its rule is exact,
// its declared order of convergence, its evaluation count, handle ownership (also of the history the
// sampler keeps for it), a fresh state per run, and cancellation through the sampler.
import { describe, expect, it } from 'vitest';
import { SamplingCancelledError } from '../../../src/engine/errors';
import { sampleFlow } from '../../../src/engine/schedulers/sampler';
import type { VelocityField } from '../../../src/engine/schedulers/solver';
import { SOLVERS } from '../../../src/engine/schedulers/solvers';
import type { CpuTensor } from '../../../src/engine/latent/tensor';
import { maxAbsDiff } from '../fixtures';
import { TrackingMath } from './latent-math-tracker';
import { ONE_UNGUIDED } from './unguided';

const DIMS = [1, 2, 3];

/** A velocity field v(z, t) = f(z_i, t) element-wise, as a counted model producing tracked handles. */
function field(math: TrackingMath, f: (z: number, t: number, i: number) => number) {
  const calls: number[] = [];
  const velocity: VelocityField<CpuTensor> = async (z, t) => {
    calls.push(t);
    math.check(z);
    return math.make(
      Array.from(z.data, (v, i) => f(v, t, i)),
      z.dims,
    );
  };
  return { velocity, calls };
}

describe.each(Object.entries(SOLVERS))('solver %s', (_, solver) => {
  it('takes one step with evaluationsPerStep evaluations, starting at (z_i, t_i), and owns nothing after it', async () => {
    const math = new TrackingMath();
    const z = math.make([0, 1, 2, 3, 4, 5], DIMS);
    const { velocity, calls } = field(math, (v) => 2 * v);
    const result = await solver
      .start<CpuTensor>()
      .step({ z, t: 0.25, tNext: 0.75, stepIndex: 0, velocity, math, history: [] });
    expect(calls.length).toBe(solver.evaluationsPerStep);
    expect(calls[0]).toBe(0.25);
    expect(Array.from(result.velocity.data)).toEqual([0, 2, 4, 6, 8, 10]); // v(z_i, t_i)
    expect(new Set(math.live)).toEqual(new Set([z, result.z, result.velocity]));
    expect(result.z.dims).toEqual(DIMS);
  });

  it('is exact on a constant velocity (the straight rectified-flow path)', async () => {
    const math = new TrackingMath();
    const noise = math.make([0.5, -1, 2, 0, 3, -2], DIMS);
    const data = [1, 2, 3, 4, 5, 6];
    const { velocity } = field(math, (_v, _t, i) => (data[i] as number) - (noise.data[i] as number));
    const final = await sampleFlow({
      noise,
      steps: 7,
      solver,
      shift: 0.3,
      ...ONE_UNGUIDED,
      math,
      model: (z, t) => velocity(z, t),
    });
    expect(maxAbsDiff(final.data, data)).toBeLessThan(1e-5);
  });

  it(`converges with order ${solver.order} on dz/dt = -z`, async () => {
    const errorWith = async (steps: number) => {
      const math = new TrackingMath();
      const noise = math.make([1, 1, 1, 1, 1, 1], DIMS);
      const { velocity } = field(math, (v) => -v);
      const final = await sampleFlow({
        noise,
        steps,
        solver,
        shift: 1,
        ...ONE_UNGUIDED,
        math,
        model: (z, t) => velocity(z, t),
      });
      return Math.abs((final.data[0] as number) - Math.exp(-1));
    };
    const coarse = await errorWith(8);
    const fine = await errorWith(16);
    expect(Math.log2(coarse / fine)).toBeCloseTo(solver.order, 0);
  });

  it('releases its intermediates when the velocity fails', async () => {
    const math = new TrackingMath();
    const z = math.make([1, 2, 3, 4, 5, 6], DIMS);
    let calls = 0;
    const velocity: VelocityField<CpuTensor> = async (x) => {
      if (++calls === solver.evaluationsPerStep) throw new Error('model failed');
      return math.make(x.data, x.dims);
    };
    await expect(
      solver.start<CpuTensor>().step({ z, t: 0, tNext: 0.5, stepIndex: 0, velocity, math, history: [] }),
    ).rejects.toThrow('model failed');
    expect([...math.live]).toEqual([z]);
  });

  it('releases its intermediates when the velocity fails on a step with history', async () => {
    const math = new TrackingMath();
    const z = math.make([1, 2, 3, 4, 5, 6], DIMS);
    const kept = math.make([0, 0, 1, 1, 2, 2], DIMS);
    let calls = 0;
    const velocity: VelocityField<CpuTensor> = async (x) => {
      if (++calls === solver.evaluationsPerStep) throw new Error('model failed');
      return math.make(x.data, x.dims);
    };
    const history = [{ velocity: kept, t: 0.25, tNext: 0.5 }].slice(0, solver.historyLength);
    await expect(
      solver.start<CpuTensor>().step({ z, t: 0.5, tNext: 0.75, stepIndex: 1, velocity, math, history }),
    ).rejects.toThrow('model failed');
    expect(new Set(math.live)).toEqual(new Set([z, kept]));
  });

  it('runs twice from a fresh state per run: the same noise gives the same latent, no handle leaks', async () => {
    const math = new TrackingMath();
    const noise = math.make([0.3, -1, 2, 0.5, 1, -2], DIMS);
    const { velocity, calls } = field(math, (v, t) => Math.sin(3 * v) - t * v);
    const run = () =>
      sampleFlow({
        noise,
        steps: 6,
        solver,
        shift: 0.4,
        ...ONE_UNGUIDED,
        math,
        model: (z, t) => velocity(z, t),
      });
    const first = await run();
    const second = await run();
    expect(Array.from(second.data)).toEqual(Array.from(first.data));
    expect(calls.length).toBe(2 * 6 * solver.evaluationsPerStep);
    expect(new Set(math.live)).toEqual(new Set([noise, first, second]));
  });

  it('gets at most historyLength earlier steps, most recent first, with their times', async () => {
    const seen: number[][] = [];
    const math = new TrackingMath();
    const noise = math.make([1, 2, 3, 4, 5, 6], DIMS);
    const { velocity } = field(math, (v) => -v);
    const spy = {
      ...solver,
      start: <T>() => {
        const inner = solver.start<T>();
        return {
          step: (context: Parameters<typeof inner.step>[0]) => {
            seen.push(context.history.map((h) => h.t));
            return inner.step(context);
          },
        };
      },
    };
    await sampleFlow({
      noise,
      steps: 4,
      solver: spy,
      shift: 1,
      ...ONE_UNGUIDED,
      math,
      model: (z, t) => velocity(z, t),
    });
    const expected = [[], [0], [0.25, 0], [0.5, 0.25]].map((h) => h.slice(0, solver.historyLength));
    expect(seen).toEqual(expected);
  });

  it('can be cancelled between model calls through the sampler, leaving no handle but the noise', async () => {
    const math = new TrackingMath();
    const noise = math.make([1, 2, 3, 4, 5, 6], DIMS);
    const controller = new AbortController();
    let calls = 0;
    const promise = sampleFlow({
      noise,
      steps: 10,
      solver,
      shift: 1,
      labels: [3],
      nullId: 10,
      math,
      guidance: { scale: 2, schedule: { kind: 'constant' } },
      signal: controller.signal,
      model: async (z) => {
        if (++calls === 5) controller.abort();
        return math.make(z.data, z.dims);
      },
    });
    await expect(promise).rejects.toThrow(SamplingCancelledError);
    expect(calls).toBe(5);
    expect([...math.live]).toEqual([noise]);
  });
});
