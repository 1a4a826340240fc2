// Euler's rule for the rectified flow: z_{i+1} = z_i + dt v(z_i, t_i) (reference euler_step).
import { stepSize, type FlowSolver, type SolverStepContext, type SolverStepResult } from './solver';

/** One Euler step (also the first step of the multistep solvers). */
export async function eulerStep<T>({
  z,
  t,
  tNext,
  velocity,
  math,
}: SolverStepContext<T>): Promise<SolverStepResult<T>> {
  const v = await velocity(z, t);
  try {
    return {
      z: await math.linearCombination([
        [1, z],
        [stepSize(t, tNext), v],
      ]),
      velocity: v,
    };
  } catch (error) {
    math.release(v);
    throw error;
  }
}

export const eulerSolver: FlowSolver = {
  label: 'Euler',
  evaluationsPerStep: 1,
  historyLength: 0,
  order: 1,
  start: () => ({ step: eulerStep }),
};
