// Comparison grids: the same seed run at several values of one or two settings, because few-step
// sampling is SVG's point (e.g. steps 1, 2, 4, 8, 25 side by side, or every solver across steps) and
// guidance/shift/class trade-offs are easiest to judge in an X/Y grid. Planning is pure; the store runs
// the cells one by one.
import { InvalidSettingError } from '../errors';
import { LIMITS } from '../limits';
import {
  describeSolverNames,
  isSolverName,
  SOLVER_NAMES,
  SOLVERS,
  type SolverName,
} from '../schedulers/solvers';

export type GridAxisName = 'class' | 'guidance' | 'steps' | 'shift' | 'solver';

interface NumberAxisSpec {
  readonly kind: 'number';
  readonly label: string;
  /** Which setting the axis varies. */
  readonly setting: 'classId' | 'guidanceScale' | 'steps' | 'shift';
  readonly integer: boolean;
  readonly min: number;
  /** Upper bound; for classes it is the class count - 1, filled in by the caller. */
  readonly max: number | 'classes';
}

/** An axis over the rows of the solver table (SOLVERS): every solver is offered, a new one included. */
interface SolverAxisSpec {
  readonly kind: 'solver';
  readonly label: string;
  readonly setting: 'sampler';
}

type AxisSpec = NumberAxisSpec | SolverAxisSpec;

export const GRID_AXES: Readonly<Record<GridAxisName, AxisSpec>> = {
  class: { kind: 'number', label: 'Class', setting: 'classId', integer: true, min: 0, max: 'classes' },
  guidance: {
    kind: 'number',
    label: 'Guidance scale',
    setting: 'guidanceScale',
    integer: false,
    min: 0,
    max: 100,
  },
  steps: { kind: 'number', label: 'Steps', setting: 'steps', integer: true, min: 1, max: 100 },
  shift: { kind: 'number', label: 'Timestep shift', setting: 'shift', integer: false, min: 0.01, max: 100 },
  solver: { kind: 'solver', label: 'Solver', setting: 'sampler' },
};

/** A value along an axis: a number, or a solver id on the solver axis. */
export type GridValue = number | SolverName;

/** "euler, heun, ab2": the solver axis's values when it is chosen (every row of SOLVERS). */
export const ALL_SOLVERS_TEXT = SOLVER_NAMES.join(', ');

/** A grid of more cells than this would run for minutes on WASM; the user is told to narrow it. */
export const MAX_GRID_CELLS = LIMITS.gridCells.max;

export interface GridAxis {
  readonly name: GridAxisName;
  readonly values: readonly GridValue[];
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

/**
 * "1, 2, 4, 8, 25" → [1, 2, 4, 8, 25], "euler, ab2" → ['euler', 'ab2'], refusing values the axis cannot
 * take (the message names them).
 */
export function parseAxisValues(name: GridAxisName, text: string, classCount: number): GridValue[] {
  const spec = GRID_AXES[name];
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new InvalidSettingError(`${spec.label} axis: give at least one value`);
  if (spec.kind === 'solver') {
    return parts.map((part) => {
      if (!isSolverName(part)) {
        throw new InvalidSettingError(`${spec.label} axis: "${part}" is not ${describeSolverNames()}`);
      }
      return part;
    });
  }
  const max = spec.max === 'classes' ? classCount - 1 : spec.max;
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

type AxisSettings = Record<NumberAxisSpec['setting'], number> & { sampler: SolverName };

/** `settings` with one axis set to `value` (parseAxisValues gives each axis values of its own kind). */
function withAxis<S extends AxisSettings>(settings: S, name: GridAxisName, value: GridValue): S {
  return { ...settings, [GRID_AXES[name].setting]: value };
}

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
      const settings = withAxis(base, x.name, xValue);
      cells.push({
        column,
        row,
        settings: y && yValue !== undefined ? withAxis(settings, y.name, yValue) : settings,
      });
    });
  });
  return { columns: x.values.length, rows: rowsValues.length, cells };
}

/** Column or row heading: "Steps 4", "Class 207: golden retriever", "Adams-Bashforth 2". */
export function axisValueLabel(name: GridAxisName, value: GridValue, classNames: readonly string[]): string {
  if (typeof value === 'string') return isSolverName(value) ? SOLVERS[value].label : value;
  if (name === 'class') return `${value}: ${classNames[value] ?? `class ${value}`}`;
  return `${GRID_AXES[name].label} ${value}`;
}
