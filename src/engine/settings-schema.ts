// The one schema of generation settings (valibot): the link parser (workspace/settings-url.ts), PNG
// metadata (result-metadata.ts) and stored gallery records (storage/gallery-db.ts) all check settings
// with it, against the shared LIMITS, so a value refused in one place is refused everywhere with the
// same message. The settings type is inferred from the schema.
import * as v from 'valibot';
import { describeRange, isFiniteIn, isIntegerIn, LIMITS, type Range } from './limits';
import type { ModelSetManifest } from './model-set';
import { GUIDANCE_SCHEDULE_FORMS, parseGuidanceSchedule } from './schedulers/guidance';
import { SOLVER_NAMES } from './schedulers/solvers';

const show = (input: unknown) => (typeof input === 'string' ? `"${input}"` : String(input));

const integerIn = (limit: Range) =>
  v.pipe(
    v.number((issue) => `must be an integer in ${describeRange(limit)}, got ${show(issue.input)}`),
    v.check(
      (value) => isIntegerIn(value, limit),
      (issue) => `must be an integer in ${describeRange(limit)}, got ${show(issue.input)}`,
    ),
  );

const finiteIn = (limit: Range) =>
  v.pipe(
    v.number((issue) => `must be a number in ${describeRange(limit)}, got ${show(issue.input)}`),
    v.check(
      (value) => isFiniteIn(value, limit),
      (issue) => `must be a number in ${describeRange(limit)}, got ${show(issue.input)}`,
    ),
  );

/** The solver names, from the solver table (schedulers/solvers.ts). */
export { SOLVER_NAMES };

/** A reference cfg_mode string the sampler accepts, or "none". */
function isGuidanceSchedule(text: string): boolean {
  if (text === 'none') return true;
  try {
    parseGuidanceSchedule(text);
    return true;
  } catch {
    return false;
  }
}

/** One schema per setting; the link parser checks fields one by one with these. */
export const SETTING_SCHEMAS = {
  classId: integerIn(LIMITS.classId),
  seed: integerIn(LIMITS.seed),
  steps: integerIn(LIMITS.steps),
  sampler: v.picklist(
    SOLVER_NAMES,
    (issue) => `must be one of ${SOLVER_NAMES.join(', ')}, got ${show(issue.input)}`,
  ),
  shift: finiteIn(LIMITS.shift),
  guidanceScale: finiteIn(LIMITS.guidanceScale),
  guidanceSchedule: v.pipe(
    v.string((issue) => `must be a schedule name, got ${show(issue.input)}`),
    v.check(
      isGuidanceSchedule,
      (issue) => `${show(issue.input)} is not one of ${[...GUIDANCE_SCHEDULE_FORMS, 'none'].join(', ')}`,
    ),
  ),
  batch: integerIn(LIMITS.batch),
} as const;

export const GENERATION_SETTINGS_SCHEMA = v.object(SETTING_SCHEMAS, 'must be an object of settings');

/** Everything that determines a generated result (what a link, a PNG or the gallery restores). */
export type GenerationSettings = v.InferOutput<typeof GENERATION_SETTINGS_SCHEMA>;
export type SettingName = keyof GenerationSettings;

export const SETTING_NAMES = Object.keys(SETTING_SCHEMAS) as SettingName[];

/** "field: problem" lines for every issue (a missing field reads "field: missing"). */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): string[] {
  return issues.map((issue) => {
    const path = [prefix, ...(issue.path ?? []).map((item) => String(item.key))]
      .filter((part) => part !== '')
      .join('.');
    const missing = issue.type === 'object' && issue.path !== undefined && issue.input === undefined;
    const message = missing ? 'missing' : issue.message;
    return path ? `${path}: ${message}` : message;
  });
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly [] }
  | { readonly ok: false; readonly value: null; readonly problems: readonly string[] };

/** Checks a whole settings object; every problem is listed, not only the first. */
export function checkGenerationSettings(value: unknown, prefix = ''): Checked<GenerationSettings> {
  const result = v.safeParse(GENERATION_SETTINGS_SCHEMA, value);
  return result.success
    ? { ok: true, value: result.output, problems: [] }
    : { ok: false, value: null, problems: formatIssues(result.issues, prefix) };
}

/** Checks one setting's value; returns the problem text, or null when it is valid. */
export function checkSetting<K extends SettingName>(
  name: K,
  value: unknown,
): { ok: true; value: GenerationSettings[K] } | { ok: false; problem: string } {
  const result = v.safeParse(SETTING_SCHEMAS[name], value);
  return result.success
    ? { ok: true, value: result.output as GenerationSettings[K] }
    : { ok: false, problem: result.issues[0].message };
}

/** The checks that need the model set: the class must exist in it. */
export function settingsProblemsFor(
  manifest: Pick<ModelSetManifest, 'name' | 'classes'>,
  settings: Partial<GenerationSettings>,
): string[] {
  const { count } = manifest.classes;
  return settings.classId !== undefined && settings.classId >= count
    ? [`class ${settings.classId} does not exist in ${manifest.name} (0..${count - 1})`]
    : [];
}
