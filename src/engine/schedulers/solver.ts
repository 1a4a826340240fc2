// The contract every flow solver implements (one algorithm per file, as diffusers does): advance z
// from t to tNext given the velocity field as a function. Solvers are pure over LatentMath handles.
import type { LatentMath } from '../tensor';

export interface SolverStepContext<T> {
  readonly z: T;
  readonly t: number;
  readonly tNext: number;
  readonly velocity: (z: T, t: number) => Promise<T>;
  readonly math: LatentMath<T>;
}

export interface SolverStepResult<T> {
  /** z at tNext (a new handle). */
  readonly z: T;
  /** The velocity at (z, t), kept for the clean-image preview (a new handle). */
  readonly velocity: T;
}

export interface FlowSolver {
  readonly name: 'euler' | 'heun';
  readonly evaluationsPerStep: number;
  step<T>(context: SolverStepContext<T>): Promise<SolverStepResult<T>>;
}

/** float32 step size, as the reference computes t_seq[i+1] − t_seq[i] on float32 tensors. */
export const stepSize = (t: number, tNext: number): number => Math.fround(tNext - t);
