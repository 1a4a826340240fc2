// Reading manifest.json: JSON, then the schema of its version (schema.ts) and the cross-field rules
// (consistency.ts), every violation reported with its field path in one ManifestError; version 1 files
// are converted to the version-2 shape in memory.
import * as v from 'valibot';
import { ManifestError } from '../errors';
import { consistencyProblems, type Problem } from './consistency';
import { sha256Hex } from './integrity';
import {
  MANIFEST_SECTIONS,
  ManifestSchemaV1,
  ManifestSchemaV2,
  READABLE_VERSIONS,
  toCurrentVersion,
  type ManifestVersion,
  type ModelSetManifest,
} from './schema';

/** JSON.parse with a ManifestError naming the source. */
export function parseJson(text: string, source: string): unknown {
  if (text.startsWith('\ufeff'))
    throw new ManifestError(
      `${source}: starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without a BOM`,
    );
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError(
      `${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** "latent.std[3]" from a valibot issue path. */
function issuePath(issue: v.BaseIssue<unknown>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    const key = String(item.key);
    path += item.type === 'array' ? `[${key}]` : path ? `.${key}` : key;
  }
  return path || 'manifest';
}

/** A missing key reads "is missing"; every other issue carries the schema's own phrase. */
const issueMessage = (issue: v.BaseIssue<unknown>) =>
  issue.input === undefined && issue.type === 'object' ? 'is missing' : issue.message;

const isReadable = (version: unknown): version is ManifestVersion =>
  (READABLE_VERSIONS as readonly unknown[]).includes(version);

/** The schema whose networks the document looks like, when its version is unreadable. */
const looksLikeV1 = (json: Record<string, unknown>) => {
  const networks = json.networks;
  if (typeof networks !== 'object' || networks === null) return false;
  return Object.values(networks).some(
    (entry) => typeof entry === 'object' && entry !== null && 'file' in entry,
  );
};

/** Validates a parsed manifest.json; throws one ManifestError listing every violation with its path. */
export function parseManifest(json: unknown, source: string): ModelSetManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ManifestError(`${source}: the manifest must be a JSON object`);
  }
  const root = json as Record<string, unknown>;
  const problems: Problem[] = [];
  const version = root.schemaVersion;
  if (!isReadable(version)) {
    problems.push({
      path: 'schemaVersion',
      message: `must be ${READABLE_VERSIONS.join(' or ')} (the versions this studio reads), got ${JSON.stringify(version)}`,
    });
  }
  const schema = (isReadable(version) ? version === 1 : looksLikeV1(root))
    ? ManifestSchemaV1
    : ManifestSchemaV2;
  const result = v.safeParse(schema, json, { abortEarly: false });

  const seen = new Set<string>();
  for (const issue of result.issues ?? []) {
    const path = issuePath(issue);
    if (seen.has(path)) continue; // the first violation of a field says enough
    seen.add(path);
    problems.push({ path, message: issueMessage(issue) });
  }
  const schemaPaths = [...seen];
  const hasSchemaIssue = (path: string) =>
    schemaPaths.some(
      (issue) =>
        issue === path ||
        issue.startsWith(`${path}.`) ||
        issue.startsWith(`${path}[`) ||
        path.startsWith(`${issue}.`),
    );
  problems.push(...consistencyProblems(json, hasSchemaIssue));

  if (problems.length || !result.success || !isReadable(version)) {
    const section = (p: Problem) => {
      const index = MANIFEST_SECTIONS.indexOf(p.path.split(/[.[]/)[0] as string);
      return index < 0 ? MANIFEST_SECTIONS.length : index;
    };
    const lines = problems
      .map((p, order) => ({ p, order }))
      .sort((a, b) => section(a.p) - section(b.p) || a.order - b.order)
      .map(({ p }) => `${p.path} ${p.message}`);
    const plural = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
    throw new ManifestError(
      `${source}: invalid model-set manifest (${plural}):\n  - ${lines.join('\n  - ')}`,
    );
  }
  return toCurrentVersion(result.output, version);
}

/** A manifest read from its text, with the SHA-256 of that text: results record which manifest made them. */
export async function readManifestText(
  text: string,
  source: string,
): Promise<{ manifest: ModelSetManifest; manifestSha256: string }> {
  const manifest = parseManifest(parseJson(text, source), source);
  return { manifest, manifestSha256: await sha256Hex(new TextEncoder().encode(text)) };
}
