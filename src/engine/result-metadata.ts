// The one format of a result's parameters inside a PNG (tEXt chunk "svg-studio", JSON): model set id and
// manifest hash, every generation setting, the batch index, the app version. Written on download, read
// back when a PNG is dropped on the studio to restore its settings.
import { ResultMetadataError } from './errors';
import { decodePng } from './png';
import { validateLinkedSettings, type LinkedSettings } from './workspace/settings-url';

export const RESULT_TEXT_KEY = 'svg-studio';
const RESULT_SCHEMA = 'svg-studio/result';
const RESULT_VERSION = 1;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface ResultMetadata {
  readonly modelSetId: string;
  readonly manifestSha256: string;
  readonly settings: LinkedSettings;
  /** Which image of the batch (0-based); null for a whole batch or grid saved as one image. */
  readonly batchIndex: number | null;
  readonly appVersion: string;
}

/** tEXt entries to pass to encodePng. */
export function resultTextChunks(metadata: ResultMetadata): Record<string, string> {
  return {
    [RESULT_TEXT_KEY]: JSON.stringify({ schema: RESULT_SCHEMA, version: RESULT_VERSION, ...metadata }),
    Software: `SVG Studio ${metadata.appVersion}`,
  };
}

/** Reads our metadata back from PNG bytes; every refusal names the file and the problem. */
export async function readResultMetadata(bytes: Uint8Array, fileName: string): Promise<ResultMetadata> {
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) {
    throw new ResultMetadataError(`${fileName}: not a PNG file`);
  }
  let text: Record<string, string>;
  try {
    ({ text } = await decodePng(bytes));
  } catch (error) {
    throw new ResultMetadataError(
      `${fileName}: damaged PNG (${error instanceof Error ? error.message : error})`,
    );
  }
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
  if (problems.length > 0 || settings.settings === null) {
    throw new ResultMetadataError(`${fileName}: invalid SVG Studio metadata (${problems.join('; ')})`);
  }
  return {
    modelSetId: record.modelSetId as string,
    manifestSha256: typeof record.manifestSha256 === 'string' ? record.manifestSha256 : '',
    settings: settings.settings,
    batchIndex: batchIndex as number | null,
    appVersion: typeof record.appVersion === 'string' ? record.appVersion : 'unknown',
  };
}
