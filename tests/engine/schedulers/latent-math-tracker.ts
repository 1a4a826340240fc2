// A LatentMath over CPU tensors that tracks handle ownership for the scheduler tests: every handle it
// (or a fake model) creates is live until released; releasing twice or using a released handle throws.
import { cpuLatentMath, cpuTensor, type CpuTensor, type LatentMath } from '../../../src/engine/latent/tensor';

export class TrackingMath implements LatentMath<CpuTensor> {
  readonly live = new Set<CpuTensor>();
  combinations = 0;
  concats = 0;

  /** Registers a tensor made outside linearCombination (noise, model outputs). */
  adopt(tensor: CpuTensor): CpuTensor {
    this.live.add(tensor);
    return tensor;
  }

  make(data: ArrayLike<number>, dims: readonly number[]): CpuTensor {
    return this.adopt(cpuTensor(Float32Array.from(data), dims));
  }

  async linearCombination(terms: ReadonlyArray<readonly [number, CpuTensor]>): Promise<CpuTensor> {
    for (const [, tensor] of terms)
      if (!this.live.has(tensor)) throw new Error('linearCombination on a released handle');
    this.combinations++;
    return this.adopt(await cpuLatentMath.linearCombination(terms));
  }

  async concatBatch(parts: readonly CpuTensor[]): Promise<CpuTensor> {
    parts.forEach((part) => this.check(part));
    this.concats++;
    return this.adopt(await cpuLatentMath.concatBatch(parts));
  }

  async splitBatch(x: CpuTensor, sizes: readonly number[]): Promise<CpuTensor[]> {
    this.check(x);
    return (await cpuLatentMath.splitBatch(x, sizes)).map((part) => this.adopt(part));
  }

  async allFinite(x: CpuTensor): Promise<boolean> {
    return cpuLatentMath.allFinite!(this.check(x));
  }

  release(tensor: CpuTensor): void {
    if (!this.live.delete(tensor)) throw new Error('released a handle twice (or one never made)');
  }

  check(tensor: CpuTensor): CpuTensor {
    if (!this.live.has(tensor)) throw new Error('used a released handle');
    return tensor;
  }
}
