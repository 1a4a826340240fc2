// torch.manual_seed(s); torch.randn(shape) on the CPU, reproduced. PyTorch has two paths (see
// aten/src/ATen/native/cpu/DistributionTemplates.h):
//  - fewer than 16 values: one double-precision Box–Muller draw per value from two 53-bit uniforms,
//    caching the spare (r·sin θ) for the next value — the cache survives between randn calls;
//  - 16 or more: fill every position with a 24-bit float uniform, then transform blocks of 16 in float32
//    (u1 = 1 − d[j], u2 = d[j+8]); when n % 16 ≠ 0 the last 16 positions are refilled and redone.
// The float path's log/sin/cos depend on the CPU kernel: 'generic' (libm logf/cosf/sinf, emulated here
// with double functions rounded to float32: ≤ 1 ulp off in ~1% of values) is what we implement.
import { Mt19937 } from './mt19937';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const FLOAT_UNIFORM_DIVISOR = 1 / 16777216; // 2^-24
const f32 = Math.fround;

export type RandnKernel = 'generic' | 'avx2';

export interface TorchGeneratorOptions {
  /** Only the float32 path differs by kernel; both are served by the generic emulation (≤ 2.1e-6 apart). */
  readonly kernel?: RandnKernel;
}

export class TorchGenerator {
  private engine: Mt19937;
  private cachedNormal: number | null = null;

  constructor(seed: number | bigint, _options: TorchGeneratorOptions = {}) {
    this.engine = new Mt19937(seed);
  }

  manualSeed(seed: number | bigint): void {
    this.engine = new Mt19937(seed);
    this.cachedNormal = null;
  }

  /** Standard normal float32 values for a tensor of this shape, row-major. */
  randn(shape: readonly number[]): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    if (size >= 16) this.fillFloatPath(out);
    else for (let i = 0; i < size; i++) out[i] = this.doubleNormal();
    return out;
  }

  /** 53-bit uniform in [0, 1) from two outputs, the first as the high word (at::uniform_real_distribution<double>). */
  private uniformDouble(): number {
    const high = this.engine.nextUint32();
    const low = this.engine.nextUint32();
    return ((high & 0x1fffff) * TWO_POW_32 + low) / TWO_POW_53;
  }

  /** at::normal_distribution<double>: Box–Muller with a cached spare value. */
  private doubleNormal(): number {
    if (this.cachedNormal !== null) {
      const cached = this.cachedNormal;
      this.cachedNormal = null;
      return cached;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.cachedNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  private uniformFloat(): number {
    return (this.engine.nextUint32() & 0xffffff) * FLOAT_UNIFORM_DIVISOR;
  }

  private fillFloatPath(data: Float32Array): void {
    const size = data.length;
    for (let i = 0; i < size; i++) data[i] = this.uniformFloat();
    for (let i = 0; i + 16 <= size; i += 16) transform16(data, i);
    if (size % 16 !== 0) {
      const start = size - 16;
      for (let i = 0; i < 16; i++) data[start + i] = this.uniformFloat();
      transform16(data, start);
    }
  }
}

/** normal_fill_16 in float32: radius = sqrt(−2 logf(u1)), θ = float(2π·u2) computed in double. */
function transform16(data: Float32Array, offset: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - (data[offset + j] as number));
    const u2 = data[offset + j + 8] as number;
    const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
    const theta = f32(2 * Math.PI * u2);
    data[offset + j] = f32(radius * f32(Math.cos(theta)));
    data[offset + j + 8] = f32(radius * f32(Math.sin(theta)));
  }
}
