// Latent assembly and layouts. The SVG latent of an image is cat(DINO patch tokens, aligned residual)
// on channels: [B, D+R, h, w]. The residual branch is aligned to the DINO features' distribution with
// statistics of the whole batch (the reference match_distribution), so an image's latent depends on the
// other images encoded with it. The DiT works on standardised tokens (z − mean) / std in [B, N, C].
import { cpuTensor, type CpuTensor } from './tensor';

/** Mean over channels of the per-channel mean, and mean over channels of the per-channel unbiased std. */
function channelStatistics(
  valueAt: (b: number, c: number, n: number) => number,
  batch: number,
  channels: number,
  tokens: number,
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
    meanSum += mean;
    stdSum += Math.sqrt(squares / (count - 1));
  }
  return { mean: meanSum / channels, std: stdSum / channels };
}

/**
 * match_distribution(h, h_vit): the residual [B,R,N] standardised by its own scalar mean/std and
 * rescaled to those of the DINO tokens [B,N,D]. Returns the aligned residual [B,R,N].
 */
export function matchDistribution(patchTokens: CpuTensor, residual: CpuTensor, eps: number): CpuTensor {
  const [batch, tokens, dino] = patchTokens.dims as [number, number, number];
  const residualChannels = residual.dims[1] as number;
  const h = patchTokens.data;
  const r = residual.data;
  const dinoStats = channelStatistics((b, c, n) => h[(b * tokens + n) * dino + c] as number, batch, dino, tokens);
  const residualStats = channelStatistics(
    (b, c, n) => r[(b * residualChannels + c) * tokens + n] as number,
    batch,
    residualChannels,
    tokens,
  );
  const scale = dinoStats.std / (residualStats.std + eps);
  const out = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = ((r[i] as number) - residualStats.mean) * scale + dinoStats.mean;
  return cpuTensor(out, residual.dims);
}

/** Encoder outputs → raw latent [B, D+R, h, w] (the reference DinoDecoder.encode). */
export function assembleLatent(patchTokens: CpuTensor, residual: CpuTensor, eps: number): CpuTensor {
  const [batch, tokens, dino] = patchTokens.dims as [number, number, number];
  const residualChannels = residual.dims[1] as number;
  const side = Math.round(Math.sqrt(tokens));
  const aligned = matchDistribution(patchTokens, residual, eps).data;
  const channels = dino + residualChannels;
  const out = new Float32Array(batch * channels * tokens);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < tokens; n++) {
      for (let c = 0; c < dino; c++) out[(b * channels + c) * tokens + n] = patchTokens.data[(b * tokens + n) * dino + c] as number;
    }
    out.set(aligned.subarray(b * residualChannels * tokens, (b + 1) * residualChannels * tokens), (b * channels + dino) * tokens);
  }
  return cpuTensor(out, [batch, channels, side, tokens / side]);
}

/** [B, N, C] tokens (row-major grid) → [B, C, h, w]. */
export function tokensToNchw(tokens: CpuTensor, height: number, width: number): CpuTensor {
  const [batch, count, channels] = tokens.dims as [number, number, number];
  if (count !== height * width) throw new RangeError(`${count} tokens do not form a ${height}×${width} grid`);
  const out = new Float32Array(tokens.data.length);
  for (let b = 0; b < batch; b++)
    for (let n = 0; n < count; n++)
      for (let c = 0; c < channels; c++) out[(b * channels + c) * count + n] = tokens.data[(b * count + n) * channels + c] as number;
  return cpuTensor(out, [batch, channels, height, width]);
}

/** [B, C, h, w] → [B, h·w, C] tokens. */
export function nchwToTokens(latent: CpuTensor): CpuTensor {
  const [batch, channels, height, width] = latent.dims as [number, number, number, number];
  const count = height * width;
  const out = new Float32Array(latent.data.length);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let n = 0; n < count; n++) out[(b * count + n) * channels + c] = latent.data[(b * channels + c) * count + n] as number;
  return cpuTensor(out, [batch, count, channels]);
}

function perChannel(tokens: CpuTensor, apply: (value: number, channel: number) => number): CpuTensor {
  const channels = tokens.dims[tokens.dims.length - 1] as number;
  const out = new Float32Array(tokens.data.length);
  for (let i = 0; i < out.length; i++) out[i] = apply(tokens.data[i] as number, i % channels);
  return cpuTensor(out, tokens.dims);
}

/** (z − mean) / std per channel, tokens [B, N, C]. */
export function standardize(tokens: CpuTensor, mean: readonly number[], std: readonly number[]): CpuTensor {
  return perChannel(tokens, (v, c) => (v - (mean[c] as number)) / (std[c] as number));
}

/** z · std + mean per channel, tokens [B, N, C] (the official sampling script's feature de-normalisation). */
export function destandardize(tokens: CpuTensor, mean: readonly number[], std: readonly number[]): CpuTensor {
  return perChannel(tokens, (v, c) => v * (std[c] as number) + (mean[c] as number));
}
