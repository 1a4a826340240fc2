// The contract every flow solver implements, so the sampling loop (sampler.ts) never depends on the
// integration rule and a new solver is one file. Solvers work on opaque latent handles through
// LatentMath, so the same code runs on CPU arrays and on GPU-resident tensors.
import type { LatentMath } from '../tensor';

/** The (guided) velocity field v(z, t) on latents [B, N, C]; returns a new handle owned by the caller. */
export type VelocityField<T> = (z: T, t: number) => Promise<T>;

export interface SolverStepContext<T> {
  /** z_i [B, N, C]; still owned by the caller after the step. */
  readonly z: T;
  /** t_i and t_{i+1} (float32 grid values, t_{i+1} > t_i) */
  readonly t: number;
  readonly tNext: number;
  readonly stepIndex: number;
  readonly velocity: VelocityField<T>;
  readonly math: LatentMath<T>;
}

export interface SolverStepResult<T> {
  /** z_{i+1} [B, N, C], a new handle. */
  readonly z: T;
  /** v(z_i, t_i) [B, N, C], a new handle (for the clean-image preview z_i + (1 - t_i) v). */
  readonly velocity: T;
}

export interface FlowSolver {
  readonly name: 'euler' | 'heun';
  /** Velocity evaluations per step (each is one model call, or two with guidance). */
  readonly evaluationsPerStep: number;
  /** One step from t_i to t_{i+1}; releases every intermediate handle it made, also when it throws. */
  step<T>(context: SolverStepContext<T>): Promise<SolverStepResult<T>>;
}

/** dt as the reference computes it: the float32 difference of two float32 grid values. */
export function stepSize(t: number, tNext: number): number {
  return Math.fround(tNext - t);
}
