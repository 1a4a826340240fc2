// The contract every flow solver implements, so the sampling loop (sampler.ts) never depends on the
// integration rule and a new solver is one file plus one row of the registry (solvers.ts). Solvers work
// on opaque latent handles through LatentMath, so the same code runs on CPU arrays and on GPU-resident
// tensors. A solver is a descriptor; `start()` makes the per-run state (one per sampling run), and every
// step sees the velocities of the previous steps it asked for (`historyLength`), which the sampler keeps
// and releases, so a multistep rule (Adams-Bashforth, DPM-Solver++(2M)) fits without owning handles.
import type { LatentMath } from '../latent/tensor';

/** The (guided) velocity field v(z, t) on latents [B, N, C]; returns a new handle owned by the caller. */
export type VelocityField<T> = (z: T, t: number) => Promise<T>;

/** One earlier step of this run, as the sampler kept it. */
export interface SolverHistoryEntry<T> {
  /** v(z_j, t_j) [B, N, C], owned by the sampler; valid during the step that receives it. */
  readonly velocity: T;
  /** t_j and t_{j+1} of that step */
  readonly t: number;
  readonly tNext: number;
}

export interface SolverStepContext<T> {
  /** z_i [B, N, C]; still owned by the caller after the step. */
  readonly z: T;
  /** t_i and t_{i+1} (float32 grid values, t_{i+1} > t_i) */
  readonly t: number;
  readonly tNext: number;
  readonly stepIndex: number;
  readonly velocity: VelocityField<T>;
  readonly math: LatentMath<T>;
  /**
   * The previous steps of this run, most recent first, at most `historyLength` of them (fewer on the
   * first steps and after a later start, see start.ts).
   */
  readonly history: readonly SolverHistoryEntry<T>[];
}

export interface SolverStepResult<T> {
  /** z_{i+1} [B, N, C], a new handle. */
  readonly z: T;
  /** v(z_i, t_i) [B, N, C], a new handle (the clean-image preview z_i + (1 - t_i) v; the history). */
  readonly velocity: T;
}

/** The state of one sampling run. */
export interface SolverRun<T> {
  /** One step from t_i to t_{i+1}; releases every intermediate handle it made, also when it throws. */
  step(context: SolverStepContext<T>): Promise<SolverStepResult<T>>;
}

export interface FlowSolver {
  /** Name shown in the Generate panel. */
  readonly label: string;
  /** Velocity evaluations per step (each is one model call, or two with guidance). */
  readonly evaluationsPerStep: number;
  /** How many previous steps' velocities a step receives (0: one-step rule). */
  readonly historyLength: number;
  /** Order of accuracy: the global error shrinks like dt^order (checked by the contract tests). */
  readonly order: number;
  /** A fresh run state, made once per sampling run. */
  start<T>(): SolverRun<T>;
}

/** dt as the reference computes it: the float32 difference of two float32 grid values. */
export function stepSize(t: number, tNext: number): number {
  return Math.fround(tNext - t);
}
