// The rectified-flow sampling loop of the reference (RectifiedFlow.sample): time grid, guided velocity,
// one solver step per grid interval, progress callbacks with optional clean-image estimates,
// cancellation between model calls, and a finiteness check of the latent. With guidance the
// conditional and unconditional velocities come from ONE model call on a batch of 2B (as diffusers and
// the official sample scripts do; a batch-2B forward costs far less than two batch-B forwards), whose
// rows are the same per-item computation the reference's two separate calls make. Pure: the model is a
// function and all arithmetic goes through LatentMath, so the loop knows nothing about runtimes or devices.
import { InvalidSettingError, NonFiniteLatentError, SamplingCancelledError } from '../errors';
import type { CpuKernel } from '../latent/float32';
import type { LatentMath } from '../latent/tensor';
import { guidanceCoefficients, type GuidanceSchedule } from './guidance';
import type { FlowSolver, SolverHistoryEntry, VelocityField } from './solver';
import { solverByName, type SolverName } from './solvers';
import { timeGrid } from './time-grid';

/** The registry, re-exported for the callers that looked solvers up here. */
export { SOLVERS } from './solvers';

/**
 * The network: standardised latent tokens z [M, N, C], time t, labels [M] → velocity [M, N, C] (new
 * handle). M is the batch B, or 2B for a guided evaluation (conditional rows first, then null-label rows).
 */
export type FlowModel<T> = (z: T, t: number, labels: Int32Array) => Promise<T>;

export interface GuidanceSettings {
  readonly scale: number;
  readonly schedule: GuidanceSchedule;
}

export interface SamplerStepEvent<T> {
  readonly stepIndex: number;
  readonly steps: number;
  /** t_i and t_{i+1} of this step */
  readonly t: number;
  readonly tNext: number;
  /** z_{i+1}, the latent after this step; valid only until the callback's promise settles. */
  readonly z: T;
  /** z_i + (1 - t_i) v(z_i, t_i), the clean-latent estimate, on preview steps only; same lifetime. */
  readonly cleanEstimate?: T;
}

export interface SampleFlowOptions<T> {
  /** z at grid point `startStep` [B, N, C] (pure noise at t = 0 by default); never released by the sampler. */
  readonly noise: T;
  /** First grid index (0 … steps): later starts run only the steps after it (SDEdit, see start.ts). */
  readonly startStep?: number;
  /**
   * Called with z_{i+1} after every step; returns the state to continue from (the region edit replaces
   * kept tokens by the source trajectory, see start.ts). A new handle returned here is owned by the
   * sampler and z_{i+1} is then released; returning z_{i+1} itself changes nothing.
   */
  readonly afterStep?: (z: T, stepIndex: number, tNext: number) => Promise<T>;
  readonly steps: number;
  readonly solver: SolverName | FlowSolver;
  /** time shift s of the grid (s <= 0: uniform) */
  readonly shift: number;
  /** class labels, one per batch item */
  readonly labels: ArrayLike<number>;
  /** the null label for the unconditional evaluations (= number of classes) */
  readonly nullId: number;
  /** null: no guidance; either way one model call per evaluation (guided calls are batch 2B) */
  readonly guidance: GuidanceSettings | null;
  readonly model: FlowModel<T>;
  readonly math: LatentMath<T>;
  /** compute a clean estimate every k steps (k > 0), except on the last step; 0 or absent: never */
  readonly previewEvery?: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (event: SamplerStepEvent<T>) => void | Promise<void>;
  /** PyTorch CPU kernel whose torch.linspace values the time grid reproduces (default 'avx2') */
  readonly kernel?: CpuKernel;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SamplingCancelledError('sampling was cancelled');
}

/** The error for a latent that holds NaN or ±Infinity after `step` (1-based) of `steps`. */
export function nonFiniteLatent(step: number, steps: number, where = ''): NonFiniteLatentError {
  return new NonFiniteLatentError(
    `sampling diverged: the latent holds NaN or infinity after step ${step} of ${steps}${where} (a guidance scale or shift far outside the model's range does this); the result was discarded`,
  );
}

/** Runs the sampler and returns z_S [B, N, C] as a new handle owned by the caller. */
export async function sampleFlow<T>(options: SampleFlowOptions<T>): Promise<T> {
  const { noise, steps, shift, model, math, signal, onStep, guidance } = options;
  const solver = typeof options.solver === 'string' ? solverByName(options.solver) : options.solver;
  const grid = timeGrid(steps, shift, options.kernel);
  const labels = Int32Array.from(options.labels);
  const previewEvery = options.previewEvery ?? 0;
  const startStep = options.startStep ?? 0;
  if (!Number.isInteger(startStep) || startStep < 0 || startStep > steps)
    throw new InvalidSettingError(`start step must be a whole number from 0 to ${steps}, got ${startStep}`);

  const callModel = async (z: T, t: number, y: Int32Array) => {
    throwIfCancelled(signal);
    return model(z, t, y);
  };
  const batch = labels.length;
  // labels of a guided call: [y_0 … y_{B-1}, null × B]  [2B]
  const guidedLabels = new Int32Array(2 * batch);
  guidedLabels.set(labels);
  guidedLabels.fill(options.nullId, batch);
  const guidedVelocity = async (z: T, t: number, stepIndex: number, g: GuidanceSettings): Promise<T> => {
    const pair = await math.concatBatch([z, z]); // [z; z]  [2B, N, C]
    let both: T;
    try {
      both = await callModel(pair, t, guidedLabels); // [vc; vu]  [2B, N, C]
    } finally {
      math.release(pair);
    }
    let halves: T[];
    try {
      halves = await math.splitBatch(both, [batch, batch]);
    } finally {
      math.release(both);
    }
    const [vc, vu] = halves as [T, T]; // [B, N, C] each
    try {
      const { uncond, cond } = guidanceCoefficients(g.schedule, g.scale, stepIndex, steps, t);
      return await math.linearCombination(
        cond === 0
          ? [[uncond, vu]]
          : [
              [uncond, vu],
              [cond, vc],
            ],
      );
    } finally {
      math.release(vc);
      math.release(vu);
    }
  };
  const velocityAt = (stepIndex: number): VelocityField<T> =>
    guidance === null
      ? (z, t) => callModel(z, t, labels)
      : (z, t) => guidedVelocity(z, t, stepIndex, guidance);
  // On runtimes that read values cheaply (the CPU) every step's latent is checked, so the error names
  // the step where sampling diverged; elsewhere the caller checks the downloaded result.
  const checkFinite = async (latent: T, stepIndex: number) => {
    if (math.allFinite && !(await math.allFinite(latent))) throw nonFiniteLatent(stepIndex + 1, steps);
  };

  const run = solver.start<T>();
  // v(z_j, t_j) of the last `historyLength` steps, most recent first; owned here, released on the way out
  const history: SolverHistoryEntry<T>[] = [];
  const remember = (entry: SolverHistoryEntry<T>) => {
    if (solver.historyLength <= 0) return math.release(entry.velocity);
    history.unshift(entry);
    for (const dropped of history.splice(solver.historyLength)) math.release(dropped.velocity);
  };
  let z = noise;
  try {
    for (let i = startStep; i < steps; i++) {
      const t = grid[i] as number;
      const tNext = grid[i + 1] as number;
      const result = await run.step({ z, t, tNext, stepIndex: i, velocity: velocityAt(i), math, history });
      const previous = z;
      z = result.z;
      try {
        await checkFinite(z, i);
        if (options.afterStep) {
          const replaced = await options.afterStep(z, i, tNext);
          if (replaced !== z) {
            math.release(z);
            z = replaced;
          }
        }
        if (onStep) {
          const preview = previewEvery > 0 && (i + 1) % previewEvery === 0 && i < steps - 1;
          const cleanEstimate = preview
            ? await math.linearCombination([
                [1, previous],
                [1 - t, result.velocity],
              ])
            : undefined;
          try {
            await onStep({ stepIndex: i, steps, t, tNext, z, ...(cleanEstimate ? { cleanEstimate } : {}) });
          } finally {
            if (cleanEstimate) math.release(cleanEstimate);
          }
        }
      } finally {
        remember({ velocity: result.velocity, t, tNext });
        if (previous !== noise) math.release(previous);
      }
    }
    // no step ran (start at the last grid point): a copy, so the caller owns what it gets
    return z === noise ? await math.linearCombination([[1, noise]]) : z;
  } catch (error) {
    if (z !== noise) math.release(z);
    throw error;
  } finally {
    for (const entry of history) math.release(entry.velocity);
  }
}
