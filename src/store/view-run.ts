// The shared run control for the views' slices (reconstruct, inspect, edit): a run starts only when no
// run of any view is active, gets the AbortSignal that Cancel and Esc abort, is numbered, and ends by
// freeing the run control whatever happened. Step progress carries an ETA from the time so far.
import type { StoreApi } from 'zustand';
import type { StudioState } from './index';
import { beginRun, endRun, type RunKind } from './run-control';

/** Progress of a run that has steps: step k of n, time so far, estimated time left. */
export interface ViewRunProgress {
  readonly step: number;
  readonly steps: number;
  readonly elapsedMs: number;
  /** null until a step is done */
  readonly etaMs: number | null;
}

export function stepProgress(step: number, steps: number, elapsedMs: number): ViewRunProgress {
  return { step, steps, elapsedMs, etaMs: step > 0 ? (elapsedMs / step) * (steps - step) : null };
}

let lastRunId = 0;

/** Every run of every view gets a new id: results carry it, so a previous run's are never taken for it. */
export function nextRunId(): number {
  return ++lastRunId;
}

export type ViewRunOutcome<T> =
  | { readonly kind: 'done'; readonly runId: number; readonly value: T }
  | { readonly kind: 'failed'; readonly runId: number; readonly error: unknown };

/**
 * Runs `work` as the one active run, of `kind`; null (and nothing run) when another run is active or no
 * model set is ready. `onStart` is applied with the run id before the work begins.
 */
export async function exclusiveRun<T>(
  get: StoreApi<StudioState>['getState'],
  set: StoreApi<StudioState>['setState'],
  kind: RunKind,
  onStart: (runId: number) => Partial<StudioState>,
  work: (signal: AbortSignal, runId: number) => Promise<T>,
): Promise<ViewRunOutcome<T> | null> {
  if (get().activeRun !== null || get().loadStatus !== 'ready') return null;
  const runId = nextRunId();
  const signal = beginRun();
  set({ activeRun: kind, ...onStart(runId) });
  try {
    return { kind: 'done', runId, value: await work(signal, runId) };
  } catch (error) {
    return { kind: 'failed', runId, error };
  } finally {
    endRun();
    set({ activeRun: null });
  }
}
