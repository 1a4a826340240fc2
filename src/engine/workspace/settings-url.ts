// The workspace settings in the page URL, so a link reproduces a result: ?set=svg-mini&class=3&seed=7…
// One table maps settings to query keys and parsers; unknown or invalid values are reported, not applied.
import type { GenerateRequest, SolverName } from '../studio-engine';

/** The settings a link carries: what determines a generated result (not display preferences). */
export type LinkedSettings = Pick<
  GenerateRequest,
  'classId' | 'seed' | 'steps' | 'sampler' | 'shift' | 'guidanceScale' | 'guidanceSchedule' | 'batch'
>;

interface Field<K extends keyof LinkedSettings> {
  readonly key: string;
  readonly parse: (text: string) => LinkedSettings[K] | undefined;
}

const integer =
  (min: number, max: number) =>
  (text: string): number | undefined => {
    const value = Number(text);
    return /^\d+$/.test(text) && value >= min && value <= max ? value : undefined;
  };
const finite = (text: string): number | undefined => {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
};
const solver = (text: string): SolverName | undefined =>
  text === 'euler' || text === 'heun' ? text : undefined;
const schedule = (text: string): string | undefined =>
  /^[a-z_]+[a-z0-9_.-]*$/.test(text) ? text : undefined;

const FIELDS: { readonly [K in keyof LinkedSettings]-?: Field<K> } = {
  classId: { key: 'class', parse: integer(0, 1_000_000) },
  seed: { key: 'seed', parse: integer(0, 0xffff_ffff) },
  steps: { key: 'steps', parse: integer(1, 100) },
  sampler: { key: 'sampler', parse: solver },
  shift: { key: 'shift', parse: finite },
  guidanceScale: { key: 'cfg', parse: finite },
  guidanceSchedule: { key: 'schedule', parse: schedule },
  batch: { key: 'batch', parse: integer(1, 16) },
};
const SET_KEY = 'set';

export interface ParsedLink {
  readonly modelSetId: string | null;
  readonly settings: Partial<LinkedSettings>;
  /** One line per query value that was present but not usable, e.g. 'steps: "abc" is not valid'. */
  readonly rejected: readonly string[];
}

export function parseSettingsQuery(search: string): ParsedLink {
  const params = new URLSearchParams(search);
  const settings: Record<string, unknown> = {};
  const rejected: string[] = [];
  for (const [name, field] of Object.entries(FIELDS) as [
    keyof LinkedSettings,
    Field<keyof LinkedSettings>,
  ][]) {
    const text = params.get(field.key);
    if (text === null) continue;
    const value = field.parse(text);
    if (value === undefined) rejected.push(`${field.key}: "${text}" is not valid`);
    else settings[name] = value;
  }
  return {
    modelSetId: params.get(SET_KEY),
    settings: settings as Partial<LinkedSettings>,
    rejected,
  };
}

/** Writes the settings into `search` (other parameters, e.g. ?view=, are kept). */
export function writeSettingsQuery(
  search: string,
  modelSetId: string | null,
  settings: LinkedSettings,
): string {
  const params = new URLSearchParams(search);
  if (modelSetId) params.set(SET_KEY, modelSetId);
  for (const [name, field] of Object.entries(FIELDS) as [
    keyof LinkedSettings,
    Field<keyof LinkedSettings>,
  ][]) {
    params.set(field.key, String(settings[name]));
  }
  return `?${params.toString()}`;
}

/**
 * The same checks for settings stored as a JSON object (PNG metadata, gallery records): every field
 * must be present and valid; returns the settings, or the list of problems.
 */
export function validateLinkedSettings(
  record: Record<string, unknown>,
): { settings: LinkedSettings; problems: [] } | { settings: null; problems: string[] } {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(FIELDS) as [
    keyof LinkedSettings,
    Field<keyof LinkedSettings>,
  ][]) {
    const value = record[name];
    const parsed =
      typeof value === 'number' || typeof value === 'string' ? field.parse(String(value)) : undefined;
    if (parsed === undefined)
      problems.push(`${name}: ${value === undefined ? 'missing' : JSON.stringify(value)}`);
    else settings[name] = parsed;
  }
  return problems.length === 0
    ? { settings: settings as unknown as LinkedSettings, problems: [] }
    : { settings: null, problems };
}
