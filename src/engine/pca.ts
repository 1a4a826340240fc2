// Principal components of DINO patch tokens for the feature inspector: the top three directions of the
// tokens' covariance, by power iteration with deflation on the D x D covariance (float64). Deterministic:
// a fixed start vector, and each component's sign chosen so that its largest-magnitude entry is positive
// (an eigenvector's sign is otherwise arbitrary, and the colours would flip between runs or images).
import { ModelIoMismatchError } from './errors';

export interface PcaResult {
  /** Principal directions [k, D], unit length, by decreasing variance. */
  readonly components: Float64Array;
  /** Variance along each direction [k]. */
  readonly variances: Float64Array;
  /** Centred tokens projected on the directions [N, k]. */
  readonly projections: Float64Array;
  readonly count: number;
}

const MAX_ITERATIONS = 1000;
const TOLERANCE = 1e-12;

/** Covariance [D, D] of rows [N, D] (divided by N - 1) and the row mean [D]. */
function covariance(
  tokens: Float32Array,
  count: number,
  dim: number,
): { cov: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(dim);
  for (let n = 0; n < count; n++) for (let d = 0; d < dim; d++) mean[d]! += tokens[n * dim + d] as number;
  for (let d = 0; d < dim; d++) mean[d]! /= count;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < dim; d++) row[d] = (tokens[n * dim + d] as number) - (mean[d] as number);
    for (let i = 0; i < dim; i++) {
      const ri = row[i] as number;
      for (let j = i; j < dim; j++) cov[i * dim + j]! += ri * (row[j] as number);
    }
  }
  const divisor = Math.max(1, count - 1);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = (cov[i * dim + j] as number) / divisor;
      cov[i * dim + j] = value;
      cov[j * dim + i] = value;
    }
  }
  return { cov, mean };
}

/** The dominant eigenpair of a symmetric matrix [D, D] by power iteration from a fixed start. */
function dominantEigen(matrix: Float64Array, dim: number): { vector: Float64Array; value: number } {
  let vector = Float64Array.from({ length: dim }, (_, i) => 1 + i / dim);
  let value = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let sum = 0;
      for (let j = 0; j < dim; j++) sum += (matrix[i * dim + j] as number) * (vector[j] as number);
      next[i] = sum;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return { vector, value: 0 };
    for (let i = 0; i < dim; i++) next[i]! /= norm;
    const change = next.reduce((s, v, i) => s + Math.abs(v - (vector[i] as number)), 0);
    vector = next;
    value = norm;
    if (change < TOLERANCE * dim) break;
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
  const { cov, mean } = covariance(tokens, count, dim);
  const components = new Float64Array(k * dim);
  const variances = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const { vector, value } = dominantEigen(cov, dim);
    canonicalSign(vector);
    components.set(vector, c * dim);
    variances[c] = value;
    // Deflation: remove this direction so the next iteration finds the next one.
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++)
        cov[i * dim + j]! -= value * (vector[i] as number) * (vector[j] as number);
  }
  const projections = new Float64Array(count * k);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let d = 0; d < dim; d++)
        sum += ((tokens[n * dim + d] as number) - (mean[d] as number)) * (components[c * dim + d] as number);
      projections[n * k + c] = sum;
    }
  }
  return { components, variances, projections, count };
}
