// The sampler against the reference run (sampler_cases.json). The DiT itself is not run here (the
// parity harness does that with the exported graph): a stand-in model returns velocities recovered from
// the reference states, split into conditional and unconditional parts that the reference guidance
// formula (re-derived here from the fixture README, not from guidance.ts) recombines. The call sequence
// (t and labels of every model call) and the time grid must match exactly, the states within 1e-5.
import { describe, expect, it } from 'vitest';
import { npyToNumbers } from '../../../src/engine/formats/npy';
import { NonFiniteLatentError } from '../../../src/engine/errors';
import {
  guidanceCoefficients,
  parseGuidanceSchedule,
  type GuidanceSchedule,
} from '../../../src/engine/schedulers/guidance';
import { sampleFlow, type SamplerStepEvent } from '../../../src/engine/schedulers/sampler';
import type { SolverHistoryEntry } from '../../../src/engine/schedulers/solver';
import { SOLVERS, type SolverName } from '../../../src/engine/schedulers/solvers';
import { timeGrid } from '../../../src/engine/schedulers/time-grid';
import type { SamplerCase } from '../../../src/cli/parity-cases';
import { cpuLatentMath, cpuTensor, type CpuTensor } from '../../../src/engine/latent/tensor';
import { fixtureJson, fixtureNpy, fixtureTensor, maxAbsDiff } from '../fixtures';
import { TrackingMath } from './latent-math-tracker';
import { ONE_UNGUIDED } from './unguided';

/** The reference's guidance g for step i of S (fixture README section 6; constant, late, linear). */
function referenceScale(mode: string, cfg: number, i: number, steps: number): number {
  const ratio = (i + 1) / steps;
  if (mode === 'constant') return cfg;
  if (mode === 'late') return ratio > 0.5 ? cfg : 1;
  if (mode === 'linear') return 1 + (cfg - 1) * ratio;
  throw new Error(`no reference formula for cfg_mode ${mode} in this test`);
}

const { cases } = fixtureJson<{ cases: SamplerCase[] }>('sampler_cases.json');
const noise = fixtureTensor('sampler_z.npy');
const labels = npyToNumbers(fixtureNpy('sampler_y.npy'));
const nullId = npyToNumbers(fixtureNpy('sampler_y_null.npy'))[0] as number;

describe.each(cases.map((c) => [c.name, c] as const))('sampler %s', (_, c) => {
  const steps = c.sample_steps;
  const states = fixtureTensor(`sampler_${c.name}_states.npy`);
  const grid = fixtureNpy(`sampler_${c.name}_t_seq.npy`).data as Float32Array;
  const size = noise.data.length;
  const state = (i: number) => states.data.subarray(i * size, (i + 1) * size);
  /** v_i recovered from the reference states: (z_{i+1} - z_i) / dt_i, which every solver step reproduces. */
  const recovered = Array.from({ length: steps }, (_, i) => {
    const dt = Math.fround((grid[i + 1] as number) - (grid[i] as number));
    const [a, b] = [state(i), state(i + 1)];
    return Float32Array.from(a, (v, k) => ((b[k] as number) - v) / dt);
  });
  // a fixed direction the guidance must cancel: vc = v + (1 - g) w, vu = v - g w  ⇒  vu + g (vc - vu) = v
  const w = Float32Array.from({ length: size }, (_, k) => Math.sin(k * 0.37));
  /** reference model calls per step (two per evaluation with guidance) */
  const callsPerStep = (c.mode === 'heun' ? 2 : 1) * (c.use_null ? 2 : 1);

  async function run(previewEvery = 0) {
    const math = new TrackingMath();
    const z0 = math.adopt({ data: noise.data, dims: noise.dims });
    /** the reference's model calls (a guided forward stands for its two: conditional, unconditional) */
    const calls: Array<{ t: number; y: number[] }> = [];
    /** the batch of every forward this sampler made */
    const forwards: number[] = [];
    const events: Array<{
      stepIndex: number;
      t: number;
      tNext: number;
      z: Float32Array;
      clean?: Float32Array;
    }> = [];
    const final = await sampleFlow<CpuTensor>({
      noise: z0,
      steps,
      solver: c.mode,
      shift: c.timestep_shift,
      labels,
      nullId,
      guidance: c.use_null ? { scale: c.cfg, schedule: parseGuidanceSchedule(c.cfg_mode) } : null,
      math,
      previewEvery,
      model: async (z, t, y) => {
        math.check(z);
        forwards.push(z.dims[0] as number);
        const stepIndex = Math.floor(calls.length / callsPerStep);
        const v = recovered[stepIndex] as Float32Array;
        if (!c.use_null) {
          calls.push({ t, y: Array.from(y) });
          return math.make(v, z.dims);
        }
        // one guided forward on [z; z] with labels [y; null]: rows [0, B) conditional, [B, 2B) not
        const batch = labels.length;
        expect(z.dims[0]).toBe(2 * batch);
        expect(Array.from(z.data.subarray(0, size))).toEqual(Array.from(z.data.subarray(size)));
        calls.push({ t, y: Array.from(y.subarray(0, batch)) }, { t, y: Array.from(y.subarray(batch)) });
        const g = referenceScale(c.cfg_mode, c.cfg, stepIndex, steps);
        const out = new Float32Array(2 * size);
        out.set(Float32Array.from(v, (value, k) => value + (1 - g) * (w[k] as number)));
        out.set(
          Float32Array.from(v, (value, k) => value - g * (w[k] as number)),
          size,
        );
        return math.make(out, z.dims);
      },
      onStep: (event: SamplerStepEvent<CpuTensor>) => {
        events.push({
          stepIndex: event.stepIndex,
          t: event.t,
          tNext: event.tNext,
          z: event.z.data.slice(),
          ...(event.cleanEstimate ? { clean: event.cleanEstimate.data.slice() } : {}),
        });
      },
    });
    return { math, z0, final, calls, forwards, events };
  }

  it('makes the reference model calls: t and labels of every call, in order', async () => {
    const { calls } = await run();
    const callT = fixtureNpy(`sampler_${c.name}_call_t.npy`);
    const callY = fixtureNpy(`sampler_${c.name}_call_y.npy`);
    const [count, batch] = callT.shape as [number, number];
    expect(calls.length).toBe(count);
    const expectedY = npyToNumbers(callY);
    calls.forEach((call, k) => {
      for (let b = 0; b < batch; b++)
        expect(call.t, `call ${k}`).toBe((callT.data as Float32Array)[k * batch + b]);
      expect(call.y, `call ${k}`).toEqual(expectedY.slice(k * batch, (k + 1) * batch));
    });
  });

  it('makes one forward per evaluation, at batch 2B when guided', async () => {
    const { forwards } = await run();
    const batch = labels.length;
    expect(forwards).toEqual(
      new Array(steps * (c.mode === 'heun' ? 2 : 1)).fill(c.use_null ? 2 * batch : batch),
    );
  });

  it('steps through the reference states and returns the final latent', async () => {
    const { final, events, math, z0 } = await run();
    expect(events.map((e) => e.stepIndex)).toEqual(Array.from({ length: steps }, (_, i) => i));
    events.forEach((e, i) => {
      expect(e.t).toBe(grid[i]);
      expect(e.tNext).toBe(grid[i + 1]);
      expect(maxAbsDiff(e.z, state(i + 1)), `state ${i + 1}`).toBeLessThan(1e-5);
    });
    const expectedFinal = fixtureNpy(`sampler_${c.name}_final.npy`).data as Float32Array;
    const error = maxAbsDiff(final.data, expectedFinal);
    console.log(`sampler ${c.name}: max |final - reference| ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
    expect(new Set(math.live)).toEqual(new Set([z0, final])); // only the caller's noise and the result
  });

  it('reports clean estimates z_i + (1 - t_i) v_i on preview steps only', async () => {
    const { events, math } = await run(1);
    events.forEach((e, i) => {
      if (i === steps - 1) {
        expect(e.clean).toBeUndefined(); // the last step's result is the final latent itself
        return;
      }
      const v = recovered[i] as Float32Array;
      const expected = Float32Array.from(
        state(i),
        (z, k) => z + (1 - (grid[i] as number)) * (v[k] as number),
      );
      expect(maxAbsDiff(e.clean as Float32Array, expected)).toBeLessThan(1e-4);
    });
    expect(math.live.size).toBe(2);
  });
});

describe('sampler previews', () => {
  it('previews every k-th step and releases the estimates after the callback', async () => {
    const math = new TrackingMath();
    const z0 = math.make([1, 2], [1, 1, 2]);
    const previewed: number[] = [];
    const final = await sampleFlow<CpuTensor>({
      noise: z0,
      steps: 7,
      solver: 'euler',
      shift: 1,
      ...ONE_UNGUIDED,
      math,
      previewEvery: 3,
      model: async (z) => math.make(z.data, z.dims),
      onStep: async (event) => {
        if (event.cleanEstimate) previewed.push(event.stepIndex);
        await Promise.resolve();
      },
    });
    expect(previewed).toEqual([2, 5]);
    expect(new Set(math.live)).toEqual(new Set([z0, final]));
  });
});

describe('guidance as one batched forward', () => {
  // a row-wise non-linear model: each batch row's velocity depends only on that row, t and its label
  const rowModel = (z: CpuTensor, t: number, y: Int32Array): CpuTensor => {
    const row = z.data.length / y.length;
    const out = Float32Array.from(
      z.data,
      (v, i) => Math.sin(1.3 * v + t) * (1 + 0.1 * (y[Math.floor(i / row)] as number)),
    );
    return cpuTensor(out, z.dims);
  };
  const initial = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.cos(i * 0.71));

  /** The same sampling with the two evaluations as separate batch-B calls, through the same solvers. */
  async function twoForwards(solver: SolverName, schedule: GuidanceSchedule): Promise<Float32Array> {
    const steps = 5;
    const grid = timeGrid(steps, 0.4);
    const labels = Int32Array.from([3, 7]);
    const nullLabels = Int32Array.from([10, 10]);
    let z = cpuTensor(initial.slice(), [2, 3, 4]);
    const run = SOLVERS[solver].start<CpuTensor>();
    let history: SolverHistoryEntry<CpuTensor>[] = [];
    for (let i = 0; i < steps; i++) {
      const velocity = async (x: CpuTensor, t: number) => {
        const vc = rowModel(x, t, labels);
        const vu = rowModel(x, t, nullLabels);
        const { uncond, cond } = guidanceCoefficients(schedule, 4.5, i, steps, t);
        return cpuLatentMath.linearCombination(
          cond === 0
            ? [[uncond, vu]]
            : [
                [uncond, vu],
                [cond, vc],
              ],
        );
      };
      const t = grid[i] as number;
      const tNext = grid[i + 1] as number;
      const result = await run.step({ z, t, tNext, stepIndex: i, velocity, math: cpuLatentMath, history });
      z = result.z;
      history = [{ velocity: result.velocity, t, tNext }].slice(0, SOLVERS[solver].historyLength);
    }
    return z.data;
  }

  it.each([
    ['euler', 'constant'],
    ['heun', 'linear'],
    ['euler', 'cfg_star-1-0'],
    ['ab2', 'late'],
  ] as const)('%s, %s: the same latent as two forwards, bit for bit', async (solver, mode) => {
    const schedule = parseGuidanceSchedule(mode);
    const math = new TrackingMath();
    const noise = math.make(initial, [2, 3, 4]);
    const batches: number[] = [];
    const final = await sampleFlow<CpuTensor>({
      noise,
      steps: 5,
      solver,
      shift: 0.4,
      labels: [3, 7],
      nullId: 10,
      guidance: { scale: 4.5, schedule },
      math,
      model: async (z, t, y) => {
        batches.push(y.length);
        return math.adopt(rowModel(math.check(z), t, y));
      },
    });
    expect(Array.from(final.data)).toEqual(Array.from(await twoForwards(solver, schedule)));
    expect(new Set(batches)).toEqual(new Set([4]));
    expect(new Set(math.live)).toEqual(new Set([noise, final]));
  });
});

describe('non-finite latents', () => {
  it('stops with NonFiniteLatentError naming the step where a latent first holds NaN, leaking no handle', async () => {
    const math = new TrackingMath();
    const noise = math.make([1, 2, 3, 4], [1, 2, 2]);
    let calls = 0;
    const run = sampleFlow<CpuTensor>({
      noise,
      steps: 6,
      solver: 'euler',
      shift: 1,
      ...ONE_UNGUIDED,
      math,
      model: async (z) => math.make(++calls === 3 ? [0, NaN, 0, 0] : z.data, z.dims),
    });
    await expect(run).rejects.toThrow(NonFiniteLatentError);
    await expect(run).rejects.toThrow(/after step 3 of 6/);
    expect([...math.live]).toEqual([noise]);
  });

  it('catches the overflow of a huge finite guidance scale (cfg 1e38) as infinity', async () => {
    const math = new TrackingMath();
    const noise = math.make([1, -2, 3, -4], [1, 2, 2]);
    const run = sampleFlow<CpuTensor>({
      noise,
      steps: 4,
      solver: 'heun',
      shift: 1,
      labels: [2],
      nullId: 5,
      guidance: { scale: 1e38, schedule: { kind: 'constant' } },
      math,
      // conditional and unconditional velocities differ, so g (vc - vu) overflows float32
      model: async (z, _t, y) =>
        math.make(
          Array.from(z.data, (v, i) => v * (i < z.data.length / 2 ? 8 : -8) + (y[0] as number)),
          z.dims,
        ),
    });
    await expect(run).rejects.toThrow(/NaN or infinity after step 1 of 4/);
    expect([...math.live]).toEqual([noise]);
  });
});
