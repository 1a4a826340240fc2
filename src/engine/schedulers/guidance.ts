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
const PARAMETER_PATTERNS = { integer: INTEGER, number: NUMBER } as const;
export type ScheduleParameterKind = keyof typeof PARAMETER_PATTERNS;

/** A cfg_mode form: its head and the '-'-separated parameters after it. */
interface ScheduleForm<S extends GuidanceSchedule> {
  /** the reference string's first part */
  readonly head: string;
  /** the setting offered in the Generate panel, and its name there */
  readonly offered: string;
  readonly label: string;
  /** parameters in string order: placeholder name (help text) and kind */
  readonly parameters: readonly (readonly [name: string, kind: ScheduleParameterKind])[];
  build(values: readonly number[]): S;
  values(schedule: S): readonly number[];
}

/**
 * THE table of guidance schedules, one row per kind of GuidanceSchedule (the mapped type makes a missing
 * row a type error). Parsing, formatting, the accepted-forms text (errors, CLI help) and
 * guidance-schedules.json (read by the Python model-set writer; a test keeps it equal) derive from it.
 */
export const GUIDANCE_SCHEDULES: {
  readonly [K in GuidanceSchedule['kind']]: ScheduleForm<Extract<GuidanceSchedule, { kind: K }>>;
} = {
  constant: {
    head: 'constant',
    offered: 'constant',
    label: 'Constant',
    parameters: [],
    build: () => ({ kind: 'constant' }),
    values: () => [],
  },
  late: {
    head: 'late',
    offered: 'late',
    label: 'Late (second half of the steps)',
    parameters: [],
    build: () => ({ kind: 'late' }),
    values: () => [],
  },
  linear: {
    head: 'linear',
    offered: 'linear',
    label: 'Linear ramp',
    parameters: [],
    build: () => ({ kind: 'linear' }),
    values: () => [],
  },
  early: {
    head: 'early',
    offered: 'early-0.5',
    label: 'Early (while t > 0.5)',
    parameters: [['t', 'number']],
    build: ([threshold]) => ({ kind: 'early', threshold: threshold as number }),
    values: (s) => [s.threshold],
  },
  'cfg-star': {
    head: 'cfg_star',
    offered: 'cfg_star-1-0',
    label: 'Zero-init (first step zeroed, CFG-Zero*)',
    parameters: [
      ['steps', 'integer'],
      ['ratio', 'number'],
    ],
    build: ([skipSteps, ratio]) => ({
      kind: 'cfg-star',
      skipSteps: skipSteps as number,
      ratio: ratio as number,
    }),
    values: (s) => [s.skipSteps, s.ratio],
  },
};

const FORMS = Object.values(GUIDANCE_SCHEDULES) as readonly ScheduleForm<GuidanceSchedule>[];

/** The accepted forms as help text shows them: constant, late, linear, early-<t>, cfg_star-<steps>-<ratio>. */
export const GUIDANCE_SCHEDULE_FORMS: readonly string[] = FORMS.map((form) =>
  [form.head, ...form.parameters.map(([name]) => `<${name}>`)].join('-'),
);

/** The schedules offered by name in the Generate panel, in table order. */
export const OFFERED_GUIDANCE_SCHEDULES: readonly { readonly value: string; readonly label: string }[] =
  FORMS.map((form) => ({ value: form.offered, label: form.label }));

/** Parses a reference cfg_mode string; throws InvalidSettingError naming the accepted forms. */
export function parseGuidanceSchedule(text: string): GuidanceSchedule {
  const [head, ...values] = text.trim().split('-');
  const form = FORMS.find(
    (f) =>
      f.head === head &&
      f.parameters.length === values.length &&
      f.parameters.every(([, kind], i) => PARAMETER_PATTERNS[kind].test(values[i] as string)),
  );
  if (form) return form.build(values.map(Number));
  throw new InvalidSettingError(
    `guidance schedule "${text}" is not one of ${GUIDANCE_SCHEDULE_FORMS.join(', ')}`,
  );
}

/** The reference string of a schedule (inverse of parseGuidanceSchedule up to number formatting). */
export function formatGuidanceSchedule(schedule: GuidanceSchedule): string {
  const form = GUIDANCE_SCHEDULES[schedule.kind] as ScheduleForm<GuidanceSchedule>;
  return [form.head, ...form.values(schedule)].join('-');
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
