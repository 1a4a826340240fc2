// Adams-Bashforth 2 on the rectified-flow ODE dz/dt = v(z, t): a second-order multistep rule with ONE
// velocity evaluation per step (Heun needs two), reusing the previous step's velocity:
//   first step (no history):  z_1     = z_0 + dt_0 v_0                                   (Euler)
//   then:                     z_{i+1} = z_i + dt_i (v_i + (dt_i / (2 dt_{i-1})) (v_i - v_{i-1}))
// which is z += dt (1.5 v_i - 0.5 v_{i-1}) on a uniform grid, generalised to the shifted (non-uniform)
// grid by extrapolating v linearly in t. Written as one linear combination of z_i, v_i and v_{i-1}.
import { eulerStep } from './euler';
import { stepSize, type FlowSolver, type SolverStepContext, type SolverStepResult } from './solver';

async function adamsBashforth2Step<T>(context: SolverStepContext<T>): Promise<SolverStepResult<T>> {
  const previous = context.history[0];
  if (!previous) return eulerStep(context);
  const { z, t, tNext, velocity, math } = context;
  const dt = stepSize(t, tNext);
  const half = (0.5 * dt) / stepSize(previous.t, previous.tNext); // dt_i / (2 dt_{i-1})
  const v = await velocity(z, t);
  try {
    return {
      z: await math.linearCombination([
        [1, z],
        [dt * (1 + half), v],
        [-dt * half, previous.velocity],
      ]),
      velocity: v,
    };
  } catch (error) {
    math.release(v);
    throw error;
  }
}

export const adamsBashforth2Solver: FlowSolver = {
  label: 'Adams-Bashforth 2',
  evaluationsPerStep: 1,
  historyLength: 1,
  order: 2,
  start: () => ({ step: adamsBashforth2Step }),
};
