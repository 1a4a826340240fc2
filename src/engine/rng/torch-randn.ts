// torch.randn on the CPU, reproduced: the official SVG sampler draws its initial noise with
// torch.manual_seed(seed); torch.randn(n, tokens, channels), so the same seed gives the same image here
// as in PyTorch. Both of PyTorch's code paths are implemented (see the fixtures README, section 7):
//  - fewer than 16 values: double-precision Box-Muller per value, with the spare sine value cached in
//    the generator (the cache survives between calls and is cleared by manualSeed);
//  - 16 or more: all values filled with float uniforms first, then transformed in blocks of 16 in
//    float32 (normal-fill.ts); a ragged tail re-draws and re-transforms the last 16 positions.
import { InvalidSettingError } from '../errors';
import { Mt19937 } from './mt19937';
import { normalFill16 } from './normal-fill';
import type { CpuKernel } from '../latent/float32';

export interface TorchGeneratorOptions {
  /** The float32 kernel for draws of 16 or more values (both bit-exact); default 'avx2'. */
  readonly kernel?: CpuKernel;
}

const FLOAT_DIVISOR = 2 ** -24;
const DOUBLE_DIVISOR = 2 ** -53;
const HIGH_WORD = 2 ** 32;

/** The CPU generator of PyTorch (CPUGeneratorImpl) restricted to what randn needs. */
export class TorchGenerator {
  readonly kernel: CpuKernel;
  private engine!: Mt19937;
  private spareNormal: number | null = null;

  constructor(seed: number, options: TorchGeneratorOptions = {}) {
    this.kernel = options.kernel ?? 'avx2';
    this.manualSeed(seed);
  }

  /** torch.manual_seed: re-seeds the engine and drops the cached spare normal. */
  manualSeed(seed: number): void {
    if (!Number.isSafeInteger(seed)) throw new InvalidSettingError(`seed must be an integer, got ${seed}`);
    this.engine = new Mt19937(seed);
    this.spareNormal = null;
  }

  /** torch.randn(...shape) in float32, row-major. */
  randn(shape: readonly number[]): Float32Array {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0)
        throw new InvalidSettingError(`randn: bad shape [${shape.join(', ')}]`);
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.doubleNormal();
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = this.floatUniform();
    for (let i = 0; i + 16 <= n; i += 16) normalFill16(out, i, this.kernel);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.floatUniform();
      normalFill16(out, n - 16, this.kernel);
    }
    return out;
  }

  /** uniform_real_distribution<float>(0, 1): the low 24 bits of one output. */
  private floatUniform(): number {
    return (this.engine.nextUint32() & 0xffffff) * FLOAT_DIVISOR;
  }

  /** uniform_real_distribution<double>(0, 1): the low 53 bits of random64() = (first << 32) | second. */
  private doubleUniform(): number {
    const high = this.engine.nextUint32() & 0x1fffff; // bits 32..52
    const low = this.engine.nextUint32();
    return (high * HIGH_WORD + low) * DOUBLE_DIVISOR;
  }

  /** normal_distribution<double>: Box-Muller returning r cos(theta) and caching r sin(theta). */
  private doubleNormal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u1 = this.doubleUniform();
    const u2 = this.doubleUniform();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}
