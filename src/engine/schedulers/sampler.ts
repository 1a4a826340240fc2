// The rectified-flow sampling loop of the reference code (RectifiedFlow.sample), with the model as a
// function. Guidance evaluates the conditional then the unconditional (null-label) velocity in separate
// calls, as the reference does; previews and cancellation happen between steps.
import { SamplingCancelledError } from '../errors';
import type { LatentMath } from '../tensor';
import { eulerSolver } from './euler';
import { guidanceWeights, type Guidance } from './guidance';
import { heunSolver } from './heun';
import type { FlowSolver } from './solver';
import { timeGrid } from './time-grid';

export const SOLVERS: Record<FlowSolver['name'], FlowSolver> = { euler: eulerSolver, heun: heunSolver };

/** Velocity of the model for latents z [B,N,C] at time t with one label per batch item. */
export type VelocityModel<T> = (z: T, t: number, labels: readonly number[]) => Promise<T>;

export interface SampleStepEvent<T> {
  readonly stepIndex: number;
  readonly steps: number;
  readonly t: number;
  readonly tNext: number;
  /** z at tNext; valid only during the callback. */
  readonly z: T;
  /** data_hat = z_t + (1 − t)·v at the step's start, when this step is previewed; valid during the callback. */
  readonly cleanEstimate?: T;
}

export interface SampleOptions<T> {
  readonly noise: T;
  readonly steps: number;
  readonly solver: FlowSolver['name'];
  readonly shift: number;
  readonly labels: readonly number[];
  readonly nullId: number;
  /** null: no guidance, one model call per evaluation. */
  readonly guidance: Guidance | null;
  readonly model: VelocityModel<T>;
  readonly math: LatentMath<T>;
  /** Compute the clean-image estimate every k steps (and on the last); 0 never. */
  readonly previewEvery?: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (event: SampleStepEvent<T>) => void | Promise<void>;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SamplingCancelledError('generation cancelled');
}

/** Runs the sampler and returns the final latent (a new handle; `noise` is left to the caller). */
export async function sampleFlow<T>(options: SampleOptions<T>): Promise<T> {
  const { steps, labels, nullId, guidance, model, math, signal } = options;
  const solver = SOLVERS[options.solver];
  const grid = timeGrid(steps, options.shift);
  const nullLabels = labels.map(() => nullId);
  const previewEvery = options.previewEvery ?? 0;

  const velocityAt = (stepIndex: number) => async (z: T, t: number): Promise<T> => {
    throwIfCancelled(signal);
    const conditional = await model(z, t, labels);
    if (!guidance) return conditional;
    let unconditional: T;
    try {
      throwIfCancelled(signal);
      unconditional = await model(z, t, nullLabels);
    } catch (error) {
      math.release(conditional);
      throw error;
    }
    const weights = guidanceWeights(guidance, stepIndex, steps, grid[stepIndex] as number);
    const guided = await math.linearCombination([
      [weights.uncond, unconditional],
      [weights.cond, conditional],
    ]);
    math.release(conditional);
    math.release(unconditional);
    return guided;
  };

  let z = options.noise;
  try {
    for (let i = 0; i < steps; i++) {
      throwIfCancelled(signal);
      const t = grid[i] as number;
      const tNext = grid[i + 1] as number;
      const { z: next, velocity } = await solver.step({ z, t, tNext, velocity: velocityAt(i), math });
      const previewed = previewEvery > 0 && ((i + 1) % previewEvery === 0 || i === steps - 1);
      const cleanEstimate = previewed
        ? await math.linearCombination([
            [1, z],
            [Math.fround(1 - t), velocity],
          ])
        : undefined;
      math.release(velocity);
      if (z !== options.noise) math.release(z);
      z = next;
      try {
        await options.onStep?.({ stepIndex: i, steps, t, tNext, z, ...(cleanEstimate ? { cleanEstimate } : {}) });
      } finally {
        if (cleanEstimate) math.release(cleanEstimate);
      }
    }
  } catch (error) {
    if (z !== options.noise) math.release(z);
    throw error;
  }
  return z;
}
