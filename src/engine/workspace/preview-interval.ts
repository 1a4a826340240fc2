// How often to decode a live preview during sampling. A preview costs one decoder forward per batch
// item; we keep that below a fixed share of the sampling time, measured on this device: by the last
// run, or before the first run by the warm-up after the set loaded (one decode and the DiT forwards at
// the guided batch, see engine/pipelines/warm-up.ts). With no figure at all there are no previews: a guess would
// put decodes (each several DiT forwards on small sets) into the first, slowest run.

/** Previews may add at most this fraction of the sampling time. */
export const PREVIEW_BUDGET = 0.25;

export interface PreviewCostMeasurement {
  /** Mean wall time of one sampling step (all its DiT forwards), in ms. */
  readonly stepMs: number;
  /** Wall time of decoding one batch of latents, in ms. */
  readonly decodeMs: number;
}

/** What the warm-up measured: one DiT forward at the guided batch 2B, one decode at batch B. */
export interface WarmUpCost {
  readonly forwardMs: number;
  readonly decodeMs: number;
}

/**
 * A step's cost from the warm-up's figures: one forward per evaluation (a guided evaluation is the one
 * batch-2B forward the warm-up timed; an unguided one is charged the same, erring towards fewer previews).
 */
export function costFromWarmUp(cost: WarmUpCost, evaluationsPerStep: number): PreviewCostMeasurement {
  return { stepMs: cost.forwardMs * evaluationsPerStep, decodeMs: cost.decodeMs };
}

/**
 * The preview interval k (decode every k steps) for a run of `steps` steps; 0 when previews are off,
 * when nothing has been measured yet, or when the run is too short for a preview to come before the
 * final image.
 */
export function choosePreviewInterval(
  steps: number,
  enabled: boolean,
  measured: PreviewCostMeasurement | null,
): number {
  if (!enabled || steps < 2 || !measured || !(measured.stepMs > 0) || !(measured.decodeMs >= 0)) return 0;
  const k = Math.max(1, Math.ceil(measured.decodeMs / (PREVIEW_BUDGET * measured.stepMs)));
  // The sampler never previews the last step (the final decode shows it), so k >= steps means none.
  return k < steps ? k : 0;
}
