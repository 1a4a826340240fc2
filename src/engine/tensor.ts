// Tensors as the engine sees them. The engine never imports a runtime: it works on plain CPU tensors and
// on opaque handles through `LatentMath`, so the same sampler drives onnxruntime-node (CPU arrays) and
// onnxruntime-web (GPU buffers that never leave the device between steps).

/** A dense row-major float32 tensor in CPU memory. */
export interface CpuTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export function cpuTensor(data: Float32Array, dims: readonly number[]): CpuTensor {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new RangeError(`tensor data has ${data.length} values but dims [${dims.join(', ')}] need ${size}`);
  }
  return { data, dims: [...dims] };
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * Element-wise arithmetic on latent handles of type T (CpuTensor on the CPU, a GPU-resident tensor in
 * the browser). All operands of one call have the same dims.
 */
export interface LatentMath<T> {
  /** Returns sum_i coef_i * x_i as a new handle (inputs stay valid). */
  linearCombination(terms: ReadonlyArray<readonly [coefficient: number, tensor: T]>): Promise<T>;
  /** Frees a handle the caller no longer needs (no-op on the CPU). */
  release(tensor: T): void;
}

/** LatentMath over CpuTensor, in float32 arithmetic. */
export const cpuLatentMath: LatentMath<CpuTensor> = {
  async linearCombination(terms) {
    const first = terms[0];
    if (!first) throw new RangeError('linearCombination needs at least one term');
    const out = new Float32Array(first[1].data.length);
    for (const [coefficient, tensor] of terms) {
      if (tensor.data.length !== out.length)
        throw new RangeError('linearCombination operands differ in size');
      const c = Math.fround(coefficient);
      const src = tensor.data;
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + c * (src[i] as number);
    }
    return { data: out, dims: first[1].dims };
  },
  release() {},
};
