// One model-set load at a time (the Load and Model files controls are disabled while it runs): the
// model manager's Cancel aborts it, the worker stops its downloads at once and keeps none of their bytes.

let activeLoad: AbortController | null = null;

/** Starts a load and returns its signal. */
export function beginLoad(): AbortSignal {
  activeLoad = new AbortController();
  return activeLoad.signal;
}

export function cancelLoad(): void {
  activeLoad?.abort();
  activeLoad = null;
}
