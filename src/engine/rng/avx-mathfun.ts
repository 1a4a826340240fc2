// One lane of PyTorch's AVX2 `log256_ps` and `sincos256_ps` (aten/src/ATen/native/cpu/avx_mathfun.h,
// the cephes polynomials in float32), as the AVX2 normal kernel uses them. GCC compiles PyTorch's AVX2
// kernels with FMA enabled and contracts `a * b + c` pairs, so the emulation fuses exactly the pairs the
// compiler fuses (found by comparing against torch 1.13's AVX2 kernel on millions of draws: bit-exact).
import { fmaf } from '../latent/float32';

const f = Math.fround;
const int = new Int32Array(1);
const float = new Float32Array(int.buffer);

const SQRTHF = f(Math.SQRT1_2);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);

/**
 * log256_ps for one lane, for a normal positive float32 x (the kernel passes 1 - u with u in [0, 1), so
 * the reference's NaN mask for x <= 0 and its denormal cut-off never apply).
 */
export function log256(x: number): number {
  float[0] = x;
  const bits = int[0] as number;
  let e = f((bits >>> 23) - 0x7f + 1); // exponent of x as a float, for a mantissa in [0.5, 1)
  int[0] = (bits & ~0x7f800000) | 0x3f000000;
  let m = float[0] as number;
  const small = m < SQRTHF;
  const tmp = small ? m : 0; // if m < sqrt(1/2): e -= 1, m = 2m - 1 (as m - 1 + m); else m = m - 1
  m = f(m - 1);
  if (small) e = f(e - 1);
  m = f(m + tmp);
  const z = f(m * m);
  let y = LOG_P[0] as number;
  for (let k = 1; k < LOG_P.length; k++) y = fmaf(y, m, LOG_P[k] as number);
  y = f(y * m);
  y = fmaf(y, z, f(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  return fmaf(e, LOG_Q2, f(m + y));
}

const MINUS_DP1 = f(-0.78515625);
const MINUS_DP2 = f(-2.4187564849853515625e-4);
const MINUS_DP3 = f(-3.774894977445941e-8);
const SIN_P0 = f(-1.9515295891e-4);
const SIN_P1 = f(8.3321608736e-3);
const SIN_P2 = f(-1.6666654611e-1);
const COS_P0 = f(2.443315711809948e-5);
const COS_P1 = f(-1.388731625493765e-3);
const COS_P2 = f(4.166664568298827e-2);
const FOUR_OVER_PI = f(1.27323954473516);

/** sin and cos of one lane, written into `out`. */
export interface SinCos {
  sin: number;
  cos: number;
}

/**
 * sincos256_ps for one lane, for a float32 x >= 0 (the kernel passes theta = 2 pi u, u in [0, 1), so the
 * reference's sign handling of negative inputs never applies).
 */
export function sincos256(x: number, out: SinCos): void {
  // octant j (rounded up to even) and the reduced argument x - j pi/4 in three exact-ish pieces
  const j = ((Math.trunc(f(x * FOUR_OVER_PI)) | 0) + 1) & ~1;
  const y = f(j);
  let r = fmaf(y, MINUS_DP1, x);
  r = fmaf(y, MINUS_DP2, r);
  r = fmaf(y, MINUS_DP3, r);
  const z = f(r * r);

  let cosPoly = fmaf(COS_P0, z, COS_P1);
  cosPoly = fmaf(cosPoly, z, COS_P2);
  cosPoly = f(cosPoly * z);
  cosPoly = fmaf(cosPoly, z, -f(z * 0.5));
  cosPoly = f(cosPoly + 1);

  let sinPoly = fmaf(SIN_P0, z, SIN_P1);
  sinPoly = fmaf(sinPoly, z, SIN_P2);
  sinPoly = f(sinPoly * z);
  sinPoly = fmaf(sinPoly, r, r);

  const sinFirst = (j & 2) === 0; // octants 0, 1, 4, 5: sin from the sine polynomial
  const sin = sinFirst ? sinPoly : cosPoly;
  const cos = sinFirst ? cosPoly : sinPoly;
  out.sin = j & 4 ? -sin : sin;
  out.cos = ~(j - 2) & 4 ? -cos : cos;
}
