// Elapsed time and ETA for the sampling progress bar: the remaining steps at the mean step time so far.

export interface EtaInput {
  readonly step: number;
  readonly steps: number;
  readonly elapsedMs: number;
}

/** Remaining milliseconds, or null before the first step finishes (nothing to extrapolate from). */
export function estimateRemainingMs({ step, steps, elapsedMs }: EtaInput): number | null {
  if (step <= 0 || steps <= 0) return null;
  return (elapsedMs / step) * Math.max(0, steps - step);
}

/** "0.8 s", "12 s", "2 min 05 s": short enough for a progress line. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
