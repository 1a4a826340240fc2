// The float32 Box-Muller transform PyTorch applies to blocks of 16 uniforms when torch.randn fills 16
// or more contiguous float32 values on the CPU (aten/src/ATen/native/cpu/DistributionTemplates.h,
// normal_fill_16 and normal_fill_16_AVX2). Which one ran depends on the CPU capability PyTorch
// dispatched to; they differ in the last bits of log, sin and cos.
import type { CpuKernel } from '../latent/float32';
import { log256, sincos256, type SinCos } from './avx-mathfun';
import { glibcLogf, glibcSinCosf } from './glibc-mathf';

const f = Math.fround;
const TWO_PI_F32 = f(2 * Math.PI);
const lane: SinCos = { sin: 0, cos: 0 };

/**
 * In place: data[o..o+16) uniforms in [0, 1) → 16 standard normals (pairs j, j + 8).
 * 'avx2' reproduces normal_fill_16_AVX2 (avx_mathfun polynomials); 'generic' reproduces normal_fill_16
 * with glibc's logf/cosf/sinf (PyTorch on Linux without the AVX2 kernel). Both bit for bit.
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
      const radius = f(Math.sqrt(f(-2 * glibcLogf(u1))));
      glibcSinCosf(f(2 * Math.PI * u2), lane); // theta = 2.0f * pi<double> * u2 in double, stored as float
      data[o + j] = radius * lane.cos;
      data[o + j + 8] = radius * lane.sin;
    }
  }
}
