// Principal components of DINO patch tokens for the feature inspector: the top three directions of the
// tokens' covariance, by power iteration with deflation on the smaller of the covariance [D, D] and the
// Gram matrix [N, N] (float64). Deterministic:
// a fixed start vector, and each component's sign chosen so that its largest-magnitude entry is positive
// (an eigenvector's sign is otherwise arbitrary, and the colours would flip between runs or images).
import { ModelIoMismatchError } from '../errors';

export interface PcaResult {
  /** Principal directions [k, D], unit length, by decreasing variance. */
  readonly components: Float64Array;
  /** Variance along each direction [k]. */
  readonly variances: Float64Array;
  /** Centred tokens projected on the directions [N, k]. */
  readonly projections: Float64Array;
  readonly count: number;
}

const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-10;

/** Tokens [N, D] minus their mean over N, in float64. */
function centred(tokens: Float32Array, count: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let n = 0; n < count; n++) for (let d = 0; d < dim; d++) mean[d]! += tokens[n * dim + d] as number;
  const out = new Float64Array(count * dim);
  for (let n = 0; n < count; n++)
    for (let d = 0; d < dim; d++)
      out[n * dim + d] = (tokens[n * dim + d] as number) - (mean[d] as number) / count;
  return out;
}

/**
 * The smaller of the two scatter matrices of centred X [N, D], divided by N - 1: the covariance XᵀX [D, D]
 * when D <= N, else the Gram matrix XXᵀ [N, N] (same non-zero eigenvalues; DINO has N = 256 tokens of
 * D = 384..1024 channels, so the Gram matrix is the cheap one).
 */
function scatter(x: Float64Array, count: number, dim: number, gram: boolean): Float64Array {
  const size = gram ? count : dim;
  const out = new Float64Array(size * size);
  const divisor = Math.max(1, count - 1);
  const at = gram
    ? (i: number, k: number) => x[i * dim + k] as number
    : (i: number, k: number) => x[k * dim + i] as number;
  const inner = gram ? dim : count;
  for (let i = 0; i < size; i++) {
    for (let j = i; j < size; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += at(i, k) * at(j, k);
      out[i * size + j] = sum / divisor;
      out[j * size + i] = sum / divisor;
    }
  }
  return out;
}

function normalise(vector: Float64Array): number {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return norm;
}

/** The dominant eigenpair of a symmetric matrix [S, S] by power iteration from a fixed start. */
function dominantEigen(matrix: Float64Array, size: number): { vector: Float64Array; value: number } {
  let vector = Float64Array.from({ length: size }, (_, i) => 1 + i / size);
  normalise(vector);
  let value = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let sum = 0;
      for (let j = 0; j < size; j++) sum += (matrix[i * size + j] as number) * (vector[j] as number);
      next[i] = sum;
    }
    value = normalise(next);
    if (value === 0) return { vector, value: 0 };
    let change = 0;
    for (let i = 0; i < size; i++)
      change = Math.max(change, Math.abs((next[i] as number) - (vector[i] as number)));
    vector = next;
    if (change < TOLERANCE) break;
  }
  return { vector, value };
}

/** Flips v so that its largest-magnitude entry is positive. */
function canonicalSign(vector: Float64Array): void {
  let largest = 0;
  for (const v of vector) if (Math.abs(v) > Math.abs(largest)) largest = v;
  if (largest < 0) for (let i = 0; i < vector.length; i++) vector[i] = -(vector[i] as number);
}

/** Top-k principal components of tokens [N, D] (row-major). */
export function principalComponents(tokens: Float32Array, dims: readonly number[], k = 3): PcaResult {
  if (dims.length !== 2) throw new ModelIoMismatchError(`PCA needs tokens [N, D], got [${dims.join(', ')}]`);
  const [count, dim] = dims as [number, number];
  if (count * dim !== tokens.length)
    throw new ModelIoMismatchError(`${tokens.length} values do not form [${count}, ${dim}]`);
  if (k > dim) throw new ModelIoMismatchError(`cannot take ${k} components of ${dim}-dimensional tokens`);
  const x = centred(tokens, count, dim);
  const gram = dim > count;
  const size = gram ? count : dim;
  const matrix = scatter(x, count, dim, gram);
  const components = new Float64Array(k * dim);
  const variances = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const { vector, value } = dominantEigen(matrix, size);
    // Deflation: remove this direction so the next power iteration finds the next one.
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        matrix[i * size + j]! -= value * (vector[i] as number) * (vector[j] as number);
    // A Gram eigenvector u [N] gives the direction Xᵀu [D].
    const direction = gram
      ? Float64Array.from({ length: dim }, (_, d) => {
          let sum = 0;
          for (let n = 0; n < count; n++) sum += (x[n * dim + d] as number) * (vector[n] as number);
          return sum;
        })
      : vector;
    normalise(direction);
    canonicalSign(direction);
    components.set(direction, c * dim);
    variances[c] = value;
  }
  const projections = new Float64Array(count * k);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += (x[n * dim + d] as number) * (components[c * dim + d] as number);
      projections[n * k + c] = sum;
    }
  }
  return { components, variances, projections, count };
}
