// Comparison-grid slice: the axes the user chose, and a grid run (one generation per cell, same seed,
// batch 1) that fills in cell by cell so the grid builds up on screen while it runs. Each cell carries the
// quality the evaluation measured for its settings on this model set, when it did (solver-figures.ts).
import type { StateCreator } from 'zustand';
import { SamplingCancelledError } from '../engine/errors';
import type { RgbaImage } from '../engine/formats/pixels';
import { stepsOnly, type StepProgressEvent } from '../engine/api/studio-engine';
import {
  parseAxisValues,
  planGrid,
  type GridAxis,
  type GridAxisName,
  type GridPlan,
} from '../engine/workspace/comparison-grid';
import { measuredFigure, solverFiguresFor, type MeasuredFigure } from '../engine/workspace/solver-figures';
import { studioEngine } from './engine-instance';
import type { GenerationSettings } from './generation-slice';
import type { StudioState } from './index';
import { beginRun, endRun } from './run-control';
import { describeError } from '../engine/api/describe-error';

export interface GridAxisInput {
  name: GridAxisName;
  values: string;
}

export interface GridRun {
  readonly x: GridAxis;
  readonly y: GridAxis | null;
  readonly plan: GridPlan<GenerationSettings>;
  /** One image per cell, row-major; null until the cell has run. */
  readonly images: readonly (RgbaImage | null)[];
  /** Per cell, the Fréchet distance the evaluation measured at its settings on this set; mostly undefined. */
  readonly figures: readonly (MeasuredFigure | undefined)[];
  readonly cellMs: readonly number[];
  /** The cell now sampling and its step progress. */
  readonly activeCell: number | null;
  readonly cellProgress: StepProgressEvent | null;
}

export interface GridSlice {
  gridX: GridAxisInput;
  /** null: a single row over the X axis (e.g. the steps comparison). */
  gridY: GridAxisInput | null;
  gridRun: GridRun | null;
  gridError: string | null;
  setGridX: (axis: GridAxisInput) => void;
  setGridY: (axis: GridAxisInput | null) => void;
  runGrid: () => Promise<void>;
}

export const createGridSlice: StateCreator<StudioState, [], [], GridSlice> = (set, get) => ({
  gridX: { name: 'steps', values: '1, 2, 4, 8, 25' },
  gridY: null,
  gridRun: null,
  gridError: null,

  setGridX(gridX) {
    set({ gridX });
  },

  setGridY(gridY) {
    set({ gridY });
  },

  async runGrid() {
    const { manifest, manifestSha256, activeRun, loadStatus, gridX, gridY } = get();
    if (activeRun !== null || loadStatus !== 'ready' || !manifest) return;
    let x: GridAxis;
    let y: GridAxis | null;
    let plan: GridPlan<GenerationSettings>;
    try {
      const classes = manifest.classes.count;
      x = { name: gridX.name, values: parseAxisValues(gridX.name, gridX.values, classes) };
      y = gridY ? { name: gridY.name, values: parseAxisValues(gridY.name, gridY.values, classes) } : null;
      plan = planGrid({ ...get().settings, batch: 1 }, x, y);
    } catch (error) {
      set({ gridError: describeError(error) });
      return;
    }
    const signal = beginRun();
    const update = (patch: Partial<GridRun>) => {
      const current = get().gridRun;
      if (current) set({ gridRun: { ...current, ...patch } });
    };
    set({
      activeRun: 'grid',
      gridError: null,
      gridRun: {
        x,
        y,
        plan,
        images: plan.cells.map(() => null),
        figures: plan.cells.map((cell) => measuredFigure(solverFiguresFor(manifestSha256), cell.settings)),
        cellMs: [],
        activeCell: 0,
        cellProgress: null,
      },
    });
    try {
      for (const [index, cell] of plan.cells.entries()) {
        update({ activeCell: index, cellProgress: null });
        const result = await studioEngine().generate(
          { ...cell.settings, previewEvery: 0 },
          { signal, onProgress: stepsOnly((cellProgress) => update({ cellProgress })) },
        );
        const run = get().gridRun;
        if (!run) break;
        update({
          images: run.images.map((image, i) => (i === index ? (result.images[0] ?? null) : image)),
          cellMs: [...run.cellMs, result.timings.totalMs],
        });
      }
    } catch (error) {
      set({
        gridError:
          error instanceof SamplingCancelledError
            ? 'Grid cancelled; the cells that finished are kept.'
            : error instanceof Error
              ? error.message
              : String(error),
      });
    } finally {
      endRun();
      update({ activeCell: null, cellProgress: null });
      set({ activeRun: null });
    }
  },
});
