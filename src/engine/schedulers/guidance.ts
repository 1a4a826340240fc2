// Classifier-free guidance schedules of the reference sampler (rectified_flow.py, sample → fn_v), parsed
// from the same strings the official scripts take as cfg_mode. The guided velocity is always written as
// v = uncond * vu + cond * vc, so a runtime combines the two model outputs in one pass.
import { InvalidSettingError } from '../errors';

export type GuidanceSchedule =
  /** g = c on every step */
  | { readonly kind: 'constant' }
  /** g = c when (i + 1) / S > 0.5, else 1 */
  | { readonly kind: 'late' }
  /** g = 1 + (c - 1) (i + 1) / S */
  | { readonly kind: 'linear' }
  /** g = c while the evaluation time t > threshold, else 1 ("early-<x>") */
  | { readonly kind: 'early'; readonly threshold: number }
  /** v = -ratio * vu for the first `skipSteps` steps, then g = c ("cfg_star-<k>-<r>"; r = 0: zero-init) */
  | { readonly kind: 'cfg-star'; readonly skipSteps: number; readonly ratio: number };

export interface GuidanceCoefficients {
  /** weight of the unconditional velocity vu */
  readonly uncond: number;
  /** weight of the conditional velocity vc */
  readonly cond: number;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/; // what survives the reference's split('-') and float()
const INTEGER = /^\d+$/;

/** Parses a reference cfg_mode string; throws InvalidSettingError naming the accepted forms. */
export function parseGuidanceSchedule(text: string): GuidanceSchedule {
  const parts = text.trim().split('-');
  const [head, a, b] = parts;
  if (parts.length === 1 && (head === 'constant' || head === 'late' || head === 'linear'))
    return { kind: head };
  if (parts.length === 2 && head === 'early' && a !== undefined && NUMBER.test(a)) {
    return { kind: 'early', threshold: Number(a) };
  }
  if (
    parts.length === 3 &&
    head === 'cfg_star' &&
    a !== undefined &&
    b !== undefined &&
    INTEGER.test(a) &&
    NUMBER.test(b)
  ) {
    return { kind: 'cfg-star', skipSteps: Number(a), ratio: Number(b) };
  }
  throw new InvalidSettingError(
    `guidance schedule "${text}" is not one of constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>`,
  );
}

/** The reference string of a schedule (inverse of parseGuidanceSchedule up to number formatting). */
export function formatGuidanceSchedule(schedule: GuidanceSchedule): string {
  switch (schedule.kind) {
    case 'early':
      return `early-${schedule.threshold}`;
    case 'cfg-star':
      return `cfg_star-${schedule.skipSteps}-${schedule.ratio}`;
    default:
      return schedule.kind;
  }
}

/**
 * Weights (uncond, cond) of the guided velocity at step `stepIndex` of `steps`, for an evaluation at flow
 * time `t` (Heun's second evaluation passes t_{i+1} with the same step index, as the reference does).
 * With guidance g the reference computes vu + g (vc - vu), i.e. weights (1 - g, g).
 */
export function guidanceCoefficients(
  schedule: GuidanceSchedule,
  scale: number,
  stepIndex: number,
  steps: number,
  t: number,
): GuidanceCoefficients {
  const progress = (stepIndex + 1) / steps;
  let g: number;
  switch (schedule.kind) {
    case 'constant':
      g = scale;
      break;
    case 'late':
      g = progress > 0.5 ? scale : 1;
      break;
    case 'linear':
      g = 1 + (scale - 1) * progress;
      break;
    case 'early':
      g = t > schedule.threshold ? scale : 1;
      break;
    case 'cfg-star':
      if (stepIndex < schedule.skipSteps) return { uncond: -schedule.ratio, cond: 0 };
      g = scale;
      break;
  }
  return { uncond: 1 - g, cond: g };
}
