// Classifier-free guidance schedules of the reference sampler, as data. The guided velocity is
// v = vu + g·(vc − vu) = (1 − g)·vu + g·vc, except during cfg_star's first k steps where v = −r·vu.
import { InvalidSettingError } from '../errors';

export type GuidanceSchedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'late' }
  | { readonly kind: 'linear' }
  | { readonly kind: 'early'; readonly until: number }
  | { readonly kind: 'cfg_star'; readonly zeroSteps: number; readonly ratio: number };

export interface Guidance {
  readonly scale: number;
  readonly schedule: GuidanceSchedule;
}

const finite = (text: string | undefined) => (text !== undefined && text !== '' && Number.isFinite(Number(text)) ? Number(text) : NaN);

/** Parses "constant", "late", "linear", "early-<x>" or "cfg_star-<k>-<r>". */
export function parseGuidanceSchedule(text: string): GuidanceSchedule {
  if (text === 'constant' || text === 'late' || text === 'linear') return { kind: text };
  const early = /^early-(.+)$/.exec(text);
  if (early) {
    const until = finite(early[1]);
    if (Number.isFinite(until)) return { kind: 'early', until };
  }
  const star = /^cfg_star-([^-]+)-(.+)$/.exec(text);
  if (star) {
    const zeroSteps = finite(star[1]);
    const ratio = finite(star[2]);
    if (Number.isInteger(zeroSteps) && zeroSteps >= 0 && Number.isFinite(ratio)) return { kind: 'cfg_star', zeroSteps, ratio };
  }
  throw new InvalidSettingError(
    `guidance schedule "${text}" is not one of constant, late, linear, early-<x>, cfg_star-<k>-<r>`,
  );
}

export function formatGuidanceSchedule(schedule: GuidanceSchedule): string {
  switch (schedule.kind) {
    case 'early':
      return `early-${schedule.until}`;
    case 'cfg_star':
      return `cfg_star-${schedule.zeroSteps}-${schedule.ratio}`;
    default:
      return schedule.kind;
  }
}

/** Weights (uncond, cond) of the guided velocity at step `stepIndex` of `steps`, at time t. */
export function guidanceWeights(
  guidance: Guidance,
  stepIndex: number,
  steps: number,
  t: number,
): { readonly uncond: number; readonly cond: number } {
  const c = guidance.scale;
  const progress = (stepIndex + 1) / steps;
  let g: number;
  switch (guidance.schedule.kind) {
    case 'constant':
      g = c;
      break;
    case 'late':
      g = progress > 0.5 ? c : 1;
      break;
    case 'linear':
      g = 1 + (c - 1) * progress;
      break;
    case 'early':
      g = t > guidance.schedule.until ? c : 1;
      break;
    case 'cfg_star':
      if (stepIndex < guidance.schedule.zeroSteps) return { uncond: -guidance.schedule.ratio, cond: 0 };
      g = c;
      break;
  }
  return { uncond: 1 - g, cond: g };
}
