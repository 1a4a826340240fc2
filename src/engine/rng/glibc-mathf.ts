// glibc's single-precision logf, sinf and cosf (glibc >= 2.28, x86-64 and aarch64 Linux; the algorithms
// come from Arm's optimized-routines), evaluated in doubles with the same tables and polynomials and
// rounded to float once, as the C code does. PyTorch's generic normal kernel calls these through
// std::log/std::cos/std::sin on float, and they are not correctly rounded (up to 0.82 ulp for logf), so
// correctly rounded results would differ from PyTorch in about 1.5% of values. Domain: what the kernel
// passes, a positive normal float for logf and 0 <= x < 120 for sincos.

const f = Math.fround;
const int = new Int32Array(1);
const float = new Float32Array(int.buffer);

const floatBits = (x: number): number => {
  float[0] = x;
  return (int[0] as number) >>> 0;
};

// logf: x = 2^k z, log(x) = k ln2 + log(c_i) + log1p(z / c_i - 1) with 16 subintervals of z
const LOGF_INVC = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895, 1.1906977166711752,
  1.1479821020556429, 1.1082251448272158, 1.0711297413057381, 1.036437278977283, 1.0, 0.9492859795739057,
  0.8951049428609004, 0.8476821620351103, 0.8050314851692001, 0.7664671008843108, 0.731428603316328,
];
const LOGF_LOGC = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255, -0.17453945183745634,
  -0.1380057072319758, -0.10275976698545139, -0.06871392447020525, -0.0357891387398228, 0.0,
  0.05204517742929496, 0.11081431298787942, 0.1652495223695143, 0.21687389031699977, 0.2659635028121397,
  0.3127556664073557,
];
const LN2 = 0.6931471805599453;
const LOGF_A = [-0.25089342214237154, 0.333456765744066, -0.4999997485802103] as const;
const LOGF_OFF = 0x3f330000;

/** glibc logf for a positive normal float32 x. */
export function glibcLogf(x: number): number {
  const ix = floatBits(x);
  if (ix === 0x3f800000) return 0;
  const tmp = (ix - LOGF_OFF) >>> 0;
  const i = (tmp >>> 19) & 15;
  const k = (tmp | 0) >> 23; // arithmetic shift
  int[0] = ix - (tmp & 0xff800000);
  const z = float[0] as number; // in [OFF, 2 OFF)
  const r = z * (LOGF_INVC[i] as number) - 1;
  const y0 = (LOGF_LOGC[i] as number) + k * LN2;
  const r2 = r * r;
  let y = LOGF_A[1] * r + LOGF_A[2];
  y = LOGF_A[0] * r2 + y;
  return f(y * r2 + (y0 + r));
}

// sinf / cosf: reduction by multiples of pi/2, then a sine or cosine polynomial in the reduced argument
const HALF_PI_INV_2P24 = 10680707.430881744; // 2/pi * 2^24 (the quadrant lands in bits 24..31)
const HALF_PI = 1.5707963267948966;
const PIO4_TOP12 = (floatBits(0.7853981633974483) >>> 20) & 0x7ff;
const TINY_TOP12 = (floatBits(2 ** -12) >>> 20) & 0x7ff;
const COS_C = [
  1, -0.49999999725108224, 0.041666623324344516, -0.001388676379437604, 2.4390450703564542e-5,
] as const;
const SIN_S = [-0.16666654943701084, 0.008332178146138854, -0.00019517298981385725] as const;

/** sinf_poly of glibc: quadrant parity picks the polynomial, `negate` flips the cosine one. */
function poly(x: number, x2: number, odd: boolean, negate: boolean): number {
  if (!odd) {
    const x3 = x * x2;
    const s1 = SIN_S[1] + x2 * SIN_S[2];
    return f(x + x3 * SIN_S[0] + x3 * x2 * s1);
  }
  const sign = negate ? -1 : 1;
  const x4 = x2 * x2;
  const c2 = sign * COS_C[3] + x2 * (sign * COS_C[4]);
  const c1 = sign * COS_C[0] + x2 * (sign * COS_C[1]);
  return f(c1 + x4 * (sign * COS_C[2]) + x4 * x2 * c2);
}

/** glibc sinf and cosf of a float32 0 <= x < 120, written into `out`. */
export function glibcSinCosf(x: number, out: { sin: number; cos: number }): void {
  const top = (floatBits(x) >>> 20) & 0x7ff;
  if (top < PIO4_TOP12) {
    if (top < TINY_TOP12) {
      out.sin = x;
      out.cos = 1;
      return;
    }
    out.sin = poly(x, x * x, false, false);
    out.cos = poly(x, x * x, true, false);
    return;
  }
  const n = (((x * HALF_PI_INV_2P24) | 0) + 0x800000) >> 24;
  const r = x - n * HALF_PI;
  const s = (n & 3) === 1 || (n & 3) === 2 ? -r : r; // sign of the sine in quadrants 0..3: +, -, -, +
  const negate = (n & 2) !== 0;
  out.sin = poly(s, r * r, (n & 1) === 1, negate);
  out.cos = poly(s, r * r, (n & 1) === 0, negate);
}
