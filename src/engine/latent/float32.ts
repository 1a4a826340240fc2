// Float32 arithmetic helpers for reproducing PyTorch's CPU kernels bit for bit. JavaScript computes in
// doubles; `Math.fround` after every operation gives IEEE float32 results for + - * / sqrt, but a fused
// multiply-add (which GCC emits for `a * b + c` in PyTorch's AVX2 builds) needs one rounding of the exact
// value, which `fmaf` provides.

/**
 * Which of PyTorch's CPU kernels to reproduce where they differ in the last bits: 'avx2' (x86-64 with
 * AVX2, PyTorch's usual dispatch and the reference fixtures' kernel) or 'generic' (the portable code:
 * ATEN_CPU_CAPABILITY=default, CPUs without AVX2, AVX-512 dispatch; its randn uses the C library's
 * float functions, reproduced for glibc on Linux).
 */
export type CpuKernel = 'avx2' | 'generic';

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // index of the low 32-bit word

/**
 * fmaf(a, b, c) = float32(a * b + c) with a single rounding, for float32 inputs. The product of two
 * float32 values is exact in a double; the sum is rounded to double "to odd" (the exact sum's sticky bit
 * kept in the last place), which makes the final rounding to float32 correct.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const v = s - p;
  const error = p - (s - v) + (c - v); // exact: s + error = p + c
  if (error === 0) return Math.fround(s);
  bits[0] = s;
  if (((words[LOW] as number) & 1) === 0) {
    // s is even: step one double ulp towards the exact value, which makes the last bit odd.
    if (error > 0 === s > 0) {
      words[LOW] = (words[LOW] as number) + 1;
    } else if (words[LOW] === 0) {
      words[LOW] = 0xffffffff;
      words[1 - LOW] = (words[1 - LOW] as number) - 1;
    } else {
      words[LOW] = (words[LOW] as number) - 1;
    }
  }
  return Math.fround(bits[0] as number);
}
