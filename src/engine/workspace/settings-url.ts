// The workspace settings in the page URL, so a link reproduces a result: ?set=svg-mini&class=3&seed=7…
// One table maps settings to query keys and how their text becomes a value; the values are then checked
// by the shared settings schema (engine/settings-schema.ts). Invalid values are reported, not applied.
import {
  checkGenerationSettings,
  checkSetting,
  SETTING_NAMES,
  type GenerationSettings,
  type SettingName,
} from '../settings-schema';

/** The settings a link carries: what determines a generated result (not display preferences). */
export type LinkedSettings = GenerationSettings;

type TextKind = 'integer' | 'number' | 'text';

/** Query key and text kind of every setting (the schema checks the value). */
const QUERY_FIELDS: { readonly [K in SettingName]: { readonly key: string; readonly kind: TextKind } } = {
  classId: { key: 'class', kind: 'integer' },
  seed: { key: 'seed', kind: 'integer' },
  steps: { key: 'steps', kind: 'integer' },
  sampler: { key: 'sampler', kind: 'text' },
  shift: { key: 'shift', kind: 'number' },
  guidanceScale: { key: 'cfg', kind: 'number' },
  guidanceSchedule: { key: 'schedule', kind: 'text' },
  batch: { key: 'batch', kind: 'integer' },
};
const SET_KEY = 'set';

/** The query text as a value for the schema, or a problem when the text is not even a number. */
function valueOfText(text: string, kind: TextKind): { value: unknown } | { problem: string } {
  if (kind === 'text') return { value: text };
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || Number.isNaN(value)) return { problem: `"${text}" is not a number` };
  if (kind === 'integer' && !/^-?\d+$/.test(trimmed)) return { problem: `"${text}" is not a whole number` };
  return { value };
}

export interface ParsedLink {
  readonly modelSetId: string | null;
  readonly settings: Partial<LinkedSettings>;
  /** One line per query value that was present but not usable, e.g. 'steps: "abc" is not a number'. */
  readonly rejected: readonly string[];
}

export function parseSettingsQuery(search: string): ParsedLink {
  const params = new URLSearchParams(search);
  const settings: Partial<Record<SettingName, unknown>> = {};
  const rejected: string[] = [];
  for (const name of SETTING_NAMES) {
    const { key, kind } = QUERY_FIELDS[name];
    const text = params.get(key);
    if (text === null) continue;
    const parsed = valueOfText(text, kind);
    if ('problem' in parsed) {
      rejected.push(`${key}: ${parsed.problem}`);
      continue;
    }
    const checked = checkSetting(name, parsed.value);
    if (checked.ok) settings[name] = checked.value;
    else rejected.push(`${key}: ${checked.problem}`);
  }
  const modelSetId = params.get(SET_KEY);
  return {
    modelSetId: modelSetId === null || modelSetId.trim() === '' ? null : modelSetId,
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
  for (const name of SETTING_NAMES) params.set(QUERY_FIELDS[name].key, String(settings[name]));
  return `?${params.toString()}`;
}

/**
 * The same checks for settings stored as a JSON object (PNG metadata, gallery records): every field
 * must be present and valid; returns the settings, or the list of problems (all of them).
 */
export function validateLinkedSettings(
  record: unknown,
): { settings: LinkedSettings; problems: [] } | { settings: null; problems: string[] } {
  const checked = checkGenerationSettings(record);
  return checked.ok
    ? { settings: checked.value, problems: [] }
    : { settings: null, problems: [...checked.problems] };
}
