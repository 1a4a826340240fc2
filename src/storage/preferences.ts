// What the studio keeps in localStorage: the model sets added by manifest URL (so they come back after a
// reload), the last bundled index seen (so a reload works offline) and the execution-provider choice. Every value read back is checked
// with its schema: a value of the wrong shape (an object, a string, [null] where a list of pairs
// belongs) used to break start-up on every reload. Now it is set aside under QUARANTINE_KEY with the
// reasons, the key is cleared (or rewritten with the usable part), and the problem is reported once.
import * as v from 'valibot';
import { ManifestError } from '../engine/errors';
import { ProviderPreferenceSchema, type ProviderPreference } from '../engine/providers';
import { formatIssues } from '../engine/settings-schema';

const URL_SETS_KEY = 'svg-studio.url-model-sets';
const BUNDLED_KEY = 'svg-studio.bundled-catalogue';
const PROVIDER_KEY = 'svg-studio.provider';
/** Where values that failed their check are kept: a list of SetAsideValue, newest last. */
export const QUARANTINE_KEY = 'svg-studio.quarantine';
/** How many set-aside values are kept (older ones are dropped first). */
const QUARANTINE_CAPACITY = 20;

const nonEmpty = v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'));

/** One remembered set: [id, manifest URL] (the stored form since the first release). */
const URL_SET_SCHEMA = v.tuple([nonEmpty, v.pipe(nonEmpty, v.url('must be a URL'))], 'must be [id, url]');

/** models/index.json: the bundled sets and the default one. */
export const BUNDLED_INDEX_SCHEMA = v.pipe(
  v.object(
    {
      modelSets: v.array(v.object({ id: nonEmpty, manifest: nonEmpty }), 'must be a list of sets'),
      default: nonEmpty,
    },
    'must be an object',
  ),
  v.check(
    (index) => index.modelSets.some((set) => set.id === index.default),
    'default must name a listed set',
  ),
);
export type BundledIndex = v.InferOutput<typeof BUNDLED_INDEX_SCHEMA>;

export interface RememberedUrlSet {
  readonly id: string;
  readonly url: string;
}

export interface SetAsideValue {
  readonly key: string;
  /** The stored text exactly as it was. */
  readonly text: string;
  readonly problems: readonly string[];
  readonly at: number;
}

/** localStorage, or null where the browser refuses it (private modes, disabled storage, Node). */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readText(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeText(key: string, text: string | null): void {
  try {
    if (text === null) storage()?.removeItem(key);
    else storage()?.setItem(key, text);
  } catch {
    // Private mode or a full quota: the value then lasts for this page only.
  }
}

/** Set-aside reports not yet shown to the user (each is reported once). */
let unreported: string[] = [];

function setAside(key: string, text: string, problems: readonly string[]): void {
  const previous = readSetAside();
  const entry: SetAsideValue = { key, text, problems, at: Date.now() };
  writeText(QUARANTINE_KEY, JSON.stringify([...previous, entry].slice(-QUARANTINE_CAPACITY)));
  unreported.push(`${key} (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''})`);
}

/** The values set aside so far (a damaged quarantine list itself reads as empty). */
export function readSetAside(): SetAsideValue[] {
  const text = readText(QUARANTINE_KEY);
  if (text === null) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter(
          (item): item is SetAsideValue =>
            typeof item === 'object' && item !== null && typeof (item as SetAsideValue).key === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/**
 * The line to show once for values set aside since the last call, or null. Later calls return null
 * until something else is set aside.
 */
export function takeSetAsideReport(): string | null {
  if (unreported.length === 0) return null;
  const report = `Stored settings that could not be read were set aside (kept under "${QUARANTINE_KEY}"): ${unreported.join('; ')}.`;
  unreported = [];
  return report;
}

function parseJson(key: string, text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    setAside(key, text, ['not valid JSON']);
    writeText(key, null);
    return { ok: false };
  }
}

/**
 * One stored value checked against its schema, or null when absent; a value that is not JSON or fails the
 * schema is set aside with the reasons and the key cleared.
 */
function readStoredValue<TSchema extends v.GenericSchema>(
  key: string,
  schema: TSchema,
): v.InferOutput<TSchema> | null {
  const text = readText(key);
  if (text === null) return null;
  const json = parseJson(key, text);
  if (!json.ok) return null;
  const result = v.safeParse(schema, json.value);
  if (result.success) return result.output;
  setAside(key, text, formatIssues(result.issues));
  writeText(key, null);
  return null;
}

/** The model sets added by URL; a damaged list keeps its usable pairs and sets the original aside. */
export function readRememberedUrlSets(): RememberedUrlSet[] {
  const text = readText(URL_SETS_KEY);
  if (text === null) return [];
  const json = parseJson(URL_SETS_KEY, text);
  if (!json.ok) return [];
  if (!Array.isArray(json.value)) {
    setAside(URL_SETS_KEY, text, [`must be a list of [id, url] pairs, got ${typeof json.value}`]);
    writeText(URL_SETS_KEY, null);
    return [];
  }
  const usable: RememberedUrlSet[] = [];
  const problems: string[] = [];
  json.value.forEach((item: unknown, index) => {
    const result = v.safeParse(URL_SET_SCHEMA, item);
    if (result.success) usable.push({ id: result.output[0], url: result.output[1] });
    else problems.push(...formatIssues(result.issues, `[${index}]`));
  });
  if (problems.length > 0) {
    setAside(URL_SETS_KEY, text, problems);
    rememberUrlSets(usable);
  }
  return usable;
}

export function rememberUrlSets(sets: readonly RememberedUrlSet[]): void {
  writeText(URL_SETS_KEY, JSON.stringify(sets.map((set) => [set.id, set.url])));
}

/** The bundled index saved by the last successful start, or null (a damaged copy is set aside). */
export function readSavedBundledIndex(): BundledIndex | null {
  return readStoredValue(BUNDLED_KEY, BUNDLED_INDEX_SCHEMA);
}

export function saveBundledIndex(index: BundledIndex): void {
  writeText(BUNDLED_KEY, JSON.stringify(index));
}

/**
 * The execution provider picked in the top bar, or null when none was picked (or what is stored is not a
 * provider this build knows, e.g. one a later version added: it is set aside and Automatic is used).
 */
export function readProviderPreference(): ProviderPreference | null {
  return readStoredValue(PROVIDER_KEY, ProviderPreferenceSchema);
}

export function rememberProviderPreference(provider: ProviderPreference): void {
  writeText(PROVIDER_KEY, JSON.stringify(provider));
}

/** Checks models/index.json as served; throws a ManifestError naming the problems. */
export function parseBundledIndex(value: unknown, source: string): BundledIndex {
  const result = v.safeParse(BUNDLED_INDEX_SCHEMA, value);
  if (result.success) return result.output;
  throw new ManifestError(`${source} is not a model-set index (${formatIssues(result.issues).join('; ')})`);
}
