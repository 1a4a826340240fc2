// How often to decode a live preview during sampling. A preview costs one decoder forward per batch
// item; we keep that below a fixed share of the sampling time, measured on this device by the last run.

/** Previews may add at most this fraction of the sampling time. */
export const PREVIEW_BUDGET = 0.25;
/** With no measurement yet, aim for about this many previews per run. */
const PREVIEWS_WITHOUT_MEASUREMENT = 4;

export interface PreviewCostMeasurement {
  /** Mean wall time of one sampling step (all its DiT forwards), in ms. */
  readonly stepMs: number;
  /** Wall time of decoding one batch of latents, in ms. */
  readonly decodeMs: number;
}

/**
 * The preview interval k (decode every k steps) for a run of `steps` steps; 0 when previews are off
 * or when the run is too short for a preview to come before the final image.
 */
export function choosePreviewInterval(
  steps: number,
  enabled: boolean,
  measured: PreviewCostMeasurement | null,
): number {
  if (!enabled || steps < 2) return 0;
  const interval =
    measured && measured.stepMs > 0
      ? Math.ceil(measured.decodeMs / (PREVIEW_BUDGET * measured.stepMs))
      : Math.ceil(steps / PREVIEWS_WITHOUT_MEASUREMENT);
  const k = Math.max(1, interval);
  // The sampler never previews the last step (the final decode shows it), so k >= steps means none.
  return k < steps ? k : 0;
}
