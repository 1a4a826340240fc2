import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../../src/engine/errors';
import {
  ALL_SOLVERS_TEXT,
  axisValueLabel,
  MAX_GRID_CELLS,
  parseAxisValues,
  planGrid,
} from '../../../src/engine/workspace/comparison-grid';

const BASE = { classId: 1, guidanceScale: 4, steps: 25, shift: 0.15, seed: 7, sampler: 'euler' as const };

describe('parseAxisValues', () => {
  it('reads comma- or space-separated values', () => {
    expect(parseAxisValues('steps', '1, 2 4;8,25', 10)).toEqual([1, 2, 4, 8, 25]);
    expect(parseAxisValues('guidance', '1.5,4', 10)).toEqual([1.5, 4]);
  });
  it('refuses values outside the axis, naming the value', () => {
    expect(() => parseAxisValues('steps', '1, 101', 10)).toThrow(/"101"/);
    expect(() => parseAxisValues('steps', '2.5', 10)).toThrow(InvalidSettingError);
    expect(() => parseAxisValues('class', '10', 10)).toThrow(/0\.\.9/);
    expect(() => parseAxisValues('shift', '', 10)).toThrow(/at least one/);
  });
  it('reads solver ids on the solver axis, every row of the solver table by default', () => {
    expect(parseAxisValues('solver', ALL_SOLVERS_TEXT, 10)).toEqual(['euler', 'heun', 'ab2']);
    expect(() => parseAxisValues('solver', 'euler, rk4', 10)).toThrow(
      'Solver axis: "rk4" is not "euler", "heun" or "ab2"',
    );
  });
});

describe('planGrid', () => {
  it('plans a steps row with everything else fixed', () => {
    const plan = planGrid(BASE, { name: 'steps', values: [1, 2, 4] }, null);
    expect(plan).toMatchObject({ columns: 3, rows: 1 });
    expect(plan.cells.map((c) => c.settings.steps)).toEqual([1, 2, 4]);
    expect(plan.cells.every((c) => c.settings.seed === 7 && c.settings.classId === 1)).toBe(true);
  });
  it('plans an X/Y grid row-major', () => {
    const plan = planGrid(BASE, { name: 'guidance', values: [1, 4] }, { name: 'class', values: [0, 3, 5] });
    expect(plan).toMatchObject({ columns: 2, rows: 3 });
    expect(plan.cells.map((c) => [c.settings.guidanceScale, c.settings.classId])).toEqual([
      [1, 0],
      [4, 0],
      [1, 3],
      [4, 3],
      [1, 5],
      [4, 5],
    ]);
  });
  it('plans every solver down the rows across steps', () => {
    const plan = planGrid(
      BASE,
      { name: 'steps', values: [4, 8] },
      { name: 'solver', values: ['euler', 'ab2'] },
    );
    expect(plan.cells.map((c) => [c.settings.sampler, c.settings.steps])).toEqual([
      ['euler', 4],
      ['euler', 8],
      ['ab2', 4],
      ['ab2', 8],
    ]);
  });
  it('refuses the same axis twice and grids over the cell limit', () => {
    expect(() => planGrid(BASE, { name: 'steps', values: [1] }, { name: 'steps', values: [2] })).toThrow(
      /different/,
    );
    const many = Array.from({ length: MAX_GRID_CELLS + 1 }, (_, i) => i + 1);
    expect(() => planGrid(BASE, { name: 'guidance', values: many }, null)).toThrow(/over the limit/);
  });
});

describe('axisValueLabel', () => {
  it('names classes and settings', () => {
    expect(axisValueLabel('class', 2, ['a', 'b', 'cat'])).toBe('2: cat');
    expect(axisValueLabel('steps', 4, [])).toBe('Steps 4');
    expect(axisValueLabel('solver', 'ab2', [])).toBe('Adams-Bashforth 2');
  });
});
