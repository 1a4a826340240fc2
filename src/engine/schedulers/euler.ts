// Euler: z_{i+1} = z_i + dt · v(z_i, t_i).
import { stepSize, type FlowSolver } from './solver';

export const eulerSolver: FlowSolver = {
  name: 'euler',
  evaluationsPerStep: 1,
  async step({ z, t, tNext, velocity, math }) {
    const v = await velocity(z, t);
    const next = await math.linearCombination([
      [1, z],
      [stepSize(t, tNext), v],
    ]);
    return { z: next, velocity: v };
  },
};
