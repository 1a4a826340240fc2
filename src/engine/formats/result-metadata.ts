// The one format of a result's parameters inside a PNG (tEXt chunk "svg-studio", JSON): model set id and
// manifest hash, every generation setting, the batch index, the app version, and for images of an
// evaluation run (`svg-studio sample`) which image of which run it is. Written by the page on download
// and by the CLI (generate, sample), read back by both: a PNG dropped on the studio restores its
// settings, and `sample`/`merge` verify the images they find against the run.
import { describeError } from '../api/describe-error';
import { ResultMetadataError } from '../errors';
import { hasPngSignature, readPngText } from './png';
import { validateLinkedSettings, type LinkedSettings } from '../workspace/settings-url';

export const RESULT_TEXT_KEY = 'svg-studio';
const RESULT_SCHEMA = 'svg-studio/result';
const RESULT_VERSION = 1;

export interface ResultMetadata {
  readonly modelSetId: string;
  readonly manifestSha256: string;
  readonly settings: LinkedSettings;
  /** Which image of the batch (0-based); null for a whole batch or grid saved as one image. */
  readonly batchIndex: number | null;
  readonly appVersion: string;
  /** Present on images of `svg-studio sample`: image `index` of a run of `count` with run seed `seed`. */
  readonly sample?: SampleProvenance;
}

export interface SampleProvenance {
  readonly index: number;
  readonly count: number;
  readonly seed: number;
}

/** tEXt entries to pass to encodePng. */
export function resultTextChunks(metadata: ResultMetadata): Record<string, string> {
  return {
    [RESULT_TEXT_KEY]: JSON.stringify({ schema: RESULT_SCHEMA, version: RESULT_VERSION, ...metadata }),
    Software: `SVG Studio ${metadata.appVersion}`,
  };
}

/**
 * Reads our metadata back from PNG bytes (its text chunks only: the pixels are not decoded); every
 * refusal names the file and the problem.
 */
export async function readResultMetadata(bytes: Uint8Array, fileName: string): Promise<ResultMetadata> {
  if (!hasPngSignature(bytes)) {
    throw new ResultMetadataError(`${fileName}: not a PNG file`);
  }
  let text: Record<string, string>;
  try {
    text = await readPngText(bytes);
  } catch (error) {
    throw new ResultMetadataError(`${fileName}: damaged PNG (${describeError(error)})`);
  }
  return resultMetadataFromText(text, fileName);
}

/** Reads our metadata from a decoded PNG's tEXt entries (when the caller decoded the PNG already). */
export function resultMetadataFromText(
  text: Readonly<Record<string, string>>,
  fileName: string,
): ResultMetadata {
  const payload = text[RESULT_TEXT_KEY];
  if (payload === undefined) {
    throw new ResultMetadataError(
      `${fileName}: not an SVG Studio PNG (it carries no "${RESULT_TEXT_KEY}" metadata)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new ResultMetadataError(`${fileName}: the SVG Studio metadata is not valid JSON`);
  }
  const record = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  if (record.schema !== RESULT_SCHEMA || record.version !== RESULT_VERSION) {
    throw new ResultMetadataError(
      `${fileName}: metadata schema ${JSON.stringify(record.schema)} v${String(record.version)} is not ${RESULT_SCHEMA} v${RESULT_VERSION}`,
    );
  }
  const settings = validateLinkedSettings((record.settings ?? {}) as Record<string, unknown>);
  const problems = [...settings.problems];
  if (typeof record.modelSetId !== 'string' || record.modelSetId === '') problems.push('modelSetId: missing');
  const batchIndex = record.batchIndex;
  if (batchIndex !== null && !(Number.isInteger(batchIndex) && (batchIndex as number) >= 0)) {
    problems.push(`batchIndex: ${JSON.stringify(batchIndex)}`);
  }
  const sample = record.sample === undefined ? undefined : sampleProvenance(record.sample, problems);
  if (problems.length > 0 || settings.settings === null) {
    throw new ResultMetadataError(`${fileName}: invalid SVG Studio metadata (${problems.join('; ')})`);
  }
  return {
    modelSetId: record.modelSetId as string,
    manifestSha256: typeof record.manifestSha256 === 'string' ? record.manifestSha256 : '',
    settings: settings.settings,
    batchIndex: batchIndex as number | null,
    appVersion: typeof record.appVersion === 'string' ? record.appVersion : 'unknown',
    ...(sample ? { sample } : {}),
  };
}

const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The `sample` field: index < count, all non-negative integers; problems are appended. */
function sampleProvenance(value: unknown, problems: string[]): SampleProvenance | undefined {
  const record = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const { index, count, seed } = record;
  if (!isIndex(index) || !isIndex(count) || !isIndex(seed) || index >= count) {
    problems.push(`sample: ${JSON.stringify(value)} is not {index < count, count, seed}`);
    return undefined;
  }
  return { index, count, seed };
}
