// The float32 Box-Muller transform PyTorch applies to blocks of 16 uniforms when torch.randn fills 16
// or more contiguous float32 values on the CPU (aten/src/ATen/native/cpu/DistributionTemplates.h,
// normal_fill_16 and normal_fill_16_AVX2). Which one ran depends on the CPU capability PyTorch
// dispatched to; they differ in the last bits of log, sin and cos.
import type { CpuKernel } from '../float32';
import { log256, sincos256, type SinCos } from './avx-mathfun';


const f = Math.fround;
const TWO_PI_F32 = f(2 * Math.PI);
const lane: SinCos = { sin: 0, cos: 0 };

/**
 * In place: data[o..o+16) uniforms in [0, 1) → 16 standard normals (pairs j, j + 8).
 * 'avx2' reproduces normal_fill_16_AVX2 bit for bit. 'generic' is normal_fill_16 with the C library's
 * logf/cosf/sinf, emulated by correctly rounded float results; glibc's functions are not always
 * correctly rounded, so about 1.5% of values differ from PyTorch by one float32 ulp (at most ~5e-7).
 */
export function normalFill16(data: Float32Array, o: number, kernel: CpuKernel): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - (data[o + j] as number)); // [0, 1) → (0, 1] for the log
    const u2 = data[o + j + 8] as number;
    if (kernel === 'avx2') {
      const radius = f(Math.sqrt(f(-2 * log256(u1))));
      sincos256(f(TWO_PI_F32 * u2), lane);
      data[o + j] = radius * lane.cos; // float32 store rounds the product
      data[o + j + 8] = radius * lane.sin;
    } else {
      const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
      const theta = f(2 * Math.PI * u2); // 2.0f * pi<double> * u2 in double, stored as float
      data[o + j] = radius * f(Math.cos(theta));
      data[o + j + 8] = radius * f(Math.sin(theta));
    }
  }
}
