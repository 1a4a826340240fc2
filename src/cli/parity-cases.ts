// The case formats of the reference fixture folders (rng_cases.json, sampler_cases.json) and the
// comparisons made on them, shared by the parity harness and the unit tests.
import type { CpuKernel } from '../engine/latent/float32';
import type { SolverName } from '../engine/schedulers/solvers';
import { TorchGenerator } from '../engine/rng/torch-randn';
import { concatTypedArrays } from '../engine/latent/typed-arrays';

/** One entry of rng_cases.json: torch.manual_seed(seed), then torch.randn(*shape) per call, concatenated. */
export interface RngCase {
  readonly file: string;
  readonly seed: number;
  readonly kernel: CpuKernel;
  readonly calls: number[][];
}

/** One entry of sampler_cases.json: RectifiedFlow.sample arguments. */
export interface SamplerCase {
  readonly name: string;
  readonly sample_steps: number;
  readonly cfg: number;
  readonly mode: SolverName;
  readonly timestep_shift: number;
  readonly cfg_mode: string;
  readonly use_null: boolean;
}

export function drawRngCase(c: RngCase): Float32Array {
  const generator = new TorchGenerator(c.seed, { kernel: c.kernel });
  const parts = c.calls.map((shape) => generator.randn(shape));
  return concatTypedArrays(parts);
}

/** Largest |a − b|; Infinity when lengths differ or a NaN appears. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}
