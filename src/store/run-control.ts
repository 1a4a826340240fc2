// One run at a time (a generation or a comparison grid): the Cancel button and Esc abort whichever
// is active, and the worker stops it within one sampling step.

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
