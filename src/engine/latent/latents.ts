// The SVG latent: layout conversions, assembly from the two encoders, and the DiT's standardisation.
// The raw latent of an image batch is cat(DINO patch tokens, aligned residual) on channels, [B, D+R, h, w]
// (the reference DinoDecoder.encode). The residual is aligned to the DINO features by match_distribution,
// which uses statistics of the whole batch, so an image's latent depends on the other images encoded with
// it. The DiT works on standardised tokens (z - mean) / std in [B, N, C] with per-channel statistics.
// Element-wise operations follow the reference's float32 operation order.
import { ModelIoMismatchError } from '../errors';
import { cpuTensor, type CpuTensor } from './tensor';

const f = Math.fround;

function dims3(tensor: CpuTensor, what: string): [number, number, number] {
  if (tensor.dims.length !== 3)
    throw new ModelIoMismatchError(`${what} must be 3-D, got [${tensor.dims.join(', ')}]`);
  return tensor.dims as [number, number, number];
}

function dims4(tensor: CpuTensor, what: string): [number, number, number, number] {
  if (tensor.dims.length !== 4)
    throw new ModelIoMismatchError(`${what} must be 4-D, got [${tensor.dims.join(', ')}]`);
  return tensor.dims as [number, number, number, number];
}

/**
 * The scalar statistics match_distribution uses: per channel, the mean and the unbiased std over batch
 * and tokens (float32 values, like the reference's per-channel tensors), then the float32 mean of each
 * over channels. `valueAt(b, c, n)` reads one element.
 */
function batchStatistics(
  valueAt: (b: number, c: number, n: number) => number,
  [batch, channels, tokens]: readonly [number, number, number],
): { mean: number; std: number } {
  const count = batch * tokens;
  let meanSum = 0;
  let stdSum = 0;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let b = 0; b < batch; b++) for (let n = 0; n < tokens; n++) sum += valueAt(b, c, n);
    const mean = sum / count;
    let squares = 0;
    for (let b = 0; b < batch; b++) {
      for (let n = 0; n < tokens; n++) {
        const d = valueAt(b, c, n) - mean;
        squares += d * d;
      }
    }
    meanSum += f(mean);
    stdSum += f(Math.sqrt(squares / (count - 1)));
  }
  return { mean: f(meanSum / channels), std: f(stdSum / channels) };
}

/**
 * match_distribution(h, h_vit, eps) of the reference, with the DINO tokens in the encoder's layout:
 * patchTokens [B, N, D], residual [B, R, N] → aligned residual [B, R, N] =
 * (residual - mean_r) / (std_r + eps) * std_h + mean_h, where mean_x is the mean over channels of the
 * per-channel means over batch and tokens, and std_x the mean over channels of the per-channel unbiased stds.
 */
export function matchDistribution(patchTokens: CpuTensor, residual: CpuTensor, eps: number): CpuTensor {
  const [batch, tokens, dino] = dims3(patchTokens, 'DINO patch tokens');
  const [rBatch, channels, rTokens] = dims3(residual, 'residual features');
  if (rBatch !== batch || rTokens !== tokens) {
    throw new ModelIoMismatchError(
      `residual features [${residual.dims.join(', ')}] do not match DINO tokens [${patchTokens.dims.join(', ')}] ([B, R, N] vs [B, N, D])`,
    );
  }
  const h = patchTokens.data;
  const r = residual.data;
  const target = batchStatistics(
    (b, c, n) => h[(b * tokens + n) * dino + c] as number,
    [batch, dino, tokens],
  );
  const source = batchStatistics(
    (b, c, n) => r[(b * channels + c) * tokens + n] as number,
    [batch, channels, tokens],
  );
  const divisor = f(source.std + eps);
  const out = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) {
    const normed = f(f((r[i] as number) - source.mean) / divisor);
    out[i] = f(normed * target.std) + target.mean;
  }
  return cpuTensor(out, residual.dims);
}

/** The token grid [h, w] of N tokens: `grid` when given, else square. */
function tokenGrid(tokens: number, grid?: readonly [number, number]): [number, number] {
  if (grid) {
    if (grid[0] * grid[1] !== tokens)
      throw new ModelIoMismatchError(`${tokens} tokens do not form a ${grid[0]}x${grid[1]} grid`);
    return [grid[0], grid[1]];
  }
  const side = Math.round(Math.sqrt(tokens));
  if (side * side !== tokens)
    throw new ModelIoMismatchError(`${tokens} tokens are not a square grid; pass the grid`);
  return [side, side];
}

/**
 * The reference DinoDecoder.encode after the two networks: patchTokens [B, N, D], residual [B, R, N]
 * → raw latent [B, D + R, h, w] (DINO channels first, then the aligned residual; tokens row-major).
 */
export function assembleLatent(
  patchTokens: CpuTensor,
  residual: CpuTensor,
  eps: number,
  grid?: readonly [number, number],
): CpuTensor {
  const aligned = matchDistribution(patchTokens, residual, eps);
  const [batch, tokens, dino] = patchTokens.dims as [number, number, number];
  const residualChannels = residual.dims[1] as number;
  const [height, width] = tokenGrid(tokens, grid);
  const channels = dino + residualChannels;
  const out = new Float32Array(batch * channels * tokens);
  const h = patchTokens.data;
  for (let b = 0; b < batch; b++) {
    const base = b * channels * tokens;
    for (let n = 0; n < tokens; n++) {
      for (let c = 0; c < dino; c++) out[base + c * tokens + n] = h[(b * tokens + n) * dino + c] as number;
    }
    out.set(
      aligned.data.subarray(b * residualChannels * tokens, (b + 1) * residualChannels * tokens),
      base + dino * tokens,
    );
  }
  return cpuTensor(out, [batch, channels, height, width]);
}

/** Tokens [B, N, C] (row-major grid) → [B, C, h, w]; the reference's permute(0, 2, 1).reshape(B, C, h, w). */
export function tokensToNchw(tokens: CpuTensor, height: number, width: number): CpuTensor {
  const [batch, count, channels] = dims3(tokens, 'latent tokens');
  if (count !== height * width)
    throw new ModelIoMismatchError(`${count} tokens do not form a ${height}x${width} grid`);
  const out = new Float32Array(tokens.data.length);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < count; n++) {
      for (let c = 0; c < channels; c++) {
        out[(b * channels + c) * count + n] = tokens.data[(b * count + n) * channels + c] as number;
      }
    }
  }
  return cpuTensor(out, [batch, channels, height, width]);
}

/** [B, C, h, w] → tokens [B, h·w, C] (the inverse of tokensToNchw). */
export function nchwToTokens(latent: CpuTensor): CpuTensor {
  const [batch, channels, height, width] = dims4(latent, 'latent');
  const count = height * width;
  const out = new Float32Array(latent.data.length);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let n = 0; n < count; n++) {
        out[(b * count + n) * channels + c] = latent.data[(b * channels + c) * count + n] as number;
      }
    }
  }
  return cpuTensor(out, [batch, count, channels]);
}

/** Applies `apply(value, mean_c, std_c)` per channel c of tokens [B, N, C] (statistics as float32). */
function perChannel(
  tokens: CpuTensor,
  mean: readonly number[],
  std: readonly number[],
  apply: (value: number, mean: number, std: number) => number,
): CpuTensor {
  const [, , channels] = dims3(tokens, 'latent tokens');
  if (mean.length !== channels || std.length !== channels) {
    throw new ModelIoMismatchError(
      `latent statistics have ${mean.length}/${std.length} channels, tokens have ${channels}`,
    );
  }
  const m = Float32Array.from(mean);
  const s = Float32Array.from(std);
  const out = new Float32Array(tokens.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = i % channels;
    out[i] = apply(tokens.data[i] as number, m[c] as number, s[c] as number);
  }
  return cpuTensor(out, tokens.dims);
}

/** Raw tokens [B, N, C] → the DiT's space (z - mean) / std per channel. */
export function standardize(tokens: CpuTensor, mean: readonly number[], std: readonly number[]): CpuTensor {
  return perChannel(tokens, mean, std, (z, m, s) => f(z - m) / s);
}

/** DiT-space tokens [B, N, C] → raw: z * std + mean per channel (the official sampling script). */
export function destandardize(tokens: CpuTensor, mean: readonly number[], std: readonly number[]): CpuTensor {
  return perChannel(tokens, mean, std, (z, m, s) => f(z * s) + m);
}

/** Overwrites channels c >= dinoChannels of a raw latent [B, C, h, w] with value(c): a copy. */
function replaceResidual(
  latent: CpuTensor,
  dinoChannels: number,
  value: (channel: number) => number,
): CpuTensor {
  const [batch, channels, height, width] = dims4(latent, 'latent');
  if (dinoChannels > channels)
    throw new ModelIoMismatchError(
      `latent has ${channels} channels, fewer than ${dinoChannels} DINO channels`,
    );
  const plane = height * width;
  const out = latent.data.slice();
  for (let b = 0; b < batch; b++) {
    for (let c = dinoChannels; c < channels; c++)
      out.fill(value(c), (b * channels + c) * plane, (b * channels + c + 1) * plane);
  }
  return cpuTensor(out, latent.dims);
}

/** "DINO only": the residual channels of a raw latent [B, C, h, w] set to zero. */
export function zeroResidual(latent: CpuTensor, dinoChannels: number): CpuTensor {
  return replaceResidual(latent, dinoChannels, () => 0);
}

/** "DINO only" with typical values: the residual channels set to their latent mean (`mean` has C values). */
export function meanResidual(latent: CpuTensor, dinoChannels: number, mean: readonly number[]): CpuTensor {
  if (mean.length !== latent.dims[1])
    throw new ModelIoMismatchError(`latent mean has ${mean.length} channels, latent has ${latent.dims[1]}`);
  return replaceResidual(latent, dinoChannels, (c) => mean[c] as number);
}
