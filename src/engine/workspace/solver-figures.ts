// Measured quality per solver x steps, shown beside the comparison grid's images: the Fréchet distance the
// evaluation script wrote for a bundled model set (docs/<set>/metrics.json, generation.solvers, written by
// export-scripts/evaluate_solvers_svg_mini.py), never typed here. A figure belongs to the exact set it was
// measured on (its manifest's SHA-256) and to the guidance it was sampled at; any other set or setting
// gets no figure rather than a wrong one.
import * as v from 'valibot';
import svgMiniMetrics from '../../../docs/svg-mini/metrics.json' with { type: 'json' };
import { Sha256HexSchema } from '../model-set/schema';
import { SOLVER_NAMES, type SolverName } from '../schedulers/solvers';

/** The evaluation output of each bundled set that has one. */
const EVALUATIONS: readonly unknown[] = [svgMiniMetrics];

const SolverComparisonSchema = v.object({
  manifestSha256: Sha256HexSchema,
  samples: v.pipe(v.number(), v.integer(), v.minValue(1)),
  guidance_scale: v.number(),
  shift: v.number(),
  guidance_schedule: v.string(),
  frechet_distance: v.record(
    v.picklist(SOLVER_NAMES),
    v.record(v.pipe(v.string(), v.regex(/^[1-9][0-9]*$/)), v.pipe(v.number(), v.finite())),
  ),
});

const MetricsSchema = v.object({
  generation: v.object({ solvers: v.optional(SolverComparisonSchema) }),
});

export interface SolverFigures {
  readonly manifestSha256: string;
  /** images per figure, class-balanced */
  readonly samples: number;
  readonly guidanceScale: number;
  readonly shift: number;
  readonly guidanceSchedule: string;
  /** Fréchet distance by solver, then by step count */
  readonly frechetDistance: Readonly<Partial<Record<SolverName, Readonly<Record<number, number>>>>>;
}

/** Reads one evaluation output; undefined when it has no solver comparison (or is not one). */
export function readSolverFigures(metrics: unknown): SolverFigures | undefined {
  const parsed = v.safeParse(MetricsSchema, metrics);
  const comparison = parsed.success ? parsed.output.generation.solvers : undefined;
  if (!comparison) return undefined;
  const frechetDistance: Partial<Record<SolverName, Record<number, number>>> = {};
  for (const [solver, bySteps] of Object.entries(comparison.frechet_distance) as [
    SolverName,
    Record<string, number>,
  ][]) {
    frechetDistance[solver] = Object.fromEntries(
      Object.entries(bySteps).map(([steps, fd]) => [Number(steps), fd]),
    );
  }
  return {
    manifestSha256: comparison.manifestSha256,
    samples: comparison.samples,
    guidanceScale: comparison.guidance_scale,
    shift: comparison.shift,
    guidanceSchedule: comparison.guidance_schedule,
    frechetDistance,
  };
}

const BUNDLED: readonly SolverFigures[] = EVALUATIONS.flatMap((metrics) => readSolverFigures(metrics) ?? []);

/** The figures measured on the set with this manifest SHA-256, if the evaluation scored it. */
export function solverFiguresFor(
  manifestSha256: string | null,
  evaluated: readonly SolverFigures[] = BUNDLED,
): SolverFigures | undefined {
  return evaluated.find((figures) => figures.manifestSha256 === manifestSha256);
}

export interface MeasuredFigure {
  /** Fréchet distance (lower is closer to the held-out images) */
  readonly frechetDistance: number;
  /** e.g. "evaluation script, 384 samples" */
  readonly source: string;
}

export interface FigureSettings {
  readonly sampler: SolverName;
  readonly steps: number;
  readonly guidanceScale: number;
  readonly shift: number;
  readonly guidanceSchedule: string;
}

/** The measured figure for a grid cell's settings; undefined unless they are the measured ones. */
export function measuredFigure(
  figures: SolverFigures | undefined,
  settings: FigureSettings,
): MeasuredFigure | undefined {
  if (
    !figures ||
    settings.guidanceScale !== figures.guidanceScale ||
    settings.shift !== figures.shift ||
    settings.guidanceSchedule !== figures.guidanceSchedule
  )
    return undefined;
  const frechetDistance = figures.frechetDistance[settings.sampler]?.[settings.steps];
  return frechetDistance === undefined
    ? undefined
    : { frechetDistance, source: `evaluation script, ${figures.samples} samples` };
}
