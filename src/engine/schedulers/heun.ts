// Heun (on every step, the last one included, as the reference does):
// z~ = z + dt · v(z, t_i);  z_{i+1} = z + dt/2 · (v(z, t_i) + v(z~, t_{i+1})).
import { stepSize, type FlowSolver } from './solver';

export const heunSolver: FlowSolver = {
  name: 'heun',
  evaluationsPerStep: 2,
  async step({ z, t, tNext, velocity, math }) {
    const dt = stepSize(t, tNext);
    const v1 = await velocity(z, t);
    const predicted = await math.linearCombination([
      [1, z],
      [dt, v1],
    ]);
    let v2: Awaited<ReturnType<typeof velocity>>;
    try {
      v2 = await velocity(predicted, tNext);
    } catch (error) {
      math.release(v1);
      throw error;
    } finally {
      math.release(predicted);
    }
    const half = Math.fround(dt / 2);
    const next = await math.linearCombination([
      [1, z],
      [half, v1],
      [half, v2],
    ]);
    math.release(v2);
    return { z: next, velocity: v1 };
  },
};
