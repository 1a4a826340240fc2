// The rectified-flow time grid of the reference sampler (rectified_flow.py, prepare_t_seq):
//   base = torch.linspace(0, 1, S + 1)            (float32, PyTorch's CPU kernel)
//   t_i  = float32(shift(double(base_i)))          shift(t) = s t / (1 + (s - 1) t), identity for s <= 0
//   dt_i = float32(t_{i+1} - t_i)
// t runs from 0 (noise) to 1 (data). torch.linspace's float32 values depend on the CPU kernel (vector
// width and whether `end - step * k` is fused), which moves single grid points by one ulp; both kernels
// are reproduced bit for bit (checked against torch 1.13 for S = 1..399).
import { InvalidSettingError } from '../errors';
import { fmaf, type CpuKernel } from '../latent/float32';

const f = Math.fround;

/** shift(t) = s t / (1 + (s - 1) t) in double precision; identity when s <= 0. */
export function shiftTime(t: number, shift: number): number {
  return shift <= 0 ? t : (shift * t) / (1 + (shift - 1) * t);
}

/** torch.linspace(0, 1, count) in float32 as PyTorch's CPU kernel computes it. */
export function torchLinspace01(count: number, kernel: CpuKernel = 'avx2'): Float32Array {
  const out = new Float32Array(count);
  if (count === 1) return out;
  const step = f(1 / (count - 1));
  const halfway = Math.floor(count / 2);
  const fused = kernel === 'avx2';
  // The scalar kernel: start + step * i on the first half, end - step * (count - 1 - i) on the second.
  const scalar = (i: number) => {
    if (i < halfway) return f(step * i);
    const k = count - 1 - i;
    return fused ? fmaf(-step, k, 1) : f(1 - f(step * k));
  };
  // The vector loop handles pairs of 8-lane vectors, lane l = base + l * step; the tail is scalar.
  const lanes = 8;
  let i = 0;
  for (; i + 2 * lanes <= count; i += 2 * lanes) {
    for (const start of [i, i + lanes]) {
      const base = scalar(start);
      for (let l = 0; l < lanes; l++) out[start + l] = base + f(l * step);
    }
  }
  for (; i < count; i++) out[i] = scalar(i);
  return out;
}

/** t_0 … t_S of the reference sampler as float32 (S + 1 values, t_0 = 0, t_S = 1). */
export function timeGrid(steps: number, shift: number, kernel: CpuKernel = 'avx2'): Float32Array {
  if (!Number.isInteger(steps) || steps < 1)
    throw new InvalidSettingError(`steps must be a positive integer, got ${steps}`);
  if (!Number.isFinite(shift)) throw new InvalidSettingError(`shift must be finite, got ${shift}`);
  return torchLinspace01(steps + 1, kernel).map((t) => shiftTime(t, shift));
}
