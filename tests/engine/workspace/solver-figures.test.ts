// Measured figures beside the grid: read from the evaluation's metrics.json, tied to the exact set they
// were measured on (its manifest SHA-256) and to its sampling settings, absent everywhere else.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  measuredFigure,
  readSolverFigures,
  solverFiguresFor,
} from '../../../src/engine/workspace/solver-figures';

const SHA = 'a'.repeat(64);
const METRICS = {
  generation: {
    samples: 384,
    solvers: {
      manifestSha256: SHA,
      samples: 384,
      guidance_scale: 4.5,
      shift: 0.2,
      guidance_schedule: 'constant',
      steps: [4, 8],
      frechet_distance: { euler: { '4': 2.5, '8': 1.75 }, ab2: { '4': 1.25, '8': 1.5 } },
    },
  },
};
const AT = { guidanceScale: 4.5, shift: 0.2, guidanceSchedule: 'constant' };

describe('solver figures', () => {
  it('reads the solver comparison and names its source with the sample count', () => {
    const figures = readSolverFigures(METRICS);
    expect(figures?.frechetDistance.ab2?.[4]).toBe(1.25);
    expect(measuredFigure(figures, { ...AT, sampler: 'ab2', steps: 4 })).toEqual({
      frechetDistance: 1.25,
      source: 'evaluation script, 384 samples',
    });
  });

  it('gives no figure for other steps, solvers without figures or other settings', () => {
    const figures = readSolverFigures(METRICS);
    expect(measuredFigure(figures, { ...AT, sampler: 'euler', steps: 5 })).toBeUndefined();
    expect(measuredFigure(figures, { ...AT, sampler: 'heun', steps: 4 })).toBeUndefined();
    expect(measuredFigure(figures, { ...AT, guidanceScale: 3, sampler: 'euler', steps: 4 })).toBeUndefined();
    expect(measuredFigure(figures, { ...AT, shift: 1, sampler: 'euler', steps: 4 })).toBeUndefined();
    expect(measuredFigure(undefined, { ...AT, sampler: 'euler', steps: 4 })).toBeUndefined();
  });

  it('belongs only to the set it was measured on', () => {
    const figures = readSolverFigures(METRICS);
    expect(figures && solverFiguresFor(SHA, [figures])).toBe(figures);
    expect(figures && solverFiguresFor('b'.repeat(64), [figures])).toBeUndefined();
    expect(figures && solverFiguresFor(null, [figures])).toBeUndefined();
  });

  it('reads nothing from metrics without a (valid) solver comparison', () => {
    expect(readSolverFigures({ generation: {} })).toBeUndefined();
    expect(readSolverFigures({ generation: { solvers: { manifestSha256: 'x' } } })).toBeUndefined();
    const unknownSolver = structuredClone(METRICS) as unknown as {
      generation: { solvers: { frechet_distance: Record<string, unknown> } };
    };
    unknownSolver.generation.solvers.frechet_distance.rk4 = { '4': 1 };
    expect(readSolverFigures(unknownSolver)).toBeUndefined();
  });

  it('has the committed svg-mini figures for the bundled set as it is now, every solver at 4 and 8 steps', () => {
    // A re-exported svg-mini changes its manifest: then export-scripts/evaluate_solvers_svg_mini.py runs again.
    const manifest = readFileSync('public/models/svg-mini/manifest.json');
    const sha = createHash('sha256').update(manifest).digest('hex');
    const bundled = solverFiguresFor(sha);
    expect(bundled?.samples).toBe(384);
    for (const solver of ['euler', 'heun', 'ab2'] as const) {
      expect(Object.keys(bundled?.frechetDistance[solver] ?? {})).toEqual(['4', '8']);
    }
  });
});
