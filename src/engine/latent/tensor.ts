// Tensors as the engine sees them. The engine never imports a runtime: it works on plain CPU tensors and
// on opaque handles through `LatentMath`, so the same sampler drives onnxruntime-node (CPU arrays) and
// onnxruntime-web (GPU buffers that never leave the device between steps).
import { concatTypedArrays } from './typed-arrays';

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
 * the browser). All operands of one linearCombination have the same dims.
 */
export interface LatentMath<T> {
  /** Returns sum_i coef_i * x_i as a new handle (inputs stay valid). */
  linearCombination(terms: ReadonlyArray<readonly [coefficient: number, tensor: T]>): Promise<T>;
  /** [B_0, ...rest] ++ [B_1, ...rest] ++ … → [ΣB_k, ...rest] along the batch axis, as a new handle. */
  concatBatch(parts: readonly T[]): Promise<T>;
  /** x [ΣB_k, ...rest] → parts [B_k, ...rest] along the batch axis, as new handles (x stays valid). */
  splitBatch(x: T, sizes: readonly number[]): Promise<T[]>;
  /**
   * Whether every value of x is finite. Optional: where reading values back is costly (GPU buffers) it
   * is absent, and the latent is checked once it reaches the CPU (see pipeline.ts).
   */
  allFinite?(x: T): Promise<boolean>;
  /**
   * Resolves once all work submitted so far has finished. Optional: on a GPU, calls return when work is
   * queued, so progress and ETA wait on this to time completed work; on the CPU work is done on return.
   */
  settled?(): Promise<void>;
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
  async concatBatch(parts) {
    const dims = concatenatedDims(parts.map((part) => part.dims));
    return { data: concatTypedArrays(parts.map((part) => part.data)), dims };
  },
  async splitBatch(x, sizes) {
    const rowSize = batchRowSize(x.dims, sizes);
    let offset = 0;
    return sizes.map((size) => {
      const data = x.data.slice(offset * rowSize, (offset + size) * rowSize);
      offset += size;
      return { data, dims: [size, ...x.dims.slice(1)] };
    });
  },
  async allFinite(x) {
    return firstNonFinite(x.data) < 0;
  },
  release() {},
};

/** Index of the first NaN or ±Infinity in `values`, or -1 when all are finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    // x - x is 0 for finite x and NaN for NaN and ±Infinity: one comparison per value.
    const v = values[i] as number;
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Dims of parts [B_k, ...rest] stacked on the batch axis; throws when the trailing dims differ. */
export function concatenatedDims(parts: ReadonlyArray<readonly number[]>): number[] {
  const first = parts[0];
  if (!first || first.length === 0) throw new RangeError('concatBatch needs at least one batched tensor');
  const rest = first.slice(1).join(',');
  if (parts.some((dims) => dims.slice(1).join(',') !== rest))
    throw new RangeError(
      `concatBatch operands differ beyond the batch axis: ${parts.map((d) => `[${d.join(', ')}]`).join(' ')}`,
    );
  return [parts.reduce((sum, dims) => sum + (dims[0] as number), 0), ...first.slice(1)];
}

/** Values per batch row of x; throws unless `sizes` (whole, positive) add up to x's batch. */
export function batchRowSize(dims: readonly number[], sizes: readonly number[]): number {
  const batch = dims[0] ?? 0;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!sizes.every((size) => Number.isInteger(size) && size > 0) || total !== batch)
    throw new RangeError(`splitBatch sizes [${sizes.join(', ')}] do not split a batch of ${batch}`);
  return elementCount(dims.slice(1));
}
