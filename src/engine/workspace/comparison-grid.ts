// Comparison grids: the same seed run at several values of one or two settings, because few-step
// sampling is SVG's point (e.g. steps 1, 2, 4, 8, 25 side by side) and guidance/shift/class trade-offs
// are easiest to judge in an X/Y grid. Planning is pure; the store runs the cells one by one.
import { InvalidSettingError } from '../errors';
import { LIMITS } from '../limits';

export type GridAxisName = 'class' | 'guidance' | 'steps' | 'shift';

interface AxisSpec {
  readonly label: string;
  /** Which setting the axis varies. */
  readonly setting: 'classId' | 'guidanceScale' | 'steps' | 'shift';
  readonly integer: boolean;
  readonly min: number;
  /** Upper bound; for classes it is the class count - 1, filled in by the caller. */
  readonly max: number | 'classes';
}

export const GRID_AXES: Readonly<Record<GridAxisName, AxisSpec>> = {
  class: { label: 'Class', setting: 'classId', integer: true, min: 0, max: 'classes' },
  guidance: { label: 'Guidance scale', setting: 'guidanceScale', integer: false, min: 0, max: 100 },
  steps: { label: 'Steps', setting: 'steps', integer: true, min: 1, max: 100 },
  shift: { label: 'Timestep shift', setting: 'shift', integer: false, min: 0.01, max: 100 },
};

/** A grid of more cells than this would run for minutes on WASM; the user is told to narrow it. */
export const MAX_GRID_CELLS = LIMITS.gridCells.max;

export interface GridAxis {
  readonly name: GridAxisName;
  readonly values: readonly number[];
}

export interface GridCell<S> {
  readonly column: number;
  readonly row: number;
  readonly settings: S;
}

export interface GridPlan<S> {
  readonly columns: number;
  readonly rows: number;
  readonly cells: readonly GridCell<S>[];
}

/** "1, 2, 4, 8, 25" → [1, 2, 4, 8, 25], refusing values the axis cannot take (message names them). */
export function parseAxisValues(name: GridAxisName, text: string, classCount: number): number[] {
  const spec = GRID_AXES[name];
  const max = spec.max === 'classes' ? classCount - 1 : spec.max;
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new InvalidSettingError(`${spec.label} axis: give at least one value`);
  return parts.map((part) => {
    const value = Number(part);
    const ok = Number.isFinite(value) && (!spec.integer || Number.isInteger(value));
    if (!ok || value < spec.min || value > max) {
      const kind = spec.integer ? 'an integer' : 'a number';
      throw new InvalidSettingError(`${spec.label} axis: "${part}" is not ${kind} in ${spec.min}..${max}`);
    }
    return value;
  });
}

type AxisSettings = Record<AxisSpec['setting'], number>;

/** Row-major cells: the X axis varies along a row, the optional Y axis down the columns. */
export function planGrid<S extends AxisSettings>(base: S, x: GridAxis, y: GridAxis | null): GridPlan<S> {
  if (y && y.name === x.name) throw new InvalidSettingError('the X and Y axes must vary different settings');
  const rowsValues = y ? y.values : [undefined];
  const count = x.values.length * rowsValues.length;
  if (count > MAX_GRID_CELLS) {
    throw new InvalidSettingError(`a grid of ${count} cells is over the limit of ${MAX_GRID_CELLS}`);
  }
  const cells: GridCell<S>[] = [];
  rowsValues.forEach((yValue, row) => {
    x.values.forEach((xValue, column) => {
      const settings = { ...base, [GRID_AXES[x.name].setting]: xValue };
      if (y && yValue !== undefined) settings[GRID_AXES[y.name].setting] = yValue;
      cells.push({ column, row, settings });
    });
  });
  return { columns: x.values.length, rows: rowsValues.length, cells };
}

/** Column or row heading: "Steps 4", "Class 207: golden retriever". */
export function axisValueLabel(name: GridAxisName, value: number, classNames: readonly string[]): string {
  if (name === 'class') return `${value}: ${classNames[value] ?? `class ${value}`}`;
  return `${GRID_AXES[name].label} ${value}`;
}
