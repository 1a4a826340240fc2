// Euler's rule for the rectified flow: z_{i+1} = z_i + dt v(z_i, t_i) (reference euler_step).
import { stepSize, type FlowSolver } from './solver';

export const eulerSolver: FlowSolver = {
  name: 'euler',
  evaluationsPerStep: 1,
  async step({ z, t, tNext, velocity, math }) {
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
  },
};
