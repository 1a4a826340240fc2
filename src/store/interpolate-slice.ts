// Interpolate slice: runs the engine's interpolation pipeline (engine/pipelines/interpolate.ts, the code
// the CLI runs too) on the shared run control: one run at a time with every other view, Cancel, progress
// per sampling step or decoded chunk with an ETA, and a result tagged with its run id, kind and export
// name, so exports always take the finished run's frames under that run's name.
import type { StateCreator } from 'zustand';
import { describeError } from '../engine/api/describe-error';
import { SamplingCancelledError } from '../engine/errors';
import {
  METHOD_CHOICES,
  interpolationBaseName,
  runInterpolation,
  type InterpolationEndpoints,
  type InterpolationProgress,
  type InterpolationResult,
  type MethodChoice,
} from '../engine/pipelines/interpolate';
import { studioEngine } from './engine-instance';
import type { StudioState } from './index';
import { beginRun, cancelRun, endRun } from './run-control';
import { nextRunId } from './view-run';

export interface InterpolationRequestInput {
  readonly endpoints: InterpolationEndpoints;
  readonly frames: number;
  readonly choice: MethodChoice;
}

/** A finished run: its frames, what it was asked, and the name its exports carry. */
export interface FinishedInterpolation extends InterpolationResult {
  readonly runId: number;
  readonly choice: MethodChoice;
  readonly frames: number;
  readonly grid: boolean;
  readonly baseName: string;
  readonly seconds: number;
}

export interface InterpolateSlice {
  /** The run in progress (its id and latest progress), null when none. */
  interpolationRun: { readonly runId: number; readonly progress: InterpolationProgress | null } | null;
  interpolation: FinishedInterpolation | null;
  interpolationError: string | null;
  /** Runs an interpolation unless another run (of any view) is active; resolves when it ends. */
  interpolate: (input: InterpolationRequestInput) => Promise<void>;
  cancelInterpolation: () => void;
}

export const createInterpolateSlice: StateCreator<StudioState, [], [], InterpolateSlice> = (set, get) => ({
  interpolationRun: null,
  interpolation: null,
  interpolationError: null,

  async interpolate({ endpoints, frames, choice }) {
    const manifest = get().manifest;
    if (get().activeRun !== null || get().loadStatus !== 'ready' || !manifest) return;
    const runId = nextRunId();
    const signal = beginRun();
    const started = performance.now();
    // The previous result goes at once: nothing of it can be shown or exported as this run's.
    set({
      activeRun: 'interpolate',
      interpolationRun: { runId, progress: null },
      interpolation: null,
      interpolationError: null,
    });
    const grid = (endpoints.kind === 'images' ? endpoints.items.length : endpoints.points.length) === 4;
    try {
      const result = await runInterpolation(
        studioEngine(),
        manifest,
        { endpoints, frames, methods: METHOD_CHOICES[choice] },
        {
          signal,
          onProgress: (progress) => {
            if (get().interpolationRun?.runId === runId) set({ interpolationRun: { runId, progress } });
          },
        },
      );
      set({
        interpolation: {
          ...result,
          runId,
          choice,
          frames,
          grid,
          baseName: interpolationBaseName(choice, frames, grid),
          seconds: (performance.now() - started) / 1000,
        },
      });
    } catch (error) {
      set({
        interpolationError:
          error instanceof SamplingCancelledError ? 'Interpolation cancelled.' : describeError(error),
      });
    } finally {
      endRun();
      set({ activeRun: null, interpolationRun: null });
    }
  },

  cancelInterpolation() {
    if (get().activeRun === 'interpolate') cancelRun();
  },
});
