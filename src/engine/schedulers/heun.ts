// Heun's rule (reference heun_step, used on every step including the last, which ends at t = 1):
//   z~      = z_i + dt v(z_i, t_i)
//   z_{i+1} = z_i + (dt / 2) (v(z_i, t_i) + v(z~, t_{i+1}))
// in the reference's float32 order: the sum of the two velocities first, then scaled by float32(dt / 2).
import { stepSize, type FlowSolver, type SolverStepContext, type SolverStepResult } from './solver';

async function heunStep<T>({
  z,
  t,
  tNext,
  velocity,
  math,
}: SolverStepContext<T>): Promise<SolverStepResult<T>> {
  const dt = stepSize(t, tNext);
  const v = await velocity(z, t);
  const intermediates: (typeof v)[] = [];
  try {
    const predictor = await math.linearCombination([
      [1, z],
      [dt, v],
    ]);
    intermediates.push(predictor);
    const vNext = await velocity(predictor, tNext);
    intermediates.push(vNext);
    const sum = await math.linearCombination([
      [1, v],
      [1, vNext],
    ]);
    intermediates.push(sum);
    return {
      z: await math.linearCombination([
        [1, z],
        [Math.fround(dt * 0.5), sum],
      ]),
      velocity: v,
    };
  } catch (error) {
    math.release(v);
    throw error;
  } finally {
    for (const handle of intermediates) math.release(handle);
  }
}

export const heunSolver: FlowSolver = {
  label: 'Heun',
  evaluationsPerStep: 2,
  historyLength: 0,
  order: 2,
  start: () => ({ step: heunStep }),
};
