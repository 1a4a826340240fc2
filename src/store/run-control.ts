// One run at a time (a generation, a comparison grid, a reconstruction, an inspection, an interpolation
// or an edit): the Cancel button and Esc abort whichever is active, and the worker stops it within one
// sampling step.

/** Every kind of run the studio has; the store's `activeRun` is one of these or null. */
export const RUN_KINDS = ['generate', 'grid', 'reconstruct', 'inspect', 'interpolate', 'edit'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

let activeRun: AbortController | null = null;

/** Starts a run and returns its signal; a second run while one is active is refused by the callers. */
export function beginRun(): AbortSignal {
  activeRun = new AbortController();
  return activeRun.signal;
}

export function endRun(): void {
  activeRun = null;
}

export function cancelRun(): void {
  activeRun?.abort();
}
